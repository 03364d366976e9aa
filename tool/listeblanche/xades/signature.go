package xades

import (
	"fmt"
	"strings"
	"time"

	"github.com/beevik/etree"
)

// maxCerts bounds the certificates a verifier looks at.
const maxCerts = 8

// checkEnvelope refuses a document without exactly one signature, the last
// child element of its root, or with an Id given twice.
func checkEnvelope(env *enveloped) error {
	switch {
	case env.signatures == 0:
		return fmt.Errorf("%w: no ds:Signature element", ErrUnsigned)
	case env.signatures > 1:
		return fmt.Errorf("%w: %d ds:Signature elements, the profile has exactly one", ErrProfile, env.signatures)
	case env.dupID != "":
		return fmt.Errorf("%w: the Id %q appears twice in the document", ErrProfile, env.dupID)
	case env.misplaced:
		return fmt.Errorf("%w: the ds:Signature is not the last child of the root element (enveloped signature)", ErrProfile)
	}
	return nil
}

// readSignature reads el as the profile's ds:Signature, refusing any
// departure from its shape.
func readSignature(el *etree.Element) (*signature, error) {
	s := &signature{el: el}
	if err := unsignedAttrs(el, "Id"); err != nil {
		return nil, err
	}
	var ok bool
	if s.id, ok = attr(el, "Id"); !ok || s.id == "" {
		return nil, fmt.Errorf("%w: ds:Signature has no Id", ErrProfile)
	}
	kids, err := children(el)
	if err != nil {
		return nil, err
	}
	if err := expect(el, kids, NamespaceDSig, "SignedInfo", "SignatureValue", "KeyInfo", "Object"); err != nil {
		return nil, err
	}
	if err := s.readSignedInfo(kids[0]); err != nil {
		return nil, err
	}
	if err := unsignedAttrs(kids[1], "Id"); err != nil {
		return nil, err
	}
	if s.value, err = base64Text(kids[1]); err != nil {
		return nil, err
	}
	if err := s.readKeyInfo(kids[2]); err != nil {
		return nil, err
	}
	if err := s.readObject(kids[3]); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *signature) readSignedInfo(si *etree.Element) error {
	s.signedInfo = si
	kids, err := children(si)
	if err != nil {
		return err
	}
	if err := expect(si, kids, NamespaceDSig, "CanonicalizationMethod", "SignatureMethod", "Reference", "Reference"); err != nil {
		return err
	}
	if alg, err := algorithm(kids[0]); err != nil {
		return err
	} else if alg != AlgExcC14N {
		return fmt.Errorf("%w: SignedInfo canonicalisation %q, the profile wants exclusive C14N", ErrProfile, alg)
	}
	if alg, err := algorithm(kids[1]); err != nil {
		return err
	} else if alg != AlgRSASHA256 {
		return fmt.Errorf("%w: signature method %q, the profile wants RSA-SHA256", ErrProfile, alg)
	}

	var transforms []*etree.Element
	if s.content, transforms, err = readReference(kids[2]); err != nil {
		return err
	}
	if s.content.uri != "" {
		return fmt.Errorf("%w: the first Reference has URI %q, the profile wants URI=\"\" (the whole document)", ErrProfile, s.content.uri)
	}
	if t, ok := attr(kids[2], "Type"); ok {
		return fmt.Errorf("%w: the first Reference has Type %q", ErrProfile, t)
	}
	if len(transforms) != 2 {
		return fmt.Errorf("%w: the first Reference has %d transforms, the profile wants XPath Filter 2.0 then exclusive C14N", ErrProfile, len(transforms))
	}
	if err := filterTransform(transforms[0]); err != nil {
		return err
	}
	if err := excC14NTransform(transforms[1]); err != nil {
		return err
	}

	if s.props, transforms, err = readReference(kids[3]); err != nil {
		return err
	}
	if t, _ := attr(kids[3], "Type"); t != TypeSignedProps {
		return fmt.Errorf("%w: the second Reference has Type %q, the profile wants %s", ErrProfile, t, TypeSignedProps)
	}
	if !strings.HasPrefix(s.props.uri, "#") || len(s.props.uri) == 1 {
		return fmt.Errorf("%w: the second Reference has URI %q, the profile wants #<SignedProperties Id>", ErrProfile, s.props.uri)
	}
	if len(transforms) != 1 {
		return fmt.Errorf("%w: the second Reference has %d transforms, the profile wants exclusive C14N only", ErrProfile, len(transforms))
	}
	return excC14NTransform(transforms[0])
}

func (s *signature) readKeyInfo(ki *etree.Element) error {
	if err := unsignedAttrs(ki, "Id"); err != nil {
		return err
	}
	kids, err := children(ki)
	if err != nil {
		return err
	}
	if err := expect(ki, kids, NamespaceDSig, "X509Data"); err != nil {
		return err
	}
	if s.certs, s.hints, err = readX509Data(kids[0]); err != nil {
		return err
	}
	if len(s.certs) == 0 {
		return fmt.Errorf("%w: KeyInfo carries no X509Certificate", ErrProfile)
	}
	if len(s.certs) > maxCerts {
		return fmt.Errorf("%w: KeyInfo carries %d certificates, more than %d", ErrProfile, len(s.certs), maxCerts)
	}
	return nil
}

func (s *signature) readObject(obj *etree.Element) error {
	if err := unsignedAttrs(obj, "Id"); err != nil {
		return err
	}
	kids, err := children(obj)
	if err != nil {
		return err
	}
	if err := expect(obj, kids, NamespaceXAdES, "QualifyingProperties"); err != nil {
		return err
	}
	qp := kids[0]
	if err := unsignedAttrs(qp, "Target", "Id"); err != nil {
		return err
	}
	if target, _ := attr(qp, "Target"); target != "#"+s.id {
		return fmt.Errorf("%w: QualifyingProperties targets %q, not this signature #%s", ErrProfile, target, s.id)
	}
	qkids, err := children(qp)
	if err != nil {
		return err
	}
	// BASELINE-B needs no unsigned property, and whatever sits there is
	// covered by no signature: refuse it, so that an accepted file is
	// exactly what the signer signed.
	if len(qkids) == 2 && is(qkids[1], NamespaceXAdES, "UnsignedProperties") {
		return fmt.Errorf("%w: QualifyingProperties holds UnsignedProperties, content no signature covers", ErrUnsignedContent)
	}
	if len(qkids) != 1 || !is(qkids[0], NamespaceXAdES, "SignedProperties") {
		return fmt.Errorf("%w: QualifyingProperties must hold SignedProperties only", ErrProfile)
	}
	props := qkids[0]
	if id, _ := attr(props, "Id"); "#"+id != s.props.uri {
		return fmt.Errorf("%w: the second Reference points to %q, but the SignedProperties has Id %q", ErrProfile, s.props.uri, id)
	}
	s.propsEl = props
	pkids, err := children(props)
	if err != nil {
		return err
	}
	if err := expect(props, pkids, NamespaceXAdES, "SignedSignatureProperties", "SignedDataObjectProperties"); err != nil {
		return err
	}
	if err := s.readSignatureProperties(pkids[0]); err != nil {
		return err
	}
	return s.readDataObjectProperties(pkids[1])
}

func (s *signature) readSignatureProperties(ssp *etree.Element) error {
	kids, err := children(ssp)
	if err != nil {
		return err
	}
	if len(kids) < 2 || !is(kids[0], NamespaceXAdES, "SigningTime") || !is(kids[1], NamespaceXAdES, "SigningCertificateV2") {
		return fmt.Errorf("%w: SignedSignatureProperties must begin with SigningTime and SigningCertificateV2", ErrProfile)
	}
	st := trimXMLSpace(kids[0].Text())
	if s.signingTime, err = time.Parse(time.RFC3339, st); err != nil {
		return fmt.Errorf("%w: SigningTime %q is not an xsd:dateTime with a time zone", ErrProfile, st)
	}
	certs, err := children(kids[1])
	if err != nil {
		return err
	}
	if len(certs) == 0 || len(certs) > maxCerts {
		return fmt.Errorf("%w: SigningCertificateV2 holds %d Cert elements", ErrProfile, len(certs))
	}
	for _, c := range certs {
		if !is(c, NamespaceXAdES, "Cert") {
			return fmt.Errorf("%w: <%s> inside SigningCertificateV2", ErrProfile, c.FullTag())
		}
		ck, err := children(c)
		if err != nil {
			return err
		}
		if len(ck) == 0 || len(ck) > 2 || !is(ck[0], NamespaceXAdES, "CertDigest") ||
			(len(ck) == 2 && !is(ck[1], NamespaceXAdES, "IssuerSerialV2")) {
			return fmt.Errorf("%w: a SigningCertificateV2 Cert must hold CertDigest, then IssuerSerialV2", ErrProfile)
		}
		dk, err := children(ck[0])
		if err != nil {
			return err
		}
		if err := expect(ck[0], dk, NamespaceDSig, "DigestMethod", "DigestValue"); err != nil {
			return err
		}
		var ref certRef
		if ref.alg, err = algorithm(dk[0]); err != nil {
			return err
		}
		if ref.digest, err = base64Text(dk[1]); err != nil {
			return err
		}
		if len(ck) == 2 {
			if ref.issuerSerial, err = base64Text(ck[1]); err != nil {
				return err
			}
		}
		s.certDigests = append(s.certDigests, ref)
	}
	if s.certDigests[0].issuerSerial == nil {
		return fmt.Errorf("%w: the signer's SigningCertificateV2 Cert has no IssuerSerialV2", ErrProfile)
	}
	return nil
}

func (s *signature) readDataObjectProperties(sdop *etree.Element) error {
	kids, err := children(sdop)
	if err != nil {
		return err
	}
	if len(kids) != 1 || !is(kids[0], NamespaceXAdES, "DataObjectFormat") {
		return fmt.Errorf("%w: SignedDataObjectProperties must hold one DataObjectFormat", ErrProfile)
	}
	dof := kids[0]
	if ref, _ := attr(dof, "ObjectReference"); s.content.id == "" || ref != "#"+s.content.id {
		return fmt.Errorf("%w: DataObjectFormat refers to %q, not to the first Reference", ErrProfile, ref)
	}
	mk, err := children(dof)
	if err != nil {
		return err
	}
	if len(mk) == 0 || !is(mk[0], NamespaceXAdES, "MimeType") {
		return fmt.Errorf("%w: DataObjectFormat has no MimeType", ErrProfile)
	}
	switch s.mimeType = trimXMLSpace(mk[0].Text()); s.mimeType {
	case MimeXML, MimeOctet:
	default:
		return fmt.Errorf("%w: DataObjectFormat MimeType %q, the profile wants %s (or %s in older lists)", ErrProfile, s.mimeType, MimeXML, MimeOctet)
	}
	return nil
}
