package xades

import (
	"fmt"

	"github.com/beevik/etree"
)

// The parts of a signature that no signature covers — the ds:Signature and
// ds:Object start tags, SignatureValue, KeyInfo and QualifyingProperties —
// may hold exactly what the profile puts there, and nothing else: a file a
// verifier accepts must be read the same by any XML parser, and whatever
// sits in an unsigned part could be read as content by one that does not
// know where the signed content ends (a whole ListeDomaines hidden in
// X509SubjectName, say). Comments, processing instructions and DOCTYPEs are
// refused by the scanner everywhere; this file refuses the rest.

// profileNamespaces are the namespaces an unsigned element may declare.
var profileNamespaces = map[string]bool{NamespaceDSig: true, NamespaceXAdES: true, NamespaceFilter2: true}

// unsignedAttrs refuses any attribute of an unsigned element but the
// unqualified ones named and declarations of the profile's namespaces.
func unsignedAttrs(el *etree.Element, allowed ...string) error {
next:
	for _, a := range el.Attr {
		switch {
		case a.Space == "xmlns", a.Space == "" && a.Key == "xmlns":
			if profileNamespaces[a.Value] {
				continue
			}
			return fmt.Errorf("%w: <%s> declares namespace %q, outside the profile", ErrUnsignedContent, el.FullTag(), a.Value)
		case a.Space == "":
			for _, k := range allowed {
				if a.Key == k {
					continue next
				}
			}
		}
		return fmt.Errorf("%w: attribute %s on <%s>, which the signature does not cover", ErrUnsignedContent, a.FullKey(), el.FullTag())
	}
	return nil
}

// plainText returns the text of an unsigned element that may hold text
// only: no attribute, no element.
func plainText(el *etree.Element) (string, error) {
	if err := unsignedAttrs(el); err != nil {
		return "", err
	}
	if len(el.ChildElements()) != 0 {
		return "", fmt.Errorf("%w: <%s> holds elements; the profile allows text only", ErrUnsignedContent, el.FullTag())
	}
	return el.Text(), nil
}

// readX509Data checks the content of KeyInfo/X509Data and returns the
// certificates it carries (X509Certificate as base64) and its hints about
// the signer: X509SubjectName, X509IssuerSerial (an X509IssuerName and an
// X509SerialNumber) and X509SKI, which keyHints.match checks once the
// signer is known. The signer is the certificate that SigningCertificateV2,
// which is signed, names.
func readX509Data(x509Data *etree.Element) ([][]byte, keyHints, error) {
	var hints keyHints
	if err := unsignedAttrs(x509Data); err != nil {
		return nil, hints, err
	}
	items, err := children(x509Data)
	if err != nil {
		return nil, hints, err
	}
	var certs [][]byte
	for _, it := range items {
		if err := unsignedAttrs(it); err != nil {
			return nil, hints, err
		}
		switch {
		case is(it, NamespaceDSig, "X509Certificate"):
			der, err := base64Text(it)
			if err != nil {
				return nil, hints, err
			}
			certs = append(certs, der)
		case is(it, NamespaceDSig, "X509SKI"):
			ski, err := base64Text(it)
			if err != nil {
				return nil, hints, err
			}
			hints.skis = append(hints.skis, ski)
		case is(it, NamespaceDSig, "X509SubjectName"):
			name, err := readName(it)
			if err != nil {
				return nil, hints, err
			}
			hints.subjects = append(hints.subjects, name)
		case is(it, NamespaceDSig, "X509IssuerSerial"):
			serial, err := readIssuerSerial(it)
			if err != nil {
				return nil, hints, err
			}
			hints.issuers = append(hints.issuers, serial)
		default:
			return nil, hints, fmt.Errorf("%w: <%s> inside X509Data", ErrProfile, it.FullTag())
		}
	}
	return certs, hints, nil
}

func readIssuerSerial(el *etree.Element) (hint[nameSerial], error) {
	kids, err := children(el)
	if err != nil {
		return hint[nameSerial]{}, err
	}
	if err := expect(el, kids, NamespaceDSig, "X509IssuerName", "X509SerialNumber"); err != nil {
		return hint[nameSerial]{}, err
	}
	name, err := readName(kids[0])
	if err != nil {
		return hint[nameSerial]{}, err
	}
	serial, err := readSerial(kids[1])
	if err != nil {
		return hint[nameSerial]{}, err
	}
	return hint[nameSerial]{name.text, nameSerial{name.value, serial}}, nil
}
