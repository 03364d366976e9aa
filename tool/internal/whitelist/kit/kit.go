// Package kit writes the homologation kit of the Liste Blanche: a throwaway
// IGC Santé-shaped PKI, a valid list, and the lists a correct verifier must
// refuse, each with its expected verdict and the check that refuses it.
//
// It is test material in the release binary on purpose (drimm whitelist
// testvectors gives vendors their test suite), and the only part of the
// Liste Blanche code that imports the test PKI: the signing and verifying
// paths (packages whitelist, xades, whitelist/fetch, listeblanche) never
// import it, which a test checks.
package kit

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"time"

	"github.com/drim-m/trust-space/tool/internal/atomicfile"
	"github.com/drim-m/trust-space/tool/internal/testpki"
	"github.com/drim-m/trust-space/tool/internal/whitelist"
	"github.com/drim-m/trust-space/tool/listeblanche"
	"github.com/drim-m/trust-space/tool/listeblanche/xades"
)

// Vector is one list of the homologation kit and the verdict a correct
// verifier gives.
type Vector struct {
	File string `json:"file"`
	// Expect is "accept" or "refuse".
	Expect string `json:"expect"`
	// Check is the check that refuses the list (package listeblanche's
	// names), empty for a list to accept.
	Check listeblanche.Check `json:"check,omitempty"`
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

// vectors are the vectors of the kit and their expected verdicts.
var vectors = []Vector{
	{File: "valid.xml", Expect: "accept", Why: "a list signed in the ANS profile (DataObjectFormat text/xml) by the kit's Liste Blanche DRIM-M signer"},
	{File: "valid-octet-stream.xml", Expect: "accept", Why: "the same list with DataObjectFormat application/octet-stream, as older ANS lists have it"},
	{File: "unsigned.xml", Expect: "refuse", Check: listeblanche.CheckProfile, Why: "the list without any signature"},
	{File: "byte-changed.xml", Expect: "refuse", Check: listeblanche.CheckSignature, Why: "valid.xml with one byte of an entry changed after signing"},
	{File: "wrong-signer.xml", Expect: "refuse", Check: listeblanche.CheckSigner, Why: "signed by a certificate of the right CA whose CN is not Liste Blanche DRIM-M"},
	{File: "wrong-organisation.xml", Expect: "refuse", Check: listeblanche.CheckSigner, Why: "signed by a certificate of the right CA, CN and OU, whose O is not AGENCE DU NUMERIQUE EN SANTE"},
	{File: "two-cns-signer.xml", Expect: "refuse", Check: listeblanche.CheckSigner, Why: "signed by a certificate of the right CA whose subject has two CNs, Liste Blanche DRIM-M and another: a reader that keeps one of them sees the expected name"},
	{File: "multi-valued-signer.xml", Expect: "refuse", Check: listeblanche.CheckSigner, Why: "signed by a certificate of the right CA whose subject joins CN Liste Blanche DRIM-M and OU 318751275100020 in one multi-valued RDN (CN=…+OU=…)"},
	{File: "keyinfo-other-subject.xml", Expect: "refuse", Check: listeblanche.CheckProfile, Why: "valid.xml with KeyInfo's X509SubjectName, which no signature covers, naming another signer than the certificate's"},
	{File: "expired-signer.xml", Expect: "refuse", Check: listeblanche.CheckSigner, Why: "signed by a certificate that expired the day before the verification time"},
	{File: "backdated-signer.xml", Expect: "refuse", Check: listeblanche.CheckSigner, Why: "a current list signed with the key of a certificate that expired the day before, with a signing time inside its old validity"},
	{File: "signed-before-generation.xml", Expect: "refuse", Check: listeblanche.CheckTime, Why: "a valid signer, but a signing time an hour before the list's DateDeGeneration: a backdated signature"},
	{File: "future-signing-time.xml", Expect: "refuse", Check: listeblanche.CheckTime, Why: "a signing time an hour after the verification time"},
	{File: "other-root.xml", Expect: "refuse", Check: listeblanche.CheckSigner, Why: "signed by a certificate that chains to another root than the pinned one"},
	{File: "revoked-signer.xml", Expect: "refuse", Check: listeblanche.CheckRevocation, Why: "signed by a certificate that crl.der revokes"},
	{File: "valid.xml", CRL: "crl-expired.der", Expect: "refuse", Check: listeblanche.CheckRevocation, Why: "valid.xml with only an expired CRL of the CA at hand: whether the signer is revoked is unknown"},
	{File: "unsigned-properties.xml", Expect: "refuse", Check: listeblanche.CheckProfile, Why: "valid.xml with a forged entry under xades:UnsignedProperties, which no signature covers"},
	{File: "wrapped-signature.xml", Expect: "refuse", Check: listeblanche.CheckProfile, Why: "signature wrapping: a forged entry added to the list, the signed list hidden in a second ds:Object of the signature"},
	{File: "second-signature.xml", Expect: "refuse", Check: listeblanche.CheckProfile, Why: "valid.xml with a second ds:Signature element"},
	{File: "comment-injected.xml", Expect: "refuse", Check: listeblanche.CheckXML, Why: "valid.xml with an XML comment inside a db value: the signature, computed without comments, still matches, but a reader that stops at the comment reads another name"},
	{File: "doctype.xml", Expect: "refuse", Check: listeblanche.CheckXML, Why: "valid.xml with a DOCTYPE declaring an entity"},
	{File: "too-old.xml", Expect: "refuse", Check: listeblanche.CheckFreshness, Why: "a correctly signed list generated four days before the verification time, older than max_age"},
	{File: "older.xml", Expect: "refuse", Check: listeblanche.CheckRollback, After: "valid.xml", Why: "a correctly signed list generated a day before valid.xml: refused once valid.xml was accepted (no going back)"},
}

const kitReadme = `Liste Blanche DRIM-M — homologation kit (test material only)

Each *.xml file is a Liste Blanche; testvectors.json says whether a correct
verifier accepts or refuses it, and why. Verify them:

  - pinning root.pem as the only trust anchor, with org-ca.pem as the
    intermediate CA (some lists carry only the signer certificate);
  - expecting the signer CN "Liste Blanche DRIM-M", OU "318751275100020"
    and O "AGENCE DU NUMERIQUE EN SANTE";
  - at the verification time given in testvectors.json, with its max_age;
  - checking revocation with the CRL file each vector names, and refusing
    a list when no current CRL of the CA is at hand;
  - for "after": having accepted the named list first.

Every key of this kit was generated for it and thrown away: nothing here may
be trusted outside tests. drimm checks each verdict with its own verifier
(the "drimm" field) before writing the kit; for example:

  drimm whitelist verify --trust-anchor root.pem --ca org-ca.pem \
    --crl crl.der --at VERIFICATION_TIME valid.xml
`

// Write writes to dir a homologation kit for DRIMbox vendors: a
// throwaway IGC Santé-shaped PKI (root.pem to pin, org-ca.pem, crl.der), a
// valid list signed in the ANS profile, and lists a correct verifier must
// refuse, each described in testvectors.json with its expected verdict.
// Every verdict is checked against drimm's own verifier before the kit is
// written; the kit is for tests only, its keys are thrown away.
func Write(dir string, l *whitelist.List, at time.Time) (*Kit, error) {
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
	twoCNs, err := pki.IssueSigner(testpki.SignerRequest{Subject: "CN=Liste Blanche DRIM-M,CN=Autre Signataire,OU=318751275100020,O=AGENCE DU NUMERIQUE EN SANTE,ST=Paris (75),C=FR"})
	if err != nil {
		return nil, err
	}
	multiValued, err := pki.IssueSigner(testpki.SignerRequest{Subject: "CN=Liste Blanche DRIM-M+OU=318751275100020,O=AGENCE DU NUMERIQUE EN SANTE,ST=Paris (75),C=FR"})
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
	unsigned, err := whitelist.Marshal(&content)
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
		b, merr := whitelist.Marshal(&l)
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
		"two-cns-signer.xml":           signed(unsigned, twoCNs, xades.MimeXML),
		"multi-valued-signer.xml":      signed(unsigned, multiValued, xades.MimeXML),
		"keyinfo-other-subject.xml":    fixed(otherSubjectName(valid)),
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

// writeKit checks every vector against drimm's verifier, then writes the
// kit.
func writeKit(dir string, pki *testpki.PKI, crlFiles map[string][]byte, at time.Time, files map[string][]byte) (*Kit, error) {
	crls := map[string]*x509.RevocationList{}
	for name, der := range crlFiles {
		crl, err := x509.ParseRevocationList(der)
		if err != nil {
			return nil, err
		}
		crls[name] = crl
	}
	kit := &Kit{
		Generated: at, VerificationTime: at,
		TrustAnchor: "root.pem", Intermediate: "org-ca.pem",
		SignerCN: whitelist.SignerCN, SignerOU: whitelist.SignerOU, SignerO: whitelist.SignerO, Namespace: whitelist.DefaultNamespace,
		MaxAge: whitelist.DefaultMaxAge.String(),
	}
	// Each verdict and its reason are checked through the API vendors
	// call, package listeblanche.
	states := map[string]*listeblanche.State{}
	for _, v := range vectors {
		if v.CRL == "" {
			v.CRL = "crl.der"
		}
		got, err := listeblanche.Verify(context.Background(), files[v.File], listeblanche.Options{
			Roots: []*x509.Certificate{pki.Root.Cert}, Intermediates: []*x509.Certificate{pki.OrgCA.Cert},
			CRLs: []*x509.RevocationList{crls[v.CRL]}, Now: at, Last: states[v.After],
		})
		var refused *listeblanche.Error
		switch {
		case err == nil:
			v.Drimm = "accepted"
			states[v.File] = &got.State
		case errors.As(err, &refused):
			v.Drimm = "refused (" + string(refused.Check) + "): " + err.Error()
		default:
			return nil, fmt.Errorf("vector %s: %w", v.File, err)
		}
		if (err == nil) != (v.Expect == "accept") || (refused != nil && refused.Check != v.Check) {
			return nil, fmt.Errorf("vector %s: drimm's verifier %s, the kit expects %s %s", v.File, v.Drimm, v.Expect, v.Check)
		}
		kit.Vectors = append(kit.Vectors, v)
	}
	manifest, err := json.MarshalIndent(kit, "", "  ")
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{
		"root.pem": pki.Root.CertPEM(), "org-ca.pem": pki.OrgCA.CertPEM(),
		"testvectors.json": append(manifest, '\n'), "README.txt": []byte(kitReadme),
	}
	for name, data := range crlFiles {
		out[name] = data
	}
	for name, data := range files {
		out[name] = data
	}
	names := make([]string, 0, len(out))
	for name := range out {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := atomicfile.Write(filepath.Join(dir, name), out[name], 0o644); err != nil {
			return nil, err
		}
	}
	return kit, nil
}
