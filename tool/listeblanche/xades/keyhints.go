package xades

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"math/big"

	"github.com/beevik/etree"

	"github.com/drim-m/trust-space/tool/listeblanche/dn"
)

// keyHints are what X509Data says about the signer besides its
// certificates: X509SubjectName, X509IssuerSerial and X509SKI. KeyInfo is
// not signed, so they prove nothing; but a DRIMbox (or an operator reading
// the saved file) may show them as who signed. RFC 3275 4.4.4 says they
// MUST refer to the certificate holding the validation key: each must
// name the signer, and be written as the RFC says (a name in RFC 4514,
// read by package dn; a serial as a decimal integer), or the list is
// refused.
type keyHints struct {
	subjects []hint[dn.Name]
	issuers  []hint[nameSerial]
	skis     [][]byte
}

type hint[T any] struct {
	text  string
	value T
}

type nameSerial struct {
	issuer dn.Name
	serial *big.Int
}

// maxSerialDigits bounds X509SerialNumber: a certificate serial is at most
// 20 octets (RFC 5280 4.1.2.2), 49 decimal digits.
const maxSerialDigits = 49

// readName reads X509SubjectName or X509IssuerName: text only, an RFC 4514
// distinguished name.
func readName(el *etree.Element) (hint[dn.Name], error) {
	text, err := plainText(el)
	if err != nil {
		return hint[dn.Name]{}, err
	}
	name, err := dn.Parse(text)
	if err != nil {
		return hint[dn.Name]{}, fmt.Errorf("%w: KeyInfo's %s must be the signer's name as RFC 4514 writes it (\"CN=…,OU=…,O=…,C=FR\"): %v",
			ErrProfile, el.Tag, err)
	}
	return hint[dn.Name]{text, name}, nil
}

// readSerial reads X509SerialNumber: a decimal integer, as the XML Schema
// type of RFC 3275 says, with digits only (a serial is positive).
func readSerial(el *etree.Element) (*big.Int, error) {
	text, err := plainText(el)
	if err != nil {
		return nil, err
	}
	if text == "" {
		return nil, fmt.Errorf("%w: X509SerialNumber is empty", ErrProfile)
	}
	if len(text) > maxSerialDigits {
		return nil, fmt.Errorf("%w: X509SerialNumber has %d digits, more than a certificate serial has (%d)", ErrProfile, len(text), maxSerialDigits)
	}
	for _, c := range []byte(text) {
		if c < '0' || c > '9' {
			return nil, fmt.Errorf("%w: X509SerialNumber %q is not a decimal integer", ErrProfile, text)
		}
	}
	serial, _ := new(big.Int).SetString(text, 10)
	return serial, nil
}

// match refuses a hint that does not name the signer. Names are compared
// as names (dn.Name.Equal): "cn=…" and "CN=…" are one name; the signer's
// subject and issuer are read from the certificate as encoded.
func (h *keyHints) match(signer *x509.Certificate) error {
	if len(h.subjects) > 0 {
		subject, err := dn.FromDER(signer.RawSubject)
		if err != nil {
			return fmt.Errorf("%w: the signer's subject cannot be read: %v", ErrCertificate, err)
		}
		for _, s := range h.subjects {
			if !s.value.Equal(subject) {
				return fmt.Errorf("%w: KeyInfo's X509SubjectName %q is not the signer's subject %q", ErrProfile, s.text, subject)
			}
		}
	}
	if len(h.issuers) > 0 {
		issuer, err := dn.FromDER(signer.RawIssuer)
		if err != nil {
			return fmt.Errorf("%w: the signer's issuer cannot be read: %v", ErrCertificate, err)
		}
		for _, hs := range h.issuers {
			if !hs.value.issuer.Equal(issuer) || hs.value.serial.Cmp(signer.SerialNumber) != 0 {
				return fmt.Errorf("%w: KeyInfo's X509IssuerSerial (%s, serial %s) is not the signer's (%q, serial %s)",
					ErrProfile, hs.text, hs.value.serial, issuer, signer.SerialNumber)
			}
		}
	}
	for _, ski := range h.skis {
		if !bytes.Equal(ski, signer.SubjectKeyId) {
			return fmt.Errorf("%w: KeyInfo's X509SKI is not the signer's subject key identifier", ErrProfile)
		}
	}
	return nil
}
