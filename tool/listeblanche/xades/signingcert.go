package xades

import (
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"hash"
	"math/big"
)

// issuerSerial is the IssuerSerial of RFC 5035, encoded in IssuerSerialV2:
// the issuer as GeneralNames holding one directoryName, and the serial.
type issuerSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

// marshalIssuerSerial encodes the issuer and serial of c for IssuerSerialV2.
func marshalIssuerSerial(c *x509.Certificate) ([]byte, error) {
	dirName, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 4, IsCompound: true, Bytes: c.RawIssuer})
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(issuerSerial{
		Issuer: asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSequence, IsCompound: true, Bytes: dirName},
		Serial: c.SerialNumber,
	})
}

// matchIssuerSerial reports whether der is the IssuerSerialV2 of c.
func matchIssuerSerial(der []byte, c *x509.Certificate) error {
	var is issuerSerial
	rest, err := asn1.Unmarshal(der, &is)
	if err != nil || len(rest) != 0 {
		return fmt.Errorf("IssuerSerialV2 is not a DER IssuerSerial")
	}
	if is.Issuer.Class != asn1.ClassUniversal || is.Issuer.Tag != asn1.TagSequence {
		return fmt.Errorf("IssuerSerialV2 issuer is not GeneralNames")
	}
	var name asn1.RawValue
	rest, err = asn1.Unmarshal(is.Issuer.Bytes, &name)
	if err != nil || len(rest) != 0 || name.Class != asn1.ClassContextSpecific || name.Tag != 4 {
		return fmt.Errorf("IssuerSerialV2 issuer is not one directoryName")
	}
	if string(name.Bytes) != string(c.RawIssuer) {
		return fmt.Errorf("IssuerSerialV2 names another issuer than the signer certificate's")
	}
	if is.Serial == nil || is.Serial.Cmp(c.SerialNumber) != 0 {
		return fmt.Errorf("IssuerSerialV2 names serial %x, the signer certificate has %x", is.Serial, c.SerialNumber)
	}
	return nil
}

// certDigest returns the hash the DigestMethod algorithm names, refusing
// SHA-1 and anything unknown.
func digestFor(alg string) (hash.Hash, error) {
	switch alg {
	case AlgSHA256:
		return sha256.New(), nil
	case AlgSHA384:
		return sha512.New384(), nil
	case AlgSHA512:
		return sha512.New(), nil
	case AlgSHA1:
		return nil, fmt.Errorf("%w: SHA-1 digests are refused", ErrProfile)
	}
	return nil, fmt.Errorf("%w: unknown digest algorithm %q", ErrProfile, alg)
}
