package whitelist

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/drim-m/trust-space/tool/internal/anchors"
	"github.com/drim-m/trust-space/tool/internal/registry"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func requireTool(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found: install the Debian package %s", name, pkg)
	}
	return p
}

// moduleRoot is the repository root, found from the test's directory.
func moduleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's directory")
		}
		dir = parent
	}
}

// anchor returns the path of one of the ANS's published test files; the
// test is skipped (failed under CI=true) when they are not beside the
// repository (see package anchors).
func anchor(t testing.TB, name string) string {
	t.Helper()
	return filepath.Join(anchors.Require(t), name)
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// xmllintValidate checks data against the project's XSD with xmllint.
func xmllintValidate(t testing.TB, data []byte) {
	t.Helper()
	requireTool(t, "xmllint", "libxml2-utils")
	f := filepath.Join(t.TempDir(), "list.xml")
	if err := os.WriteFile(f, data, 0o644); err != nil {
		t.Fatal(err)
	}
	xsd := filepath.Join(moduleRoot(t), "schemas", "liste-blanche.xsd")
	out, err := exec.Command("xmllint", "--noout", "--schema", xsd, f).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint refuses the list against %s: %v\n%s", xsd, err, out)
	}
}

func loadTestRegistry(t testing.TB, dir string) *registry.Registry {
	t.Helper()
	reg, _, err := registry.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}
