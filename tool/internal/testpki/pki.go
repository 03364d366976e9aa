// Package testpki generates, at run time, a throwaway public-key
// infrastructure shaped like the IGC Santé one: a self-signed root, an
// ORGANISATIONS certification authority under it, and the ORG SIGN
// certificate that signs the Liste Blanche. It also issues TLS server
// certificates for DRIMbox names, writes everything to PEM files and loads the
// signer key into a SoftHSM2 token, so that tests and the demo sign through a
// real PKCS#11 module.
//
// Every name in it is fictional and every key is generated on the spot; none
// of it may be trusted outside tests and demonstrations.
//
// A typical use in a test:
//
//	pki, err := testpki.New(testpki.Options{Now: env.Now()})
//	srv, err := pki.IssueServer(testpki.ServerRequest{
//		DNSNames: []string{"db3.test.mesimagesmedicales.fr"},
//		Subject:  testpki.MustDN("CN=db3.test.mesimagesmedicales.fr,OU=399999999900017,O=CENTRE FICTIF,ST=Paris (75),C=FR"),
//	})
//	tlsCert := srv.TLS()          // for a tls.Config on a loopback server
//	pool := pki.RootPool()        // for the client's RootCAs
package testpki

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"math/big"
	"time"
)

// SignerPolicy is the certificate policy of ORG SIGN certificates in the IGC
// Santé test hierarchy; the generated signer carries it by default.
var SignerPolicy = mustOID(1, 2, 250, 1, 213, 1, 7, 2, 1, 1, 1, 1)

var (
	oidCountry            = asn1.ObjectIdentifier{2, 5, 4, 6}
	oidOrganization       = asn1.ObjectIdentifier{2, 5, 4, 10}
	oidOrganizationalUnit = asn1.ObjectIdentifier{2, 5, 4, 11}
	oidCommonName         = asn1.ObjectIdentifier{2, 5, 4, 3}
)

func mustOID(ints ...uint64) x509.OID {
	oid, err := x509.OIDFromInts(ints)
	if err != nil {
		panic(err)
	}
	return oid
}

// SignerSubject is the subject the ANS uses for the Liste Blanche signer.
const SignerSubject = "CN=Liste Blanche DRIM-M,OU=318751275100020,O=AGENCE DU NUMERIQUE EN SANTE,ST=Paris (75),C=FR"

// Options tune a generated PKI. Now is required; the other fields have
// defaults.
type Options struct {
	// Now anchors every validity period. It is required, and never taken
	// from the process clock: a test's certificates must be valid at the
	// test's clock, whatever the date the test runs on.
	Now time.Time
	// Name is the hierarchy's name inside the CA common names, so that two
	// PKIs (a trusted one and "another root") never look alike. Default
	// "IGC-FICTIVE".
	Name string
	// KeyBits is the RSA key size of every key; default 2048.
	KeyBits int
	// Signer is the subject DN of the ORG SIGN certificate; default
	// SignerSubject.
	Signer string
	// CRLBaseURL, when set, puts CRL distribution points in the
	// certificates, as IGC Santé does: CRLBaseURL/root.crl in the
	// ORGANISATIONS CA, CRLBaseURL/org-ca.crl in what the CA issues.
	CRLBaseURL string
}

// Cert is a certificate, its private key and the chain of its issuers, from
// its direct issuer up to the root (empty for the root itself).
type Cert struct {
	Cert  *x509.Certificate
	Key   *rsa.PrivateKey
	Chain []*x509.Certificate
}

// PKI is a generated hierarchy: Root signs OrgCA, OrgCA signs Signer and
// every server certificate.
type PKI struct {
	Root   *Cert
	OrgCA  *Cert
	Signer *Cert

	now     time.Time
	name    string
	bits    int
	crlBase string
}

// New generates a root, an ORGANISATIONS CA and an ORG SIGN signer.
func New(opts Options) (*PKI, error) {
	if opts.Now.IsZero() {
		return nil, fmt.Errorf("testpki: Options.Now is required: pass the clock the certificates are checked against")
	}
	p := &PKI{now: opts.Now, name: opts.Name, bits: opts.KeyBits, crlBase: opts.CRLBaseURL}
	p.now = p.now.UTC().Truncate(time.Second)
	if p.name == "" {
		p.name = "IGC-FICTIVE"
	}
	if p.bits == 0 {
		p.bits = 2048
	}
	// IGC Santé names put each attribute in an RDN of its own, in this
	// order.
	caName := func(cn string) pkix.Name {
		return pkix.Name{ExtraNames: []pkix.AttributeTypeAndValue{
			{Type: oidCountry, Value: "FR"},
			{Type: oidOrganization, Value: "ESPACE DE CONFIANCE FICTIF"},
			{Type: oidOrganizationalUnit, Value: "0002 999999999"},
			{Type: oidOrganizationalUnit, Value: p.name + " TEST"},
			{Type: oidCommonName, Value: cn},
		}}
	}
	var err error
	p.Root, err = p.issue(nil, &x509.Certificate{
		Subject:               caName("TEST AC RACINE " + p.name + " ELEMENTAIRE"),
		NotBefore:             p.now.AddDate(-1, 0, 0),
		NotAfter:              p.now.AddDate(20, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	})
	if err != nil {
		return nil, fmt.Errorf("generating the root: %w", err)
	}
	p.OrgCA, err = p.issue(p.Root, &x509.Certificate{
		Subject:               caName("TEST AC " + p.name + " ELEMENTAIRE ORGANISATIONS"),
		NotBefore:             p.now.AddDate(-1, 0, 0),
		NotAfter:              p.now.AddDate(15, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
		CRLDistributionPoints: p.crlURL("root.crl"),
	})
	if err != nil {
		return nil, fmt.Errorf("generating the organisation CA: %w", err)
	}
	subject := opts.Signer
	if subject == "" {
		subject = SignerSubject
	}
	p.Signer, err = p.IssueSigner(SignerRequest{Subject: subject})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// issue creates a key and a certificate from tmpl, signed by parent (or
// self-signed when parent is nil).
func (p *PKI) issue(parent *Cert, tmpl *x509.Certificate) (*Cert, error) {
	key, err := rsa.GenerateKey(rand.Reader, p.bits)
	if err != nil {
		return nil, err
	}
	if tmpl.SubjectKeyId == nil {
		// RFC 5280 method 1, as the IGC Santé certificates carry one.
		sum := sha1.Sum(x509.MarshalPKCS1PublicKey(&key.PublicKey))
		tmpl.SubjectKeyId = sum[:]
	}
	if tmpl.SerialNumber == nil {
		tmpl.SerialNumber, err = serial()
		if err != nil {
			return nil, err
		}
	}
	issuerCert, issuerKey := tmpl, crypto.Signer(key)
	var chain []*x509.Certificate
	if parent != nil {
		issuerCert, issuerKey = parent.Cert, parent.Key
		chain = append([]*x509.Certificate{parent.Cert}, parent.Chain...)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, issuerCert, key.Public(), issuerKey)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &Cert{Cert: cert, Key: key, Chain: chain}, nil
}

// serial returns a random positive 128-bit serial number, as IGC Santé uses.
func serial() (*big.Int, error) {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, err
	}
	return n.Add(n, big.NewInt(1)), nil
}

// crlURL is the distribution point of a CRL, or none without CRLBaseURL.
func (p *PKI) crlURL(name string) []string {
	if p.crlBase == "" {
		return nil
	}
	return []string{p.crlBase + "/" + name}
}

// RootPool returns a pool holding only the root, for a TLS client's RootCAs.
func (p *PKI) RootPool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(p.Root.Cert)
	return pool
}

// Now is the time the hierarchy's validity periods are anchored on.
func (p *PKI) Now() time.Time { return p.now }

// TLS returns the certificate as a tls.Certificate carrying the chain up to,
// but excluding, the root, as servers present it.
func (c *Cert) TLS() tls.Certificate {
	out := tls.Certificate{Certificate: [][]byte{c.Cert.Raw}, PrivateKey: c.Key, Leaf: c.Cert}
	for _, ca := range c.Chain {
		if isSelfSigned(ca) {
			continue
		}
		out.Certificate = append(out.Certificate, ca.Raw)
	}
	return out
}

// CertPEM returns the certificate in PEM.
func (c *Cert) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Cert.Raw})
}

// ChainPEM returns the certificate followed by its issuers up to the root, in
// PEM: the form `drimm whitelist sign --cert-chain` reads.
func (c *Cert) ChainPEM() []byte {
	out := c.CertPEM()
	for _, ca := range c.Chain {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw})...)
	}
	return out
}

// KeyPEM returns the private key in PKCS#8 PEM, the form softhsm2-util
// imports.
func (c *Cert) KeyPEM() []byte {
	der, err := x509.MarshalPKCS8PrivateKey(c.Key)
	if err != nil {
		// An rsa.PrivateKey we generated always marshals.
		panic(fmt.Sprintf("testpki: marshalling a generated key: %v", err))
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

func isSelfSigned(c *x509.Certificate) bool {
	return string(c.RawIssuer) == string(c.RawSubject) && c.CheckSignatureFrom(c) == nil
}
