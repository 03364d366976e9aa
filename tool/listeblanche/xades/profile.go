package xades

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/beevik/etree"
)

// The kinds of refusal of the verifier, for callers that branch; every
// error of Verify wraps one of them or one of the parser's.
var (
	ErrUnsigned    = errors.New("the document is not signed")
	ErrProfile     = errors.New("the signature does not follow the ANS profile")
	ErrDigest      = errors.New("the signed content was changed")
	ErrSignature   = errors.New("the signature value is wrong")
	ErrCertificate = errors.New("the signer certificate is not acceptable")
	ErrRevoked     = errors.New("the signer certificate is revoked")
	// ErrUnsignedContent: the signature carries content it does not cover
	// (xades:UnsignedProperties).
	ErrUnsignedContent = errors.New("the file holds content the signature does not cover")
	// ErrSigningTime: the signing time does not fit the verification time
	// or the signer certificate.
	ErrSigningTime = errors.New("the signing time is not acceptable")
	// ErrNoCRL: no current revocation list could be had for a certificate
	// of the chain, so whether it is revoked is unknown.
	ErrNoCRL = errors.New("the revocation status of the signer is unknown")
)

// signature is the profile's ds:Signature, read but not yet checked.
type signature struct {
	el         *etree.Element
	id         string
	signedInfo *etree.Element
	content    reference // URI=""
	props      reference // the SignedProperties
	value      []byte
	certs      [][]byte // X509Certificate values, in order
	hints      keyHints // what else X509Data says of the signer
	// From the SignedProperties:
	propsEl     *etree.Element
	signingTime time.Time
	certDigests []certRef // SigningCertificateV2/Cert
	mimeType    string
}

type reference struct {
	id, uri   string
	digestAlg string
	digest    []byte
}

type certRef struct {
	alg          string
	digest       []byte
	issuerSerial []byte // nil when absent
}

// is reports whether el is the element {space}local.
func is(el *etree.Element, space, local string) bool {
	return el != nil && el.Tag == local && el.NamespaceURI() == space
}

// children returns the child elements of el and refuses any non-blank text
// among them: the profile's structural elements hold only elements.
func children(el *etree.Element) ([]*etree.Element, error) {
	for _, t := range el.Child {
		if cd, ok := t.(*etree.CharData); ok && trimXMLSpace(cd.Data) != "" {
			return nil, fmt.Errorf("%w: text inside <%s>", ErrProfile, el.FullTag())
		}
	}
	return el.ChildElements(), nil
}

// expect checks that els are exactly the named elements of the given
// namespace, in order.
func expect(parent *etree.Element, els []*etree.Element, space string, names ...string) error {
	if len(els) != len(names) {
		got := make([]string, len(els))
		for i, e := range els {
			got[i] = e.FullTag()
		}
		return fmt.Errorf("%w: <%s> holds [%s], the profile wants [%s]", ErrProfile, parent.FullTag(), strings.Join(got, " "), strings.Join(names, " "))
	}
	for i, e := range els {
		if !is(e, space, names[i]) {
			return fmt.Errorf("%w: <%s> where the profile wants %s", ErrProfile, e.FullTag(), names[i])
		}
	}
	return nil
}

// attr returns the value of the unqualified attribute key, and whether it is
// present.
func attr(el *etree.Element, key string) (string, bool) {
	for _, a := range el.Attr {
		if a.Space == "" && a.Key == key {
			return a.Value, true
		}
	}
	return "", false
}

// algorithm returns the Algorithm attribute of a method element that must
// have no content.
func algorithm(el *etree.Element) (string, error) {
	alg, ok := attr(el, "Algorithm")
	if !ok {
		return "", fmt.Errorf("%w: <%s> has no Algorithm", ErrProfile, el.FullTag())
	}
	if len(el.ChildElements()) != 0 || trimXMLSpace(el.Text()) != "" {
		return "", fmt.Errorf("%w: <%s Algorithm=%q> has content (parameters are not part of the profile)", ErrProfile, el.FullTag(), alg)
	}
	return alg, nil
}

// base64Text decodes the base64 text of el, tolerating line breaks.
func base64Text(el *etree.Element) ([]byte, error) {
	if len(el.ChildElements()) != 0 {
		return nil, fmt.Errorf("%w: <%s> holds elements", ErrProfile, el.FullTag())
	}
	s := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, el.Text())
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) == 0 {
		return nil, fmt.Errorf("%w: <%s> is not base64", ErrProfile, el.FullTag())
	}
	return b, nil
}

// readReference reads a ds:Reference with its digest, leaving transforms to
// the caller.
func readReference(el *etree.Element) (reference, []*etree.Element, error) {
	var r reference
	r.id, _ = attr(el, "Id")
	uri, ok := attr(el, "URI")
	if !ok {
		return r, nil, fmt.Errorf("%w: a Reference has no URI", ErrProfile)
	}
	r.uri = uri
	kids, err := children(el)
	if err != nil {
		return r, nil, err
	}
	if err := expect(el, kids, NamespaceDSig, "Transforms", "DigestMethod", "DigestValue"); err != nil {
		return r, nil, err
	}
	if r.digestAlg, err = algorithm(kids[1]); err != nil {
		return r, nil, err
	}
	if r.digestAlg != AlgSHA256 {
		if r.digestAlg == AlgSHA1 {
			return r, nil, fmt.Errorf("%w: Reference %q uses a SHA-1 digest, the profile wants SHA-256", ErrProfile, uri)
		}
		return r, nil, fmt.Errorf("%w: Reference %q uses digest %q, the profile wants SHA-256", ErrProfile, uri, r.digestAlg)
	}
	if r.digest, err = base64Text(kids[2]); err != nil {
		return r, nil, err
	}
	transforms, err := children(kids[0])
	if err != nil {
		return r, nil, err
	}
	for _, t := range transforms {
		if !is(t, NamespaceDSig, "Transform") {
			return r, nil, fmt.Errorf("%w: <%s> inside Transforms", ErrProfile, t.FullTag())
		}
	}
	return r, transforms, nil
}

// excC14NTransform checks a Transform that must be plain exclusive C14N.
func excC14NTransform(t *etree.Element) error {
	alg, err := algorithm(t)
	if err != nil {
		return err
	}
	if alg != AlgExcC14N {
		return fmt.Errorf("%w: transform %q where the profile wants exclusive C14N", ErrProfile, alg)
	}
	return nil
}

// filterTransform checks the XPath Filter 2.0 transform that subtracts
// /descendant::ds:Signature.
func filterTransform(t *etree.Element) error {
	alg, _ := attr(t, "Algorithm")
	if alg != NamespaceFilter2 {
		return fmt.Errorf("%w: first transform %q where the profile wants XPath Filter 2.0", ErrProfile, alg)
	}
	kids, err := children(t)
	if err != nil {
		return err
	}
	if err := expect(t, kids, NamespaceFilter2, "XPath"); err != nil {
		return err
	}
	xp := kids[0]
	if f, _ := attr(xp, "Filter"); f != filterSubtract {
		return fmt.Errorf("%w: XPath Filter %q, the profile wants subtract", ErrProfile, f)
	}
	if len(xp.ChildElements()) != 0 || trimXMLSpace(xp.Text()) != filterXPath {
		return fmt.Errorf("%w: XPath filter %q, the profile wants %s", ErrProfile, trimXMLSpace(xp.Text()), filterXPath)
	}
	// The expression's ds prefix must mean the signature namespace where
	// it is written.
	if uri := prefixURI(xp, "ds"); uri != NamespaceDSig {
		return fmt.Errorf("%w: the XPath filter's ds prefix is bound to %q", ErrProfile, uri)
	}
	return nil
}

// prefixURI resolves prefix in the scope of el.
func prefixURI(el *etree.Element, prefix string) string {
	for e := el; e != nil; e = e.Parent() {
		for _, a := range e.Attr {
			if a.Space == "xmlns" && a.Key == prefix {
				return a.Value
			}
		}
	}
	return ""
}

// trimXMLSpace trims white space as XML defines it (space, tab, CR, LF).
// strings.TrimSpace also trims Unicode spaces (no-break space, line
// separator...), which XML and every other parser read as text: in an
// unsigned part, that is content the signature does not cover.
func trimXMLSpace(s string) string { return strings.Trim(s, " \t\r\n") }
