package whitelist

import (
	"crypto/x509"
	"fmt"
	"time"

	"github.com/drim-m/trust-space/tool/internal/testpki"
	"github.com/drim-m/trust-space/tool/internal/xades"
)

// Vector is one list of the homologation kit and the verdict a correct
// verifier gives.
type Vector struct {
	File string `json:"file"`
	// Expect is "accept" or "refuse".
	Expect string `json:"expect"`
	// After, when set, names the vector a verifier must have accepted first
	// (and kept in its state) for this verdict to hold.
	After string `json:"after,omitempty"`
	// CRL is the revocation list of the CA to verify with; every vector
	// is verified with revocation checked.
	CRL string `json:"crl"`
	// Why says what the vector tests.
	Why string `json:"why"`
	// Drimm is what drimm's own verifier said of it.
	Drimm string `json:"drimm"`
}

// Kit is the manifest of a homologation kit (testvectors.json).
type Kit struct {
	Generated        time.Time `json:"generated"`
	VerificationTime time.Time `json:"verification_time"`
	TrustAnchor      string    `json:"trust_anchor"`
	Intermediate     string    `json:"intermediate"`
	SignerCN         string    `json:"signer_cn"`
	SignerOU         string    `json:"signer_ou"`
	SignerO          string    `json:"signer_o"`
	Namespace        string    `json:"namespace"`
	// MaxAge is the freshness limit, in Go duration syntax (72h0m0s).
	MaxAge  string   `json:"max_age"`
	Vectors []Vector `json:"vectors"`
}

// WriteKit writes to dir a homologation kit for DRIMbox vendors: a
// throwaway IGC Santé-shaped PKI (root.pem to pin, org-ca.pem, crl.der), a
// valid list signed in the ANS profile, and lists a correct verifier must
// refuse, each described in testvectors.json with its expected verdict.
// Every verdict is checked against drimm's own verifier before the kit is
// written; the kit is for tests only, its keys are thrown away.
func WriteKit(dir string, l *List, at time.Time) (*Kit, error) {
	at = at.UTC().Truncate(time.Second)
	pki, err := testpki.New(testpki.Options{Now: at})
	if err != nil {
		return nil, err
	}
	other, err := testpki.New(testpki.Options{Now: at, Name: "AUTRE-IGC"})
	if err != nil {
		return nil, err
	}
	wrongName, err := pki.IssueSigner(testpki.SignerRequest{Subject: "CN=Autre Signataire,OU=318751275100020,O=AGENCE DU NUMERIQUE EN SANTE,ST=Paris (75),C=FR"})
	if err != nil {
		return nil, err
	}
	wrongOrg, err := pki.IssueSigner(testpki.SignerRequest{Subject: "CN=Liste Blanche DRIM-M,OU=318751275100020,O=AUTRE ORGANISATION,ST=Paris (75),C=FR"})
	if err != nil {
		return nil, err
	}
	expired, err := pki.IssueSigner(testpki.SignerRequest{Subject: testpki.SignerSubject, NotBefore: at.AddDate(-3, 0, -1), NotAfter: at.AddDate(0, 0, -1)})
	if err != nil {
		return nil, err
	}
	revoked, err := pki.IssueSigner(testpki.SignerRequest{Subject: testpki.SignerSubject})
	if err != nil {
		return nil, err
	}
	crlDER, err := pki.RevocationList(at.Add(-time.Hour), revoked.Cert)
	if err != nil {
		return nil, err
	}
	staleCRL, err := pki.RevocationList(at.AddDate(0, 0, -8))
	if err != nil {
		return nil, err
	}

	content := *l
	content.Generated = at.Add(-time.Minute)
	unsigned, err := Marshal(&content)
	if err != nil {
		return nil, err
	}
	signAt := func(doc []byte, c *testpki.Cert, mime string, t time.Time) ([]byte, error) {
		return xades.Sign(doc, xades.SignOptions{Key: c.Key, Chain: append([]*x509.Certificate{c.Cert}, c.Chain...), Time: t, MimeType: mime})
	}
	valid, err := signAt(unsigned, pki.Signer, xades.MimeXML, at)
	if err != nil {
		return nil, err
	}
	generatedAt := func(t time.Time) []byte {
		l := content
		l.Generated = t
		b, merr := Marshal(&l)
		if merr != nil {
			err = merr
		}
		return b
	}
	olderBytes, tooOld := generatedAt(content.Generated.AddDate(0, 0, -1)), generatedAt(at.AddDate(0, 0, -4))
	if err != nil {
		return nil, err
	}

	signed := func(doc []byte, c *testpki.Cert, mime string) func() ([]byte, error) {
		return func() ([]byte, error) { return signAt(doc, c, mime, at) }
	}
	signedAt := func(doc []byte, c *testpki.Cert, t time.Time) func() ([]byte, error) {
		return func() ([]byte, error) { return signAt(doc, c, xades.MimeXML, t) }
	}
	fixed := func(b []byte) func() ([]byte, error) { return func() ([]byte, error) { return b, nil } }
	makers := map[string]func() ([]byte, error){
		"valid.xml":                    fixed(valid),
		"valid-octet-stream.xml":       signed(unsigned, pki.Signer, xades.MimeOctet),
		"unsigned.xml":                 fixed(unsigned),
		"byte-changed.xml":             fixed(changeOneByte(valid)),
		"wrong-signer.xml":             signed(unsigned, wrongName, xades.MimeXML),
		"expired-signer.xml":           signed(unsigned, expired, xades.MimeXML),
		"other-root.xml":               signed(unsigned, other.Signer, xades.MimeXML),
		"revoked-signer.xml":           signed(unsigned, revoked, xades.MimeXML),
		"wrapped-signature.xml":        fixed(wrap(valid)),
		"second-signature.xml":         fixed(secondSignature(valid)),
		"comment-injected.xml":         fixed(injectComment(valid)),
		"doctype.xml":                  fixed(withDoctype(valid)),
		"older.xml":                    signed(olderBytes, pki.Signer, xades.MimeXML),
		"wrong-organisation.xml":       signed(unsigned, wrongOrg, xades.MimeXML),
		"backdated-signer.xml":         signedAt(unsigned, expired, at.AddDate(0, 0, -2)),
		"signed-before-generation.xml": signedAt(unsigned, pki.Signer, content.Generated.Add(-time.Hour)),
		"future-signing-time.xml":      signedAt(unsigned, pki.Signer, at.Add(time.Hour)),
		"unsigned-properties.xml":      fixed(unsignedProperties(valid)),
		"too-old.xml":                  signed(tooOld, pki.Signer, xades.MimeXML),
	}
	files := map[string][]byte{}
	for name, mk := range makers {
		if files[name], err = mk(); err != nil {
			return nil, fmt.Errorf("making %s: %w", name, err)
		}
	}
	return writeKit(dir, pki, map[string][]byte{"crl.der": crlDER, "crl-expired.der": staleCRL}, at, files)
}
