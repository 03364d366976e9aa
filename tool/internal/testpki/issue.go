package testpki

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"time"

	"github.com/drim-m/trust-space/tool/listeblanche/dn"
)

// SignerRequest describes an ORG SIGN certificate. The zero value of each
// field takes the default of the real profile.
type SignerRequest struct {
	// Subject is the DN string, e.g. SignerSubject, encoded exactly as
	// written and read by package dn: a multi-valued RDN or a repeated
	// attribute included, so that the verifier meets hostile signers.
	Subject string
	// NotBefore and NotAfter default to one day before the PKI's time and
	// three years after it.
	NotBefore, NotAfter time.Time
	// KeyUsage defaults to digitalSignature + nonRepudiation (critical).
	KeyUsage x509.KeyUsage
}

// IssueSigner issues an organisation-signing certificate from the
// ORGANISATIONS CA: by default the ANS's "Liste Blanche DRIM-M" profile. Tests
// use other requests for wrong-signer and expired-signer cases.
func (p *PKI) IssueSigner(req SignerRequest) (*Cert, error) {
	name, err := dn.Parse(req.Subject)
	if err != nil {
		return nil, fmt.Errorf("signer subject: %w", err)
	}
	subject, err := name.DER()
	if err != nil {
		return nil, fmt.Errorf("encoding the signer subject %q: %w", req.Subject, err)
	}
	tmpl := &x509.Certificate{
		RawSubject:            subject,
		NotBefore:             req.NotBefore,
		NotAfter:              req.NotAfter,
		KeyUsage:              req.KeyUsage,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		BasicConstraintsValid: true,
		Policies:              []x509.OID{SignerPolicy},
		CRLDistributionPoints: p.crlURL("org-ca.crl"),
	}
	if tmpl.NotBefore.IsZero() {
		tmpl.NotBefore = p.now.AddDate(0, 0, -1)
	}
	if tmpl.NotAfter.IsZero() {
		tmpl.NotAfter = p.now.AddDate(3, 0, 0)
	}
	if tmpl.KeyUsage == 0 {
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment
	}
	c, err := p.issue(p.OrgCA, tmpl)
	if err != nil {
		return nil, fmt.Errorf("issuing the signer certificate: %w", err)
	}
	return c, nil
}

// ServerRequest describes a TLS server certificate for a DRIMbox.
type ServerRequest struct {
	// DNSNames are the subjectAltName DNS entries; at least one.
	DNSNames []string
	// IPAddresses are extra subjectAltName IP entries, e.g. 127.0.0.1 for
	// loopback tests.
	IPAddresses []net.IP
	// Subject is the subject DN; when empty, CN is the first DNS name.
	Subject pkix.Name
	// SubjectDN, when set, is the subject exactly as written and read by
	// package dn, a multi-valued RDN or a repeated attribute included;
	// it overrides Subject.
	SubjectDN string
	// NotBefore and NotAfter default to one hour before the PKI's time and
	// one year after it. Set them to make expired or not-yet-valid
	// certificates.
	NotBefore, NotAfter time.Time
}

// IssueServer issues a TLS server certificate from the ORGANISATIONS CA,
// as IGC Santé does for DRIMbox servers. Its Chain holds the CA and the root,
// and TLS() returns it ready for a tls.Config.
func (p *PKI) IssueServer(req ServerRequest) (*Cert, error) {
	if len(req.DNSNames) == 0 {
		return nil, fmt.Errorf("a server certificate needs at least one DNS name")
	}
	tmpl := &x509.Certificate{
		Subject:               req.Subject,
		DNSNames:              req.DNSNames,
		IPAddresses:           req.IPAddresses,
		NotBefore:             req.NotBefore,
		NotAfter:              req.NotAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		CRLDistributionPoints: p.crlURL("org-ca.crl"),
	}
	if req.SubjectDN != "" {
		n, err := dn.Parse(req.SubjectDN)
		if err != nil {
			return nil, err
		}
		if tmpl.RawSubject, err = n.DER(); err != nil {
			return nil, fmt.Errorf("encoding %q: %w", req.SubjectDN, err)
		}
	} else if tmpl.Subject.CommonName == "" && len(tmpl.Subject.Names) == 0 && len(tmpl.Subject.Organization) == 0 {
		tmpl.Subject.CommonName = req.DNSNames[0]
	}
	if tmpl.NotBefore.IsZero() {
		tmpl.NotBefore = p.now.Add(-time.Hour)
	}
	if tmpl.NotAfter.IsZero() {
		tmpl.NotAfter = p.now.AddDate(1, 0, 0)
	}
	c, err := p.issue(p.OrgCA, tmpl)
	if err != nil {
		return nil, fmt.Errorf("issuing the server certificate for %s: %w", req.DNSNames[0], err)
	}
	return c, nil
}

// RevocationList returns a DER CRL of the ORGANISATIONS CA, valid from
// thisUpdate for a week, listing the given certificates as revoked at
// thisUpdate.
func (p *PKI) RevocationList(thisUpdate time.Time, revoked ...*x509.Certificate) ([]byte, error) {
	return revocationList(p.OrgCA, thisUpdate, revoked)
}

// RootRevocationList is the root's CRL, as RevocationList is the CA's.
func (p *PKI) RootRevocationList(thisUpdate time.Time, revoked ...*x509.Certificate) ([]byte, error) {
	return revocationList(p.Root, thisUpdate, revoked)
}

func revocationList(ca *Cert, thisUpdate time.Time, revoked []*x509.Certificate) ([]byte, error) {
	tmpl := &x509.RevocationList{
		Number:     big.NewInt(thisUpdate.Unix()),
		ThisUpdate: thisUpdate,
		NextUpdate: thisUpdate.AddDate(0, 0, 7),
	}
	for _, c := range revoked {
		tmpl.RevokedCertificateEntries = append(tmpl.RevokedCertificateEntries, x509.RevocationListEntry{
			SerialNumber:   c.SerialNumber,
			RevocationTime: thisUpdate,
		})
	}
	der, err := x509.CreateRevocationList(rand.Reader, tmpl, ca.Cert, ca.Key)
	if err != nil {
		return nil, fmt.Errorf("creating the CRL: %w", err)
	}
	return der, nil
}
