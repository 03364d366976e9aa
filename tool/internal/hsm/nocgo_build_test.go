package hsm

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/testpki"
)

// drimm builds without cgo, as a DRIMbox installs it (a static binary);
// only PKCS#11 signing needs cgo, and such a drimm says so when asked to
// sign with an HSM: exit 3, an error and a hint.
func TestDrimmWithoutCgo(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "drimm")
	build := exec.Command("go", "build", "-o", bin, "github.com/drim-m/trust-space/tool/cmd/drimm")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 go build ./tool/cmd/drimm: %v\n%s", err, out)
	}
	p, err := testpki.New(testpki.Options{Now: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	files, err := p.WriteFiles(filepath.Join(dir, "pki"))
	if err != nil {
		t.Fatal(err)
	}
	list, err := os.ReadFile(filepath.Join("..", "..", "listeblanche", "xades", "testdata", "unsigned.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "in.xml"), list, 0o644); err != nil {
		t.Fatal(err)
	}
	module := filepath.Join(dir, "libsofthsm2.so")
	if err := os.WriteFile(module, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "whitelist", "sign", "--in", filepath.Join(dir, "in.xml"), "--out", filepath.Join(dir, "out.xml"),
		"--cert-chain", files.Chain, "--pkcs11-module", module, "--token-label", "drimm", "--key-label", "liste-blanche")
	cmd.Env = append(os.Environ(), "DRIMM_PKCS11_PIN=123456")
	out, err := cmd.CombinedOutput()
	exit, ok := err.(*exec.ExitError)
	if !ok || exit.ExitCode() != 3 {
		t.Fatalf("drimm whitelist sign without cgo: %v, want exit 3\n%s", err, out)
	}
	for _, want := range []string{"drimm: error: this drimm was built without cgo", "drimm: hint: sign with a drimm built with cgo"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
}
