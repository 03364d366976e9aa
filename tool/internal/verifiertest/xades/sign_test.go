package xadestest

import (
	"bytes"
	"crypto/x509"
	"errors"
	. "github.com/drim-m/trust-space/tool/listeblanche/xades"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/hsm"
	"github.com/drim-m/trust-space/tool/internal/testpki"
)

func requireTool(t testing.TB, name, pkg string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s not found: install %s", name, pkg)
	}
}

// testNow anchors the test PKI and every verification, so that the tests
// pass on any date.
var testNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// testPKI is generated once per test binary: RSA key generation is the
// slow part of these tests.
var testPKI = sync.OnceValues(func() (*testpki.PKI, error) {
	return testpki.New(testpki.Options{Now: testNow})
})

func pki(t testing.TB) *testpki.PKI {
	t.Helper()
	p, err := testPKI()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func unsigned(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "listeblanche", "xades", "testdata", "unsigned.xml"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// signWith signs data with a software copy of c's key at time at.
func signWith(t testing.TB, data []byte, c *testpki.Cert, at time.Time) []byte {
	t.Helper()
	out, err := Sign(data, SignOptions{Key: c.Key, Chain: append([]*x509.Certificate{c.Cert}, c.Chain...), Time: at})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// options are a strict relying party's, with a current CRL of the PKI's
// CA that revokes nothing.
func options(p *testpki.PKI) VerifyOptions {
	der, err := p.RevocationList(p.Now())
	if err != nil {
		panic(err)
	}
	crl, err := x509.ParseRevocationList(der)
	if err != nil {
		panic(err)
	}
	return VerifyOptions{
		Roots:    []*x509.Certificate{p.Root.Cert},
		CRLs:     []*x509.RevocationList{crl},
		SignerCN: "Liste Blanche DRIM-M",
		SignerOU: "318751275100020",
		SignerO:  "AGENCE DU NUMERIQUE EN SANTE",
		Now:      p.Now().Add(time.Hour),
	}
}

// xmlsecVerify runs the independent verifier the ANS documents.
func xmlsecVerify(t testing.TB, p *testpki.PKI, signed []byte) error {
	t.Helper()
	requireTool(t, "xmlsec1", "xmlsec1")
	dir := t.TempDir()
	files, err := p.WriteFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	list := filepath.Join(dir, "list.xml")
	if err := os.WriteFile(list, signed, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("xmlsec1", "--verify", "--trusted-pem", files.Root, "--untrusted-pem", files.OrgCA,
		"--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
		"--verification-time", p.Now().Add(time.Hour).UTC().Format("2006-01-02 15:04:05"), list)
	cmd.Env = append(os.Environ(), "TZ=UTC")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return errors.New(string(out))
	}
	return nil
}

func TestSignVerifyRoundTrip(t *testing.T) {
	p := pki(t)
	in := unsigned(t)
	signed := signWith(t, in, p.Signer, p.Now())
	got, err := Verify(signed, options(p))
	if err != nil {
		t.Fatalf("our own signature is refused: %v", err)
	}
	if got.MimeType != MimeXML {
		t.Errorf("MimeType = %q, want %q", got.MimeType, MimeXML)
	}
	// The content is the unsigned document's exclusive canonical form, as
	// libxml2 writes it.
	requireTool(t, "xmllint", "libxml2-utils")
	unsignedFile := filepath.Join(t.TempDir(), "unsigned.xml")
	if err := os.WriteFile(unsignedFile, in, 0o644); err != nil {
		t.Fatal(err)
	}
	want, err := exec.Command("xmllint", "--exc-c14n", unsignedFile).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Content, want) {
		t.Errorf("verified content differs from the unsigned document's canonical form")
	}
	if err := xmlsecVerify(t, p, signed); err != nil {
		t.Errorf("xmlsec1 refuses our signature:\n%s", err)
	}
}

func TestSignKeepsTheInputBytes(t *testing.T) {
	p := pki(t)
	in := unsigned(t)
	signed := signWith(t, in, p.Signer, p.Now())
	end := bytes.LastIndex(in, []byte("</ListeBlancheDRIM-M>"))
	if !bytes.HasPrefix(signed, in[:end]) || !bytes.HasSuffix(signed, in[end:]) {
		t.Fatal("signing changed the bytes around the signature")
	}
	sig := signed[end : len(signed)-len(in)+end]
	if !bytes.HasPrefix(sig, []byte(`<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="id-`)) {
		t.Errorf("the signature does not start as the ANS's does: %.80s", sig)
	}
	if bytes.ContainsAny(sig, "\r\n") {
		t.Error("the signature spans several lines; the profile writes it, and its base64, on one")
	}
	if again := signWith(t, in, p.Signer, p.Now()); !bytes.Equal(again, signed) {
		t.Error("signing the same input at the same time twice gives different bytes")
	}
}

func TestSignThroughSoftHSM(t *testing.T) {
	requireTool(t, "softhsm2-util", "softhsm2")
	p := pki(t)
	h, err := testpki.NewSoftHSM(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tok, err := h.CreateToken("drimm-xades", "731902", p.Signer, "liste-blanche")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOFTHSM2_CONF", tok.Conf)
	key, err := hsm.Open(hsm.Config{Module: tok.Module, Token: tok.Label, KeyLabel: tok.KeyLabel, PIN: tok.PIN})
	if err != nil {
		t.Fatal(err)
	}
	defer key.Close()
	signed, err := Sign(unsigned(t), SignOptions{Key: key, Chain: []*x509.Certificate{p.Signer.Cert, p.OrgCA.Cert, p.Root.Cert}, Time: p.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(signed, options(p)); err != nil {
		t.Fatalf("refused: %v", err)
	}
	if err := xmlsecVerify(t, p, signed); err != nil {
		t.Errorf("xmlsec1 refuses the HSM signature:\n%s", err)
	}
}

func TestSignRefuses(t *testing.T) {
	p := pki(t)
	chain := []*x509.Certificate{p.Signer.Cert}
	signed := signWith(t, unsigned(t), p.Signer, p.Now())
	tests := []struct {
		name string
		in   []byte
		opts SignOptions
		want string
	}{
		{"already signed", signed, SignOptions{Key: p.Signer.Key, Chain: chain, Time: p.Now()}, "already holds"},
		{"key of another certificate", unsigned(t), SignOptions{Key: p.OrgCA.Key, Chain: chain, Time: p.Now()}, "does not match"},
		{"no time", unsigned(t), SignOptions{Key: p.Signer.Key, Chain: chain}, "signing time"},
		{"DOCTYPE", append([]byte("<!DOCTYPE x>"), unsigned(t)[39:]...), SignOptions{Key: p.Signer.Key, Chain: chain, Time: p.Now()}, "DOCTYPE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Sign(tt.in, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error saying %q", err, tt.want)
			}
		})
	}
}
