package xades

import (
	"bytes"
	"crypto/x509"
	"errors"
	"regexp"
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
		{"filter that subtracts nothing", replace(t, signed, filterXPath, "/descendant::ds:Nothing"), nil, ErrProfile, "XPath filter"},
		{"filter intersect", replace(t, signed, `Filter="subtract"`, `Filter="intersect"`), nil, ErrProfile, "subtract"},
		{"signature value changed", regexp.MustCompile(`(Id="value-[^"]*">)(.)`).ReplaceAll(signed, []byte("${1}A")), nil, ErrSignature, "does not verify"},
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
		{"expired signer", signWith(t, in, expired, p.Now()), nil, ErrCertificate, "was not valid"},
		{"wrong signer name", signWith(t, in, wrongName, p.Now()), nil, ErrCertificate, `CN is "Autre Signataire"`},
		{"signer without nonRepudiation", signWith(t, in, signOnly, p.Now()), nil, ErrCertificate, "key usage"},
		{"revoked signer", signed, &withRevocations, ErrRevoked, "revoked"},
		{"signing time in the future", signWith(t, in, p.Signer, p.Now().Add(48*time.Hour)), nil, ErrProfile, "future"},
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
	der, err := other.RevocationList(p.Now())
	if err != nil {
		t.Fatal(err)
	}
	foreign, err := x509.ParseRevocationList(der)
	if err != nil {
		t.Fatal(err)
	}
	opts := options(p)
	opts.CRLs = []*x509.RevocationList{foreign}
	if _, err := Verify(signed, opts); err == nil || !strings.Contains(err.Error(), "no CRL given") {
		t.Errorf("a CRL of another CA: got %v", err)
	}
	der, err = p.RevocationList(p.Now().AddDate(0, 0, -30))
	if err != nil {
		t.Fatal(err)
	}
	stale, _ := x509.ParseRevocationList(der)
	opts.CRLs = []*x509.RevocationList{stale}
	if _, err := Verify(signed, opts); err == nil || !strings.Contains(err.Error(), "expired") {
		t.Errorf("a stale CRL: got %v", err)
	}
	der, err = p.RevocationList(p.Now())
	if err != nil {
		t.Fatal(err)
	}
	current, _ := x509.ParseRevocationList(der)
	opts.CRLs = []*x509.RevocationList{current}
	if _, err := Verify(signed, opts); err != nil {
		t.Errorf("a current CRL that does not list the signer: %v", err)
	}
}
