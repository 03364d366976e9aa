package listeblanche

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// vendorProgram is a DRIMbox's use of the package, as a vendor writes it in
// its own module: verify the downloaded list, save the state, trust the
// entries.
const vendorProgram = `package main

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"time"

	"github.com/drim-m/trust-space/tool/listeblanche"
)

func main() {
	data, _ := os.ReadFile(os.Args[1])
	block, _ := pem.Decode(must(os.ReadFile(os.Args[2])))
	root, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		panic(err)
	}
	last, err := listeblanche.LoadState(os.Args[3])
	if err != nil {
		panic(err)
	}
	list, err := listeblanche.Verify(context.Background(), data, listeblanche.Options{
		Roots: []*x509.Certificate{root}, Now: time.Now(), Last: last,
		FetchCRLs: &listeblanche.CRLFetcher{CacheDir: os.TempDir()},
	})
	if err != nil {
		fmt.Println("keep the previous list:", err)
		os.Exit(4)
	}
	if err := listeblanche.SaveState(os.Args[3], list.State); err != nil {
		panic(err)
	}
	for _, e := range list.Entries {
		fmt.Println(e.ID, e.DB, e.CertDN)
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
`

// A vendor's module that requires this one links the standard library and
// the one XML module this one needs, nothing of drimm's, and builds without
// cgo. The test builds such a module in a temporary folder, offline, and
// reports the size and module count of its program.
func TestVendorModule(t *testing.T) {
	here, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gomod := "module example.com/drimbox\n\ngo 1.26.8\n\nrequire github.com/drim-m/trust-space/tool/listeblanche v0.0.0\n\n" +
		"replace github.com/drim-m/trust-space/tool/listeblanche => " + here + "\n"
	for name, body := range map[string]string{"go.mod": gomod, "main.go": vendorProgram} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		// Offline: whatever the module needs must already be in the module
		// cache this module's own tests use.
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("mod", "tidy")
	deps := run("list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".")
	var foreign []string
	for _, p := range strings.Fields(deps) {
		switch {
		case p == "example.com/drimbox", p == "github.com/beevik/etree",
			p == "github.com/drim-m/trust-space/tool/listeblanche", strings.HasPrefix(p, "github.com/drim-m/trust-space/tool/listeblanche/"):
		default:
			foreign = append(foreign, p)
		}
	}
	if len(foreign) > 0 {
		t.Errorf("the vendor's program links packages beyond the standard library, etree and this module: %v", foreign)
	}
	if !strings.Contains(deps, "github.com/drim-m/trust-space/tool/listeblanche/xades") {
		t.Fatalf("go list -deps does not list the verifier's packages:\n%s", deps)
	}
	bin := filepath.Join(dir, "drimbox")
	run("build", "-o", bin, ".")
	info, err := os.Stat(bin)
	if err != nil {
		t.Fatal(err)
	}
	modules := 0
	for _, line := range strings.Split(run("version", "-m", bin), "\n") {
		if f := strings.Fields(line); len(f) > 0 && (f[0] == "dep" || f[0] == "mod") {
			modules++
		}
	}
	t.Logf("a vendor's program: %.1f MB, %d modules (its own included), built with CGO_ENABLED=0", float64(info.Size())/1e6, modules)
	if modules != 3 {
		t.Errorf("the program holds %d modules, want 3 (itself, this module, etree)", modules)
	}
}
