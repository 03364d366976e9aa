// Package xades signs and verifies XML documents with an enveloped
// XAdES-BASELINE-B signature in the profile the ANS uses for the Liste Blanche
// DRIM-M:
//
//   - one ds:Signature, with an Id, last child of the root element;
//   - SignedInfo canonicalised with exclusive C14N and signed with RSA-SHA256;
//   - a first Reference, URI="", with the XPath Filter 2.0 transform
//     subtracting /descendant::ds:Signature, then exclusive C14N, SHA-256;
//   - a second Reference, of type SignedProperties, to the
//     xades:SignedProperties (SigningTime, SigningCertificateV2 with a SHA-512
//     digest and IssuerSerialV2, DataObjectFormat of the first reference);
//   - the signer certificate and its chain in KeyInfo/X509Data, base64 on one
//     line.
//
// Verify accepts nothing else, and returns only the bytes the signature
// covers, so that a caller never reads content the signer did not sign. It
// bounds its work on any input (see Limits) and refuses DOCTYPEs, entities,
// comments and processing instructions outright.
//
// Canonicalisation is this package's own exclusive C14N (c14nstream.go),
// written as the document is scanned, in one pass and without a tree of the
// content, which is what makes a list of ten thousand entries quick to sign
// and verify. The tests hold it to xmllint --exc-c14n and to goxmldsig,
// which serves there only, as an independent oracle. The package also does
// the XPath Filter 2.0 transform of this profile, the XAdES properties,
// certificate chains to pinned roots, revocation lists and the bounds.
package xades

import (
	"crypto/x509"
	"time"
)

// Namespaces and algorithm identifiers of the profile.
const (
	NamespaceDSig    = "http://www.w3.org/2000/09/xmldsig#"
	NamespaceXAdES   = "http://uri.etsi.org/01903/v1.3.2#"
	NamespaceFilter2 = "http://www.w3.org/2002/06/xmldsig-filter2"

	AlgExcC14N        = "http://www.w3.org/2001/10/xml-exc-c14n#"
	AlgRSASHA256      = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	AlgSHA256         = "http://www.w3.org/2001/04/xmlenc#sha256"
	AlgSHA384         = "http://www.w3.org/2001/04/xmldsig-more#sha384"
	AlgSHA512         = "http://www.w3.org/2001/04/xmlenc#sha512"
	AlgSHA1           = "http://www.w3.org/2000/09/xmldsig#sha1"
	AlgRSASHA1        = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
	TypeSignedProps   = "http://uri.etsi.org/01903#SignedProperties"
	filterXPath       = "/descendant::ds:Signature"
	filterSubtract    = "subtract"
	signingTimeLayout = "2006-01-02T15:04:05Z07:00"
)

// MIME types of the signed document that the profile admits: text/xml in the
// lists the ANS publishes now, application/octet-stream in older ones.
const (
	MimeXML   = "text/xml"
	MimeOctet = "application/octet-stream"
)

// Signed is what a verified signature covers, and who signed it.
type Signed struct {
	// Content is the document as the first reference covers it: the root
	// element without its signature, in exclusive canonical form. It is the
	// only part of the input a caller may read.
	Content []byte
	// SigningTime is the signer's claimed time of signing, covered by the
	// signature.
	SigningTime time.Time
	// Signer is the signing certificate; Chain runs from it to the pinned
	// root.
	Signer *x509.Certificate
	Chain  []*x509.Certificate
	// MimeType is the DataObjectFormat of the content.
	MimeType string
	// ID is the Id of the ds:Signature element.
	ID string
	// Warnings say what was accepted without being checked, by the
	// caller's choice (VerifyOptions.Revocation): print them.
	Warnings []string
}
