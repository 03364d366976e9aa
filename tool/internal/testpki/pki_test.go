package testpki

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

func requireTool(t *testing.T, name, pkg string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s not found: install %s", name, pkg)
	}
}

func newPKI(t *testing.T) *PKI {
	t.Helper()
	p, err := New(Options{Now: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSignerProfile(t *testing.T) {
	p := newPKI(t)
	s := p.Signer.Cert
	if got := s.Subject.String(); got != SignerSubject {
		t.Errorf("signer subject = %q, want %q", got, SignerSubject)
	}
	if want := x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment; s.KeyUsage != want {
		t.Errorf("key usage = %v, want %v", s.KeyUsage, want)
	}
	if len(s.Policies) != 1 || !s.Policies[0].Equal(SignerPolicy) {
		t.Errorf("policies = %v, want %v", s.Policies, SignerPolicy)
	}
	if s.IsCA {
		t.Error("signer is a CA")
	}
	if !strings.HasPrefix(p.Root.Cert.Subject.CommonName, "TEST AC RACINE ") {
		t.Errorf("root CN = %q", p.Root.Cert.Subject.CommonName)
	}
	inter := x509.NewCertPool()
	inter.AddCert(p.OrgCA.Cert)
	chains, err := s.Verify(x509.VerifyOptions{
		Roots: p.RootPool(), Intermediates: inter, CurrentTime: p.Now(),
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		t.Fatalf("signer does not chain to the root: %v", err)
	}
	if n := len(chains[0]); n != 3 {
		t.Errorf("chain length = %d, want 3", n)
	}
}

func TestTwoPKIsDiffer(t *testing.T) {
	a := newPKI(t)
	b, err := New(Options{Name: "AUTRE-IGC", Now: a.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if a.Root.Cert.Subject.String() == b.Root.Cert.Subject.String() {
		t.Error("two named hierarchies share a root name")
	}
	inter := x509.NewCertPool()
	inter.AddCert(b.OrgCA.Cert)
	under := func(roots *x509.CertPool) error {
		_, err := b.Signer.Cert.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: a.Now(),
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
		return err
	}
	if err := under(b.RootPool()); err != nil {
		t.Fatalf("a signer does not verify under its own root: %v", err)
	}
	var unknown x509.UnknownAuthorityError
	if err := under(a.RootPool()); !errors.As(err, &unknown) {
		t.Errorf("a signer of one hierarchy under the other's root: got %v, want an unknown authority", err)
	}
}

func TestServerOverLoopback(t *testing.T) {
	p := newPKI(t)
	const dn = "CN=db3.test.mesimagesmedicales.fr,OU=399999999900017,O=CENTRE D'IMAGERIE FICTIF,ST=Côte-d'Or (21),C=FR"
	srv, err := p.IssueServer(ServerRequest{
		DNSNames:    []string{"db3.test.mesimagesmedicales.fr"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		Subject:     MustDN(dn),
		NotBefore:   p.Now().Add(-time.Hour),
		NotAfter:    p.Now().Add(time.Hour),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.Cert.Subject.String(); got != dn {
		t.Errorf("subject prints as %q, want %q", got, dn)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{srv.TLS()}})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		_, _ = io.WriteString(c, "ok")
	}()
	conn, err := tls.Dial("tcp", ln.Addr().String(), &tls.Config{
		RootCAs: p.RootPool(), ServerName: "db3.test.mesimagesmedicales.fr", Time: p.Now,
	})
	if err != nil {
		t.Fatalf("TLS handshake with the issued certificate: %v", err)
	}
	defer conn.Close()
	if n := len(conn.ConnectionState().PeerCertificates); n != 2 {
		t.Errorf("server sent %d certificates, want leaf and CA", n)
	}
}

func TestRevocationList(t *testing.T) {
	p := newPKI(t)
	der, err := p.RevocationList(p.Now(), p.Signer.Cert)
	if err != nil {
		t.Fatal(err)
	}
	crl, err := x509.ParseRevocationList(der)
	if err != nil {
		t.Fatal(err)
	}
	if err := crl.CheckSignatureFrom(p.OrgCA.Cert); err != nil {
		t.Errorf("CRL not signed by the ORGANISATIONS CA: %v", err)
	}
	if len(crl.RevokedCertificateEntries) != 1 || crl.RevokedCertificateEntries[0].SerialNumber.Cmp(p.Signer.Cert.SerialNumber) != 0 {
		t.Errorf("CRL entries = %v, want the signer's serial", crl.RevokedCertificateEntries)
	}
}

func TestWriteFilesVerifyWithOpenSSL(t *testing.T) {
	requireTool(t, "openssl", "openssl")
	p := newPKI(t)
	f, err := p.WriteFiles(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("openssl", "verify", "-attime", strconv.FormatInt(p.Now().Unix(), 10),
		"-CAfile", f.Root, "-untrusted", f.OrgCA, f.Signer).CombinedOutput()
	if err != nil {
		t.Fatalf("openssl verify: %v: %s", err, out)
	}
	out, err = exec.Command("openssl", "pkey", "-in", f.SignerKey, "-noout").CombinedOutput()
	if err != nil {
		t.Fatalf("openssl cannot read the key file: %v: %s", err, out)
	}
}

func TestSoftHSMToken(t *testing.T) {
	requireTool(t, "softhsm2-util", "softhsm2")
	requireTool(t, "pkcs11-tool", "opensc")
	p := newPKI(t)
	h, err := NewSoftHSM(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tok, err := h.CreateToken("drimm-test", "123456", p.Signer, "liste-blanche")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("pkcs11-tool", "--module", tok.Module, "--token-label", tok.Label,
		"--login", "--pin", tok.PIN, "--list-objects", "--type", "privkey")
	cmd.Env = []string{h.Env()}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("pkcs11-tool: %v: %s", err, out)
	}
	if !strings.Contains(string(out), "label:      liste-blanche") {
		t.Errorf("the token does not list the imported key:\n%s", out)
	}
}

func TestParseDNRefusesUnknownAttribute(t *testing.T) {
	for _, dn := range []string{"", "CN=x,EMAIL=a@b", "CN"} {
		if _, err := ParseDN(dn); err == nil {
			t.Errorf("ParseDN(%q) accepted", dn)
		} else if dn == "CN=x,EMAIL=a@b" && !strings.Contains(err.Error(), `attribute type "EMAIL" is not known`) {
			t.Errorf("ParseDN(%q): %v, want the unknown attribute named", dn, err)
		}
	}
	n, err := ParseDN(`CN=a\,b,O=c`)
	if err != nil || n.CommonName != "a,b" {
		t.Errorf("escaped comma: %+v, %v", n, err)
	}
}
