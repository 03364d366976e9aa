//go:build cgo

package hsm

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCSRInToken signs a request for the ORG SIGN certificate inside a
// SoftHSM2 token; openssl verifies its signature and reads its subject.
func TestCSRInToken(t *testing.T) {
	p, tok := newToken(t)
	s, err := Open(Config{Module: tok.Module, Token: tok.Label, KeyLabel: tok.KeyLabel, PIN: tok.PIN})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	subject := "CN=Liste Blanche DRIM-M,OU=318751275100020,O=AGENCE DU NUMERIQUE EN SANTE,ST=Paris (75),C=FR"
	out, err := CSR(s, subject)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(out)
	if block == nil || block.Type != "CERTIFICATE REQUEST" {
		t.Fatalf("not a PEM request:\n%s", out)
	}
	req, err := x509.ParseCertificateRequest(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if err := req.CheckSignature(); err != nil {
		t.Fatalf("the request's signature: %v", err)
	}
	if !req.PublicKey.(*rsa.PublicKey).Equal(p.Signer.Cert.PublicKey) {
		t.Fatal("the request is not for the token's key")
	}
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Fatal("openssl not found: install openssl")
	}
	f := filepath.Join(t.TempDir(), "req.pem")
	if err := os.WriteFile(f, out, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := exec.Command("openssl", "req", "-in", f, "-noout", "-verify", "-subject", "-nameopt", "RFC2253").CombinedOutput()
	if err != nil {
		t.Fatalf("openssl req -verify: %v\n%s", err, got)
	}
	if !strings.Contains(string(got), "verify OK") || !strings.Contains(string(got), "subject=CN=Liste Blanche DRIM-M,OU=318751275100020,O=AGENCE DU NUMERIQUE EN SANTE,ST=Paris (75),C=FR") {
		t.Fatalf("openssl req:\n%s", got)
	}
}

func TestCSRRefusesSubjects(t *testing.T) {
	for _, bad := range []string{"", "CN=x", "CN=x,O=y,C=FR,EMAIL=a@b", "CN=x,CN=y,O=z,C=FR", "CN"} {
		if _, err := subjectName(bad); err == nil {
			t.Errorf("subject %q accepted", bad)
		}
	}
}
