package xadestest

import (
	"bytes"
	"crypto/x509"
	"errors"
	. "github.com/drim-m/trust-space/tool/listeblanche/xades"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/testpki"
)

// replace changes the first occurrence of old in b, failing the test when
// there is none, so that a case never passes for having changed nothing.
func replace(t *testing.T, b []byte, old, new string) []byte {
	t.Helper()
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%q not found in the document", old)
	}
	return bytes.Replace(b, []byte(old), []byte(new), 1)
}

func signatureOf(t *testing.T, signed []byte) string {
	t.Helper()
	m := regexp.MustCompile(`<ds:Signature .*</ds:Signature>`).Find(signed)
	if m == nil {
		t.Fatal("no signature in the signed document")
	}
	return string(m)
}

func TestVerifyRefuses(t *testing.T) {
	p := pki(t)
	in := unsigned(t)
	signed := signWith(t, in, p.Signer, p.Now())
	sig := signatureOf(t, signed)

	other, err := testpki.New(testpki.Options{Name: "AUTRE-IGC", Now: p.Now()})
	if err != nil {
		t.Fatal(err)
	}
	expired, err := p.IssueSigner(testpki.SignerRequest{Subject: testpki.SignerSubject,
		NotBefore: p.Now().AddDate(-3, 0, 0), NotAfter: p.Now().AddDate(0, 0, -1)})
	if err != nil {
		t.Fatal(err)
	}
	wrongName, err := p.IssueSigner(testpki.SignerRequest{Subject: "CN=Autre Signataire,OU=318751275100020,O=AGENCE DU NUMERIQUE EN SANTE,ST=Paris (75),C=FR"})
	if err != nil {
		t.Fatal(err)
	}
	signOnly, err := p.IssueSigner(testpki.SignerRequest{Subject: testpki.SignerSubject, KeyUsage: x509.KeyUsageKeyEncipherment})
	if err != nil {
		t.Fatal(err)
	}
	crl, err := p.RevocationList(p.Now(), p.Signer.Cert)
	if err != nil {
		t.Fatal(err)
	}
	revocations, err := x509.ParseRevocationList(crl)
	if err != nil {
		t.Fatal(err)
	}
	root := []byte(`</ListeBlancheDRIM-M>`)
	withRevocations := options(p)
	withRevocations.CRLs = []*x509.RevocationList{revocations}
	withoutCRL := options(p)
	withoutCRL.CRLs = nil
	otherO := options(p)
	otherO.SignerO = "AUTRE ORGANISATION"
	// A key that expired yesterday signs today's list with a signing time
	// inside its old validity.
	backdated := signWith(t, in, expired, p.Now().AddDate(0, 0, -2))
	unsignedProps := replace(t, signed, "</xades:SignedProperties>",
		"</xades:SignedProperties><xades:UnsignedProperties><xades:UnsignedSignatureProperties>"+
			"<Domaine><Identifiant>999</Identifiant></Domaine></xades:UnsignedSignatureProperties></xades:UnsignedProperties>")

	tests := []struct {
		name string
		doc  []byte
		opts *VerifyOptions
		want error
		says string
	}{
		{"unsigned", in, nil, ErrUnsigned, "no ds:Signature"},
		{"one byte changed", replace(t, signed, "db12.test", "db13.test"), nil, ErrDigest, "modified after signing"},
		{"entry removed", regexp.MustCompile(`(?s)<Domaine>.*?</Domaine>\s*`).ReplaceAll(signed, nil), nil, ErrDigest, "modified"},
		{"two Signature elements", bytes.Replace(signed, root, append([]byte(sig), root...), 1), nil, ErrProfile, "2 ds:Signature"},
		{"second signature inside an entry", replace(t, signed, "</Domaine>", sig+"</Domaine>"), nil, ErrProfile, "2 ds:Signature"},
		{"signature not last", replace(t, replace(t, signed, sig, ""), "<ListeDomaines>", "<ListeDomaines>"+sig), nil, ErrProfile, "not the last child"},
		{"Reference URI other than empty", replace(t, signed, `URI=""`, `URI="#x"`), nil, ErrProfile, `URI "#x"`},
		{"SHA-1 digest", replace(t, signed, `<ds:DigestMethod Algorithm="`+AlgSHA256, `<ds:DigestMethod Algorithm="`+AlgSHA1), nil, ErrProfile, "SHA-1"},
		{"RSA-SHA1 signature", replace(t, signed, AlgRSASHA256, AlgRSASHA1), nil, ErrProfile, "RSA-SHA256"},
		{"enveloped-signature transform instead of the filter", replace(t, signed, `<ds:Transform Algorithm="`+NamespaceFilter2+`">`, `<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature">`), nil, ErrProfile, "XPath Filter 2.0"},
		{"filter that subtracts nothing", replace(t, signed, "/descendant::ds:Signature", "/descendant::ds:Nothing"), nil, ErrProfile, "XPath filter"},
		{"filter intersect", replace(t, signed, `Filter="subtract"`, `Filter="intersect"`), nil, ErrProfile, "subtract"},
		{"signature value changed", changeSignatureValue(t, signed), nil, ErrSignature, "does not verify"},
		{"MimeType changed", replace(t, signed, "<xades:MimeType>text/xml<", "<xades:MimeType>application/octet-stream<"), nil, ErrDigest, "SignedProperties"},
		{"unknown MimeType", replace(t, signed, "<xades:MimeType>text/xml<", "<xades:MimeType>text/html<"), nil, ErrProfile, "text/html"},
		{"duplicate Id", replace(t, signed, "<Domaine>", `<Domaine Id="xades-`+idOf(t, sig)+`">`), nil, ErrProfile, "appears twice"},
		{"SignedProperties elsewhere", replace(t, signed, `<xades:SignedProperties Id="xades-`, `<xades:SignedProperties Id="moved-`), nil, ErrProfile, "SignedProperties has Id"},
		{"DOCTYPE", append([]byte(`<!DOCTYPE ListeBlancheDRIM-M [<!ENTITY x "y">]>`), signed[39:]...), nil, ErrForbidden, "DOCTYPE"},
		{"entity reference", replace(t, signed, "FICTIF</Denomination>", "&x;</Denomination>"), nil, ErrMalformed, "entity"},
		{"comment injected", replace(t, signed, "db3.test.mesimagesmedicales.fr</db>", "db3.test<!---->.mesimagesmedicales.fr</db>"), nil, ErrForbidden, "comment"},
		{"processing instruction", replace(t, signed, "<ListeDomaines>", "<?evil x?><ListeDomaines>"), nil, ErrForbidden, "processing instruction"},
		{"another encoding", replace(t, signed, `encoding="UTF-8"`, `encoding="ISO-8859-1"`), nil, ErrMalformed, "UTF-8"},
		{"undeclared prefix", replace(t, signed, "<ListeDomaines>", "<ListeDomaines><x:y/>"), nil, ErrMalformed, "undeclared"},
		{"50 MiB file", append(bytes.Repeat([]byte(" "), 50<<20), signed...), nil, ErrLimit, "bytes"},
		{"deep nesting", replace(t, signed, "<ListeDomaines>", "<ListeDomaines>"+strings.Repeat("<a>", 40)+strings.Repeat("</a>", 40)), nil, ErrLimit, "deeper"},
		{"chain to another root", signWith(t, in, other.Signer, p.Now()), nil, ErrCertificate, "does not chain"},
		{"expired signer", signWith(t, in, expired, p.Now()), nil, ErrCertificate, "is not valid"},
		{"expired signer, backdated signing time", backdated, nil, ErrCertificate, "at the verification time"},
		{"signing time before the signer existed", signWith(t, in, p.Signer, p.Signer.Cert.NotBefore.Add(-time.Hour)), nil, ErrSigningTime, "before the signer certificate was valid"},
		{"unsigned properties", unsignedProps, nil, ErrUnsignedContent, "UnsignedProperties"},
		{"wrong signer organisation", signed, &otherO, ErrCertificate, `O is "AGENCE DU NUMERIQUE EN SANTE"`},
		{"no CRL", signed, &withoutCRL, ErrNoCRL, "no CRL given is signed by"},
		{"wrong signer name", signWith(t, in, wrongName, p.Now()), nil, ErrCertificate, `CN is "Autre Signataire"`},
		{"signer without nonRepudiation", signWith(t, in, signOnly, p.Now()), nil, ErrCertificate, "key usage"},
		{"revoked signer", signed, &withRevocations, ErrRevoked, "revoked"},
		{"signing time in the future", signWith(t, in, p.Signer, p.Now().Add(48*time.Hour)), nil, ErrSigningTime, "after the verification time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := options(p)
			if tt.opts != nil {
				opts = *tt.opts
			}
			got, err := Verify(tt.doc, opts)
			if err == nil {
				t.Fatalf("accepted, signed by %q", got.Signer.Subject)
			}
			if testing.Verbose() {
				t.Log(err)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("error %q is not %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("error %q does not say %q", err, tt.says)
			}
		})
	}
}

// changeSignatureValue changes the first base64 character of the
// signature value to another one, whatever it was.
func changeSignatureValue(t *testing.T, signed []byte) []byte {
	t.Helper()
	loc := regexp.MustCompile(`Id="value-[^"]*">`).FindIndex(signed)
	if loc == nil {
		t.Fatal("no SignatureValue")
	}
	out := bytes.Clone(signed)
	if out[loc[1]] == 'A' {
		out[loc[1]] = 'B'
	} else {
		out[loc[1]] = 'A'
	}
	return out
}

func idOf(t *testing.T, sig string) string {
	t.Helper()
	m := regexp.MustCompile(`Id="(id-[0-9a-f]+)"`).FindStringSubmatch(sig)
	if m == nil {
		t.Fatal("no Id on the signature")
	}
	return m[1]
}

// The independent verifier agrees on what must be refused where the
// signature itself is broken.
func TestXmlsecAgreesOnTampering(t *testing.T) {
	p := pki(t)
	signed := signWith(t, unsigned(t), p.Signer, p.Now())
	if err := xmlsecVerify(t, p, replace(t, signed, "db12.test", "db13.test")); err == nil {
		t.Error("xmlsec1 accepts a changed list: the test harness is not checking anything")
	}
}

func TestCRLMustCoverTheSigner(t *testing.T) {
	p := pki(t)
	signed := signWith(t, unsigned(t), p.Signer, p.Now())
	other, err := testpki.New(testpki.Options{Name: "AUTRE-IGC", Now: p.Now()})
	if err != nil {
		t.Fatal(err)
	}
	crl := func(p *testpki.PKI, at time.Time, revoked ...*x509.Certificate) *x509.RevocationList {
		t.Helper()
		der, err := p.RevocationList(at, revoked...)
		if err != nil {
			t.Fatal(err)
		}
		c, err := x509.ParseRevocationList(der)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	tests := []struct {
		name   string
		crls   []*x509.RevocationList
		policy Revocation
		want   error  // nil: accepted
		says   string // in the error, or in the warnings when accepted
	}{
		{"a CRL of another CA", []*x509.RevocationList{crl(other, p.Now())}, RevocationRequired, ErrNoCRL, "no CRL given is signed by"},
		{"a stale CRL", []*x509.RevocationList{crl(p, p.Now().AddDate(0, 0, -30))}, RevocationRequired, ErrNoCRL, "expired on"},
		{"a CRL not yet valid", []*x509.RevocationList{crl(p, p.Now().AddDate(0, 0, 1))}, RevocationRequired, ErrNoCRL, "not valid before"},
		{"a current CRL", []*x509.RevocationList{crl(p, p.Now())}, RevocationRequired, nil, ""},
		{"a stale CRL, soft-fail", []*x509.RevocationList{crl(p, p.Now().AddDate(0, 0, -30))}, RevocationSoftFail, nil, "revocation not checked: the CRL of"},
		{"a stale CRL that revokes the signer, soft-fail", []*x509.RevocationList{crl(p, p.Now().AddDate(0, 0, -30), p.Signer.Cert)}, RevocationSoftFail, ErrRevoked, "was revoked"},
		{"no CRL, skipped", nil, RevocationSkipped, nil, "revocation not checked: the signer may have been revoked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := options(p)
			opts.CRLs, opts.Revocation = tt.crls, tt.policy
			got, err := Verify(signed, opts)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if w := strings.Join(got.Warnings, "\n"); !strings.Contains(w, tt.says) || (tt.says == "") != (w == "") {
					t.Errorf("warnings %q, want %q", w, tt.says)
				}
				return
			}
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("got %v, want %v saying %q", err, tt.want, tt.says)
			}
		})
	}
}

// FetchCRLs is asked only for a certificate that names a distribution
// point and that no CRL at hand covers.
func TestFetchCRLs(t *testing.T) {
	p, err := testpki.New(testpki.Options{Now: pki(t).Now(), CRLBaseURL: "http://crl.test.invalid"})
	if err != nil {
		t.Fatal(err)
	}
	signed := signWith(t, unsigned(t), p.Signer, p.Now())
	der, err := p.RevocationList(p.Now(), p.Signer.Cert)
	if err != nil {
		t.Fatal(err)
	}
	revoking, _ := x509.ParseRevocationList(der)
	var asked []string
	opts := options(p)
	opts.CRLs = nil
	opts.FetchCRLs = func(cert, issuer *x509.Certificate) ([]*x509.RevocationList, error) {
		asked = append(asked, cert.Subject.CommonName+" at "+strings.Join(cert.CRLDistributionPoints, " "))
		return []*x509.RevocationList{revoking}, nil
	}
	if _, err := Verify(signed, opts); !errors.Is(err, ErrRevoked) {
		t.Fatalf("got %v, want %v", err, ErrRevoked)
	}
	if want := []string{"Liste Blanche DRIM-M at http://crl.test.invalid/org-ca.crl"}; !slices.Equal(asked, want) {
		t.Errorf("asked for %q, want %q", asked, want)
	}
	opts.FetchCRLs = func(cert, issuer *x509.Certificate) ([]*x509.RevocationList, error) {
		return nil, errors.New("connection refused")
	}
	if _, err := Verify(signed, opts); !errors.Is(err, ErrNoCRL) || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("the CRL server down: got %v, want %v", err, ErrNoCRL)
	}
}
