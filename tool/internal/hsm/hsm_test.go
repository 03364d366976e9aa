//go:build cgo

package hsm

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/testpki"
)

// newToken creates a SoftHSM2 token holding a fresh signer key, and points
// the module at it for the rest of the test.
func newToken(t *testing.T) (*testpki.PKI, *testpki.Token) {
	t.Helper()
	if _, err := exec.LookPath("softhsm2-util"); err != nil {
		t.Fatal("softhsm2-util not found: install softhsm2")
	}
	p, err := testpki.New(testpki.Options{Now: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	h, err := testpki.NewSoftHSM(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tok, err := h.CreateToken("drimm-hsm-test", "246810", p.Signer, "liste-blanche")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOFTHSM2_CONF", tok.Conf)
	return p, tok
}

func TestSignInToken(t *testing.T) {
	p, tok := newToken(t)
	s, err := Open(Config{Module: tok.Module, Token: tok.Label, KeyLabel: tok.KeyLabel, PIN: tok.PIN})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	digest := sha256.Sum256([]byte("ListeBlancheDRIM-M"))
	sig, err := s.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	if err := rsa.VerifyPKCS1v15(p.Signer.Cert.PublicKey.(*rsa.PublicKey), crypto.SHA256, digest[:], sig); err != nil {
		t.Errorf("the token's signature does not verify with the signer certificate: %v", err)
	}
}

func TestOpenFailures(t *testing.T) {
	_, tok := newToken(t)
	good := Config{Module: tok.Module, Token: tok.Label, KeyLabel: tok.KeyLabel, PIN: tok.PIN}
	notModule := filepath.Join(t.TempDir(), "notamodule.so")
	if err := os.WriteFile(notModule, []byte("not a shared library"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		change  func(*Config)
		want    error
		message string
	}{
		{"wrong PIN", func(c *Config) { c.PIN = "000000" }, ErrPIN, "wrong PIN"},
		{"empty PIN", func(c *Config) { c.PIN = "" }, ErrPIN, "no PIN"},
		{"missing token", func(c *Config) { c.Token = "no-such-token" }, ErrToken, `"no-such-token"`},
		{"missing key label", func(c *Config) { c.KeyLabel = "no-such-key" }, ErrKey, `"no-such-key"`},
		{"missing module", func(c *Config) { c.Module = filepath.Join(t.TempDir(), "libnone.so") }, ErrModule, "libnone.so"},
		{"not a module", func(c *Config) { c.Module = notModule }, ErrModule, "notamodule.so"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.change(&cfg)
			s, err := Open(cfg)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("error %q is not %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error %q does not say %s", err, tt.message)
			}
		})
	}
	// After every failure the token still opens: nothing was left locked.
	s, err := Open(good)
	if err != nil {
		t.Fatalf("token unusable after failures: %v", err)
	}
	s.Close()
}
