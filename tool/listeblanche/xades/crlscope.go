package xades

import (
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"slices"
)

// A CRL signed by the right issuer says nothing of a certificate it does
// not cover: a delta CRL lists only the changes since a base CRL, a CRL
// partitioned by an issuing distribution point may hold only CA
// certificates, attribute certificates or some revocation reasons, and an
// indirect CRL speaks for other issuers. Taking any of them as proof that
// the signer is not revoked lets whoever holds one (an old delta, say)
// pass a revoked signer. So a CRL counts as current proof only if it is a
// full CRL of the signer's issuer for the kind of certificate checked, with
// a nextUpdate, and no critical extension this verifier does not know.

var (
	oidCRLNumber      = asn1.ObjectIdentifier{2, 5, 29, 20}
	oidDeltaCRL       = asn1.ObjectIdentifier{2, 5, 29, 27}
	oidIssuingDP      = asn1.ObjectIdentifier{2, 5, 29, 28}
	oidAuthorityKeyID = asn1.ObjectIdentifier{2, 5, 29, 35}
	oidIssuerAltName  = asn1.ObjectIdentifier{2, 5, 29, 18}
	oidReasonCode     = asn1.ObjectIdentifier{2, 5, 29, 21}
	oidInvalidityDate = asn1.ObjectIdentifier{2, 5, 29, 24}
)

// issuingDistributionPoint is the extension of RFC 5280, 5.2.5, whose
// module uses implicit tags.
type issuingDistributionPoint struct {
	DistributionPoint          asn1.RawValue  `asn1:"optional,tag:0"`
	OnlyContainsUserCerts      bool           `asn1:"optional,tag:1"`
	OnlyContainsCACerts        bool           `asn1:"optional,tag:2"`
	OnlySomeReasons            asn1.BitString `asn1:"optional,tag:3"`
	IndirectCRL                bool           `asn1:"optional,tag:4"`
	OnlyContainsAttributeCerts bool           `asn1:"optional,tag:5"`
}

// CRLCovers tells why crl, signed by cert's issuer, cannot prove that cert
// is not revoked, or returns nil when it can: a CRL fetcher keeps only
// such CRLs, so that one of another scope does not stand in its cache for
// the full CRL.
func CRLCovers(crl *x509.RevocationList, cert *x509.Certificate) error { return covers(crl, cert) }

// covers tells why crl cannot prove that cert is not revoked, or returns
// nil when it can (its issuer and signature are checked by crlsOf, its
// dates by currentAt).
func covers(crl *x509.RevocationList, cert *x509.Certificate) error {
	if crl.NextUpdate.IsZero() {
		return errors.New("it has no nextUpdate")
	}
	for _, ext := range crl.Extensions {
		switch {
		case ext.Id.Equal(oidDeltaCRL):
			return errors.New("it is a delta CRL, not a full one")
		case ext.Id.Equal(oidIssuingDP):
			if err := idpCovers(ext.Value, cert); err != nil {
				return err
			}
		case ext.Critical && !ext.Id.Equal(oidCRLNumber) && !ext.Id.Equal(oidAuthorityKeyID) && !ext.Id.Equal(oidIssuerAltName):
			return fmt.Errorf("it has an unknown critical extension %s", ext.Id)
		}
	}
	for _, e := range crl.RevokedCertificateEntries {
		for _, ext := range e.Extensions {
			if ext.Critical && !ext.Id.Equal(oidReasonCode) && !ext.Id.Equal(oidInvalidityDate) {
				// certificateIssuer among them: an indirect CRL.
				return fmt.Errorf("an entry has an unknown critical extension %s", ext.Id)
			}
		}
	}
	return nil
}

// idpCovers tells whether a CRL with this issuing distribution point
// covers cert: all reasons, direct, for its kind of certificate, and, when
// both name distribution points, from one that cert names.
func idpCovers(der []byte, cert *x509.Certificate) error {
	var idp issuingDistributionPoint
	if rest, err := asn1.Unmarshal(der, &idp); err != nil || len(rest) != 0 {
		return errors.New("its issuing distribution point does not parse")
	}
	switch {
	case idp.OnlyContainsAttributeCerts:
		return errors.New("it covers attribute certificates only")
	case idp.OnlyContainsCACerts && !cert.IsCA:
		return errors.New("it covers CA certificates only")
	case idp.OnlyContainsUserCerts && cert.IsCA:
		return errors.New("it covers end-entity certificates only")
	case idp.OnlySomeReasons.BitLength > 0:
		return errors.New("it covers some revocation reasons only")
	case idp.IndirectCRL:
		return errors.New("it is an indirect CRL")
	}
	uris, err := fullNameURIs(idp.DistributionPoint)
	if err != nil {
		return err
	}
	if len(uris) > 0 && len(cert.CRLDistributionPoints) > 0 &&
		!slices.ContainsFunc(uris, func(u string) bool { return slices.Contains(cert.CRLDistributionPoints, u) }) {
		return fmt.Errorf("it is the CRL of %v, not of a distribution point the certificate names", uris)
	}
	return nil
}

// fullNameURIs returns the URIs of a DistributionPointName's fullName; a
// nameRelativeToCRLIssuer, or names of other kinds, yield none.
func fullNameURIs(dp asn1.RawValue) ([]string, error) {
	if len(dp.Bytes) == 0 {
		return nil, nil
	}
	var name asn1.RawValue
	if rest, err := asn1.Unmarshal(dp.Bytes, &name); err != nil || len(rest) != 0 {
		return nil, errors.New("its issuing distribution point's name does not parse")
	}
	if name.Class != asn1.ClassContextSpecific || name.Tag != 0 {
		return nil, nil
	}
	var uris []string
	for rest := name.Bytes; len(rest) > 0; {
		var gn asn1.RawValue
		var err error
		if rest, err = asn1.Unmarshal(rest, &gn); err != nil {
			return nil, errors.New("its issuing distribution point's name does not parse")
		}
		if gn.Class == asn1.ClassContextSpecific && gn.Tag == 6 {
			uris = append(uris, string(gn.Bytes))
		}
	}
	return uris, nil
}
