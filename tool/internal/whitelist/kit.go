package whitelist

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"time"

	"github.com/drim-m/trust-space/tool/internal/atomicfile"
	"github.com/drim-m/trust-space/tool/internal/testpki"
	"github.com/drim-m/trust-space/tool/internal/xades"
)

// kitVectors are the vectors of the kit and their expected verdicts.
var kitVectors = []Vector{
	{File: "valid.xml", Expect: "accept", Why: "a list signed in the ANS profile (DataObjectFormat text/xml) by the kit's Liste Blanche DRIM-M signer"},
	{File: "valid-octet-stream.xml", Expect: "accept", Why: "the same list with DataObjectFormat application/octet-stream, as older ANS lists have it"},
	{File: "unsigned.xml", Expect: "refuse", Why: "the list without any signature"},
	{File: "byte-changed.xml", Expect: "refuse", Why: "valid.xml with one byte of an entry changed after signing"},
	{File: "wrong-signer.xml", Expect: "refuse", Why: "signed by a certificate of the right CA whose CN is not Liste Blanche DRIM-M"},
	{File: "wrong-organisation.xml", Expect: "refuse", Why: "signed by a certificate of the right CA, CN and OU, whose O is not AGENCE DU NUMERIQUE EN SANTE"},
	{File: "expired-signer.xml", Expect: "refuse", Why: "signed by a certificate that expired the day before the verification time"},
	{File: "backdated-signer.xml", Expect: "refuse", Why: "a current list signed with the key of a certificate that expired the day before, with a signing time inside its old validity"},
	{File: "signed-before-generation.xml", Expect: "refuse", Why: "a valid signer, but a signing time an hour before the list's DateDeGeneration: a backdated signature"},
	{File: "future-signing-time.xml", Expect: "refuse", Why: "a signing time an hour after the verification time"},
	{File: "other-root.xml", Expect: "refuse", Why: "signed by a certificate that chains to another root than the pinned one"},
	{File: "revoked-signer.xml", Expect: "refuse", Why: "signed by a certificate that crl.der revokes"},
	{File: "valid.xml", CRL: "crl-expired.der", Expect: "refuse", Why: "valid.xml with only an expired CRL of the CA at hand: whether the signer is revoked is unknown"},
	{File: "unsigned-properties.xml", Expect: "refuse", Why: "valid.xml with a forged entry under xades:UnsignedProperties, which no signature covers"},
	{File: "wrapped-signature.xml", Expect: "refuse", Why: "signature wrapping: a forged entry added to the list, the signed list hidden in a second ds:Object of the signature"},
	{File: "second-signature.xml", Expect: "refuse", Why: "valid.xml with a second ds:Signature element"},
	{File: "comment-injected.xml", Expect: "refuse", Why: "valid.xml with an XML comment inside a db value: the signature, computed without comments, still matches, but a reader that stops at the comment reads another name"},
	{File: "doctype.xml", Expect: "refuse", Why: "valid.xml with a DOCTYPE declaring an entity"},
	{File: "too-old.xml", Expect: "refuse", Why: "a correctly signed list generated four days before the verification time, older than max_age"},
	{File: "older.xml", Expect: "refuse", After: "valid.xml", Why: "a correctly signed list generated a day before valid.xml: refused once valid.xml was accepted (no going back)"},
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
		SignerCN: SignerCN, SignerOU: SignerOU, SignerO: SignerO, Namespace: DefaultNamespace,
		MaxAge: DefaultMaxAge.String(),
	}
	states := map[string]*State{}
	for _, v := range kitVectors {
		if v.CRL == "" {
			v.CRL = "crl.der"
		}
		opts := VerifyOptions{Signature: xades.VerifyOptions{
			Roots: []*x509.Certificate{pki.Root.Cert}, Intermediates: []*x509.Certificate{pki.OrgCA.Cert},
			CRLs:     []*x509.RevocationList{crls[v.CRL]},
			SignerCN: SignerCN, SignerOU: SignerOU, SignerO: SignerO, Now: at,
		}, MaxAge: DefaultMaxAge}
		if v.After != "" {
			opts.Last = states[v.After]
		}
		got, err := Verify(files[v.File], opts)
		if err != nil {
			v.Drimm = "refused: " + err.Error()
		} else {
			v.Drimm = "accepted"
			states[v.File] = &got.State
		}
		if (err == nil) != (v.Expect == "accept") {
			return nil, fmt.Errorf("vector %s: drimm's verifier %s, the kit expects %s", v.File, v.Drimm, v.Expect)
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

var signatureRe = regexp.MustCompile(`<ds:Signature [^>]*>.*</ds:Signature>`)

// changeOneByte changes one letter of the first Denomination, or of the
// generation date when the list is empty.
func changeOneByte(doc []byte) []byte {
	out := bytes.Clone(doc)
	at := bytes.Index(out, []byte("<Denomination>"))
	if at < 0 {
		at = bytes.Index(out, []byte("<DateDeGeneration>")) + len("<DateDeGeneration>") + 2
	} else {
		at += len("<Denomination>")
	}
	if out[at] == 'X' {
		out[at] = 'Y'
	} else {
		out[at] = 'X'
	}
	return out
}

// wrap adds a forged entry and hides the signed list in the signature.
func wrap(doc []byte) []byte {
	sig := signatureRe.Find(doc)
	body := signatureRe.ReplaceAll(doc, nil)
	original := body[bytes.Index(body, []byte("<ListeBlancheDRIM-M")):]
	forged := []byte("<Domaine><Identifiant>999999</Identifiant><db>db999999.attaquant.example</db><vi></vi>" +
		"<Denomination>ATTAQUANT</Denomination><DNCertificatOperateur>CN=db999999.attaquant.example,C=FR</DNCertificatOperateur>" +
		"<SupportContact>attaquant@attaquant.example</SupportContact><DateMAJ>2026-01-01T00:00:00Z</DateMAJ></Domaine>\n")
	if bytes.Contains(body, []byte("<ListeDomaines/>")) {
		body = bytes.Replace(body, []byte("<ListeDomaines/>"), append(append([]byte("<ListeDomaines>"), forged...), "</ListeDomaines>"...), 1)
	} else {
		body = bytes.Replace(body, []byte("</ListeDomaines>"), append(forged, "</ListeDomaines>"...), 1)
	}
	hidden := append(append([]byte("<ds:Object>"), bytes.TrimSpace(original)...), "</ds:Object></ds:Signature>"...)
	wrapped := bytes.Replace(sig, []byte("</ds:Signature>"), hidden, 1)
	end := bytes.LastIndex(body, []byte("</ListeBlancheDRIM-M>"))
	return append(append(bytes.Clone(body[:end]), wrapped...), body[end:]...)
}

// secondSignature repeats the signature.
func secondSignature(doc []byte) []byte {
	sig := signatureRe.Find(doc)
	i := bytes.Index(doc, sig)
	return append(append(bytes.Clone(doc[:i]), sig...), doc[i:]...)
}

// injectComment puts an empty comment inside the first db value.
func injectComment(doc []byte) []byte {
	at := bytes.Index(doc, []byte("<db>"))
	if at < 0 {
		at = bytes.Index(doc, []byte("<DateDeGeneration>")) + len("<DateDeGeneration>") + 4
	} else {
		at += len("<db>") + 2
	}
	return append(append(bytes.Clone(doc[:at]), "<!---->"...), doc[at:]...)
}

// withDoctype declares an entity after the XML declaration.
func withDoctype(doc []byte) []byte {
	at := bytes.Index(doc, []byte("?>")) + 2
	return append(append(bytes.Clone(doc[:at]), "\n<!DOCTYPE ListeBlancheDRIM-M [<!ENTITY drimm \"DRIM-M\">]>"...), doc[at:]...)
}

// unsignedProperties puts a forged entry under xades:UnsignedProperties,
// where no signature covers it.
func unsignedProperties(doc []byte) []byte {
	forged := "<xades:UnsignedProperties><xades:UnsignedSignatureProperties><Domaine><Identifiant>999999</Identifiant>" +
		"<db>db999999.attaquant.example</db></Domaine></xades:UnsignedSignatureProperties></xades:UnsignedProperties>"
	return bytes.Replace(doc, []byte("</xades:SignedProperties>"), []byte("</xades:SignedProperties>"+forged), 1)
}
