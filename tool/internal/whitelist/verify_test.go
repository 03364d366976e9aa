package whitelist

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/testpki"
	"github.com/drim-m/trust-space/tool/listeblanche/xades"
)

var testPKI = sync.OnceValues(func() (*testpki.PKI, error) {
	return testpki.New(testpki.Options{Now: fixedAt})
})

func pki(t testing.TB) *testpki.PKI {
	t.Helper()
	p, err := testPKI()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func pemCert(t testing.TB, path string) *x509.Certificate {
	t.Helper()
	block, _ := pem.Decode(readFile(t, path))
	if block == nil {
		t.Fatalf("%s: no PEM block", path)
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// signList marshals and signs l with the test signer at fixedAt.
func signList(t testing.TB, l *List) []byte {
	t.Helper()
	p := pki(t)
	data, err := Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := xades.Sign(data, xades.SignOptions{Key: p.Signer.Key, Chain: []*x509.Certificate{p.Signer.Cert, p.OrgCA.Cert, p.Root.Cert}, Time: fixedAt})
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

// testOptions are a strict relying party's, with a current CRL of the
// test CA that revokes nothing.
func testOptions(t testing.TB, now time.Time) VerifyOptions {
	t.Helper()
	der, err := pki(t).RevocationList(fixedAt.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	crl, err := x509.ParseRevocationList(der)
	if err != nil {
		t.Fatal(err)
	}
	return VerifyOptions{Signature: xades.VerifyOptions{
		Roots: []*x509.Certificate{pki(t).Root.Cert}, CRLs: []*x509.RevocationList{crl},
		SignerCN: SignerCN, SignerOU: SignerOU, SignerO: SignerO, Now: now,
	}}
}

func TestVerifyANSSignedList(t *testing.T) {
	data := readFile(t, anchor(t, "LISTEBLANCHE_DRIM-M_SIGNEE_TEST.2026.06.01.xml"))
	opts := VerifyOptions{Signature: xades.VerifyOptions{
		Roots:         []*x509.Certificate{pemCert(t, anchor(t, "igc-sante-test-root.pem"))},
		Intermediates: []*x509.Certificate{pemCert(t, anchor(t, "igc-sante-test-org-ca.pem"))},
		SignerCN:      SignerCN, SignerOU: SignerOU, SignerO: SignerO,
		Now: time.Date(2026, 3, 17, 14, 46, 8, 0, time.UTC),
		// The IGC Santé CRLs are on the internet.
		Revocation: xades.RevocationSkipped,
	},
		// The ANS generated this list six months before signing it.
		MaxAge: -1,
	}
	v, err := Verify(data, opts)
	if err != nil {
		t.Fatalf("the ANS signed list is refused: %v", err)
	}
	if n := len(v.List.Domains); n != 14 {
		t.Errorf("%d entries, want 14", n)
	}
	if d := v.List.Domain(155); d == nil || d.Denomination != "MAINCARE" {
		t.Errorf("entry 155 = %+v", d)
	}
	if _, err := Verify(readFile(t, anchor(t, "LISTEBLANCHE_DRIM-M_NONSIGNEE_TEST.xml")), opts); !errors.Is(err, xades.ErrUnsigned) {
		t.Errorf("the ANS unsigned list: got %v, want %v", err, xades.ErrUnsigned)
	}
}

func TestVerifyPolicy(t *testing.T) {
	l := buildTestList(t)
	signed := signList(t, l)
	v, err := Verify(signed, testOptions(t, fixedAt.Add(time.Hour)))
	if err != nil {
		t.Fatalf("refused: %v", err)
	}
	older := *l
	older.Generated = fixedAt.Add(-48 * time.Hour)
	olderSigned := signList(t, &older)
	changed := *l
	changed.Domains = changed.Domains[:1]
	changedSigned := signList(t, &changed)
	later := *l
	later.Generated = fixedAt.Add(time.Hour)
	backdated := signList(t, &later)

	tests := []struct {
		name   string
		doc    []byte
		change func(*VerifyOptions)
		want   error
	}{
		{"older than max-age", signed, func(o *VerifyOptions) { o.MaxAge = 30 * time.Minute }, ErrStale},
		{"older than the state", olderSigned, func(o *VerifyOptions) { o.Last = &v.State }, ErrRollback},
		{"same date, other content", changedSigned, func(o *VerifyOptions) { o.Last = &v.State }, ErrRollback},
		{"other namespace expected", signed, func(o *VerifyOptions) { o.Namespace = "https://listeblanche.mesimagesmedicales.fr/schema" }, ErrFormat},
		{"signed in the future", signed, func(o *VerifyOptions) { o.Signature.Now = fixedAt.Add(-time.Hour) }, xades.ErrSigningTime},
		{"signed before its generation", backdated, func(o *VerifyOptions) { o.Signature.Now = fixedAt.Add(2 * time.Hour) }, ErrDates},
		{"older than the default max_age", signed, func(o *VerifyOptions) { o.Signature.Now = fixedAt.Add(DefaultMaxAge + time.Minute) }, ErrStale},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions(t, fixedAt.Add(time.Hour))
			tt.change(&opts)
			if _, err := Verify(tt.doc, opts); !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}

	// A negative MaxAge checks no age, for archives.
	opts := testOptions(t, fixedAt.Add(DefaultMaxAge+time.Minute))
	opts.MaxAge = -1
	if _, err := Verify(signed, opts); err != nil {
		t.Errorf("an old list without an age limit: %v", err)
	}

	// The same list signed again is accepted after itself.
	opts = testOptions(t, fixedAt.Add(time.Hour))
	opts.Last = &v.State
	if _, err := Verify(signList(t, l), opts); err != nil {
		t.Errorf("the same list again: %v", err)
	}
}

func TestStateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	if st, err := ReadState(path); err != nil || st != nil {
		t.Fatalf("missing state: %v, %v", st, err)
	}
	want := State{Generated: fixedAt, ContentSHA256: "ab", SigningTime: fixedAt}
	if err := WriteState(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadState(path)
	if err != nil || !got.Generated.Equal(want.Generated) || got.ContentSHA256 != "ab" {
		t.Errorf("read back %+v, %v", got, err)
	}
}
