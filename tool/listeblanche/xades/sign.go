package xades

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/beevik/etree"

	"github.com/drim-m/trust-space/tool/listeblanche/dn"
)

// SignOptions say who signs, and when.
type SignOptions struct {
	// Key is the signer's RSA private key, usually in an HSM.
	Key crypto.Signer
	// Chain is the signer certificate first, then its issuers; all go into
	// KeyInfo.
	Chain []*x509.Certificate
	// Time is the SigningTime.
	Time time.Time
	// MimeType is the DataObjectFormat of the content; default text/xml.
	MimeType string
	// Limits bound the input; zero means DefaultLimits.
	Limits Limits
}

// Sign returns data with an enveloped signature in the ANS profile inserted
// as the last child of the root element. The rest of the bytes are kept as
// they are. The signature is deterministic for a given input, key and time.
func Sign(data []byte, opts SignOptions) ([]byte, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	p, err := Prepare(data, opts.Limits, nil)
	if err != nil {
		return nil, err
	}
	sig, err := p.Sign(opts)
	if err != nil {
		return nil, err
	}
	return bytes.Join(p.Parts(sig), nil), nil
}

// check refuses options that cannot make a signature, before any reading.
func (opts *SignOptions) check() error {
	if opts.Key == nil || len(opts.Chain) == 0 {
		return fmt.Errorf("signing needs a key and the signer certificate")
	}
	if !publicKeysEqual(opts.Key.Public(), opts.Chain[0].PublicKey) {
		return fmt.Errorf("the key does not match the signer certificate %q", opts.Chain[0].Subject)
	}
	if opts.Time.IsZero() {
		return fmt.Errorf("signing needs a signing time")
	}
	if _, err := opts.subject(); err != nil {
		return err
	}
	return nil
}

// subject is the signer's X509SubjectName, written by the reader that
// checks it, so that the name a verifier compares is the certificate's as
// encoded.
func (opts *SignOptions) subject() (string, error) {
	subject, err := dn.FromDER(opts.Chain[0].RawSubject)
	if err != nil {
		return "", fmt.Errorf("the signer certificate's subject: %w", err)
	}
	return subject.String(), nil
}

// Sign signs the prepared document and returns the ds:Signature element,
// which Parts places. opts.Limits is not used: the document was read by
// Prepare.
func (p *Prepared) Sign(opts SignOptions) ([]byte, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	signer := opts.Chain[0]
	subject, err := opts.subject()
	if err != nil {
		return nil, err
	}
	if opts.MimeType == "" {
		opts.MimeType = MimeXML
	}
	contentDigest := p.digest
	signingTime := opts.Time.UTC().Truncate(time.Second)

	idSeed := sha256.New()
	idSeed.Write(contentDigest[:])
	idSeed.Write([]byte(signingTime.Format(signingTimeLayout)))
	idSeed.Write(signer.Raw)
	id := "id-" + hex.EncodeToString(idSeed.Sum(nil)[:16])

	issuerSerial, err := marshalIssuerSerial(signer)
	if err != nil {
		return nil, fmt.Errorf("encoding IssuerSerialV2: %w", err)
	}
	certDigest := sha512.Sum512(signer.Raw)

	sig := p.root.Copy().CreateElement("ds:Signature")
	sig.CreateAttr("xmlns:ds", NamespaceDSig)
	sig.CreateAttr("Id", id)
	si := sig.CreateElement("ds:SignedInfo")
	si.CreateElement("ds:CanonicalizationMethod").CreateAttr("Algorithm", AlgExcC14N)
	si.CreateElement("ds:SignatureMethod").CreateAttr("Algorithm", AlgRSASHA256)

	ref1 := si.CreateElement("ds:Reference")
	ref1.CreateAttr("Id", "r-"+id+"-1")
	ref1.CreateAttr("URI", "")
	tr := ref1.CreateElement("ds:Transforms")
	filter := tr.CreateElement("ds:Transform")
	filter.CreateAttr("Algorithm", NamespaceFilter2)
	xp := filter.CreateElement("dsig-filter2:XPath")
	xp.CreateAttr("xmlns:dsig-filter2", NamespaceFilter2)
	xp.CreateAttr("Filter", filterSubtract)
	xp.SetText(filterXPath)
	tr.CreateElement("ds:Transform").CreateAttr("Algorithm", AlgExcC14N)
	ref1.CreateElement("ds:DigestMethod").CreateAttr("Algorithm", AlgSHA256)
	ref1.CreateElement("ds:DigestValue").SetText(base64.StdEncoding.EncodeToString(contentDigest[:]))

	ref2 := si.CreateElement("ds:Reference")
	ref2.CreateAttr("Type", TypeSignedProps)
	ref2.CreateAttr("URI", "#xades-"+id)
	ref2.CreateElement("ds:Transforms").CreateElement("ds:Transform").CreateAttr("Algorithm", AlgExcC14N)
	ref2.CreateElement("ds:DigestMethod").CreateAttr("Algorithm", AlgSHA256)
	propsDigest := ref2.CreateElement("ds:DigestValue")

	sigValue := sig.CreateElement("ds:SignatureValue")
	sigValue.CreateAttr("Id", "value-"+id)

	x509Data := sig.CreateElement("ds:KeyInfo").CreateElement("ds:X509Data")
	x509Data.CreateElement("ds:X509SubjectName").SetText(subject)
	for _, c := range opts.Chain {
		x509Data.CreateElement("ds:X509Certificate").SetText(base64.StdEncoding.EncodeToString(c.Raw))
	}

	qp := sig.CreateElement("ds:Object").CreateElement("xades:QualifyingProperties")
	qp.CreateAttr("xmlns:xades", NamespaceXAdES)
	qp.CreateAttr("Target", "#"+id)
	props := qp.CreateElement("xades:SignedProperties")
	props.CreateAttr("Id", "xades-"+id)
	ssp := props.CreateElement("xades:SignedSignatureProperties")
	ssp.CreateElement("xades:SigningTime").SetText(signingTime.Format(signingTimeLayout))
	cert := ssp.CreateElement("xades:SigningCertificateV2").CreateElement("xades:Cert")
	cd := cert.CreateElement("xades:CertDigest")
	cd.CreateElement("ds:DigestMethod").CreateAttr("Algorithm", AlgSHA512)
	cd.CreateElement("ds:DigestValue").SetText(base64.StdEncoding.EncodeToString(certDigest[:]))
	cert.CreateElement("xades:IssuerSerialV2").SetText(base64.StdEncoding.EncodeToString(issuerSerial))
	dof := props.CreateElement("xades:SignedDataObjectProperties").CreateElement("xades:DataObjectFormat")
	dof.CreateAttr("ObjectReference", "#r-"+id+"-1")
	dof.CreateElement("xades:MimeType").SetText(opts.MimeType)

	propsCanon, err := canonical(props)
	if err != nil {
		return nil, err
	}
	pd := sha256.Sum256(propsCanon)
	propsDigest.SetText(base64.StdEncoding.EncodeToString(pd[:]))

	siCanon, err := canonical(si)
	if err != nil {
		return nil, err
	}
	siDigest := sha256.Sum256(siCanon)
	value, err := opts.Key.Sign(rand.Reader, siDigest[:], crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("signing: %w", err)
	}
	sigValue.SetText(base64.StdEncoding.EncodeToString(value))

	var sigXML bytes.Buffer
	sig.WriteTo(&sigXML, &etree.WriteSettings{CanonicalText: true, CanonicalAttrVal: true})
	return sigXML.Bytes(), nil
}

func limitsOr(l Limits) Limits {
	if l == (Limits{}) {
		return DefaultLimits
	}
	return l
}

func publicKeysEqual(a, b crypto.PublicKey) bool {
	ak, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && ak.Equal(b)
}
