// Package anchors finds the ANS's published Liste Blanche test material (its
// signed and unsigned test lists, the IGC Santé test root and organisation
// CA) for the interop tests. The files stay out of the repository because
// the lists name real people: they are read from the folder named by
// DRIMM_ANS_ANCHORS, by default ../shared/anchors/ans-liste-blanche beside
// the repository (a relative path is taken from the repository root). A
// clone with nothing beside it skips the interop tests with a message saying
// so, and tool/scripts/test.sh says it loudly; under CI=true a missing
// folder fails the test, so CI cannot pass by skipping, unless
// DRIMM_ANS_INTEROP=skip says that this CI cannot have the files (GitHub's
// runners, for a public repository).
package anchors

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Env names the environment variable that holds the folder.
const Env = "DRIMM_ANS_ANCHORS"

// required tells whether a missing folder fails rather than skips.
func required() bool {
	return os.Getenv("CI") == "true" && os.Getenv("DRIMM_ANS_INTEROP") != "skip"
}

// probe is a file every copy of the material holds.
const probe = "igc-sante-test-root.pem"

// Dir returns the folder of the ANS's test material and whether it is
// there. The default is relative to the repository root (the folder that
// holds go.mod), so it names the same place from every package.
func Dir() (string, bool, error) {
	root, err := repoRoot()
	if err != nil {
		return "", false, err
	}
	dir := os.Getenv(Env)
	if dir == "" {
		dir = filepath.Join("..", "shared", "anchors", "ans-liste-blanche")
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(root, dir)
	}
	if _, err := os.Stat(filepath.Join(dir, probe)); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return dir, false, nil
		}
		return dir, false, err
	}
	return dir, true, nil
}

// Require returns the folder of the ANS's test material. When it is
// missing, the test is skipped with a message naming the folder and the
// variable, or fails when CI=true.
func Require(t testing.TB) string {
	t.Helper()
	dir, ok, err := Dir()
	if err != nil {
		t.Fatalf("finding the ANS test material: %v", err)
	}
	if !ok {
		missing(t, dir)
	}
	return dir
}

// Missing skips (or under CI=true fails) a test case that needs the
// material, for the nil cases Optional returns.
func Missing(t testing.TB) {
	t.Helper()
	dir, _, err := Dir()
	if err != nil {
		t.Fatalf("finding the ANS test material: %v", err)
	}
	missing(t, dir)
}

func missing(t testing.TB, dir string) {
	t.Helper()
	msg := fmt.Sprintf("ANS interop test not run: the ANS's published test lists are not in %s (set %s to the folder that holds them)", dir, Env)
	if required() {
		t.Fatal(msg + "; CI=true requires them (DRIMM_ANS_INTEROP=skip where CI cannot have them)")
	}
	t.Skip(msg)
}

// Read returns one file of the ANS's test material, skipping the test as
// Require does when the folder is missing.
func Read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(Require(t), name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Optional returns one file of the material, or nil when the folder is
// missing, for tables and seed corpora where the ANS's files are some cases
// among others: the other cases still run. A nil case must skip itself
// (see Missing); under CI=true a missing folder fails here.
func Optional(t testing.TB, name string) []byte {
	t.Helper()
	dir, ok, err := Dir()
	if err != nil {
		t.Fatalf("finding the ANS test material: %v", err)
	}
	if !ok {
		if required() {
			missing(t, dir)
		}
		return nil
	}
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the test's directory")
		}
		dir = parent
	}
}
