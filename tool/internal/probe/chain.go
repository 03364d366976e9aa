package probe

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"time"
)

// verify checks the served chain against the trust anchors and records
// the certificate. It aborts the handshake when the chain is not valid for
// the host: nothing is sent to an endpoint a peer DRIMbox would refuse.
func (a *attempt) verify(cs tls.ConnectionState) error {
	if len(cs.PeerCertificates) == 0 {
		return errors.New("no certificate served")
	}
	leaf := cs.PeerCertificates[0]
	now := a.p.opts.Now()
	subject, match := MatchDN(leaf, a.dn, a.db)
	cert := &Cert{
		Subject:       subject,
		Issuer:        leaf.Issuer.String(),
		NotAfter:      leaf.NotAfter.UTC(),
		ChainNotAfter: leaf.NotAfter.UTC(),
		DNMatch:       a.dn == "" || match,
	}
	notAfter, err := a.p.verifyChain(cs.PeerCertificates, a.host, now)
	if err == nil {
		cert.Trusted = true
		cert.ChainNotAfter = notAfter
	}
	cert.DaysLeft = int(cert.ChainNotAfter.Sub(now).Hours() / 24)
	if cert.ChainNotAfter.Before(now) {
		cert.DaysLeft = -1 - int(now.Sub(cert.ChainNotAfter).Hours()/24)
	}
	a.cert = cert
	if err == nil {
		return nil
	}
	var inv x509.CertificateInvalidError
	var host x509.HostnameError
	var unknown x509.UnknownAuthorityError
	switch {
	case errors.As(err, &inv) && inv.Reason == x509.Expired:
		a.tlsWhy = ReasonCertExpired
	case errors.As(err, &host):
		a.tlsWhy = ReasonCertName
	case errors.As(err, &unknown):
		a.tlsWhy = ReasonCertUntrusted
	default:
		a.tlsWhy = ReasonCertUntrusted
	}
	a.tlsFail = err
	return err
}

// validChain is a chain Verify accepted: the span of time it is valid in.
type validChain struct{ notBefore, notAfter time.Time }

// verifyChain verifies the served certificates for host at now and returns
// the earliest expiry of the chain. A chain verified once in the run is
// not verified again while now is within its validity (a DRIMbox's db and
// vi usually serve the same one): only the name is checked, which is what
// Verify would check before building the chain.
func (p *Prober) verifyChain(served []*x509.Certificate, host string, now time.Time) (time.Time, error) {
	h := sha256.New()
	for _, c := range served {
		binary.Write(h, binary.BigEndian, uint32(len(c.Raw)))
		h.Write(c.Raw)
	}
	key := string(h.Sum(nil))
	leaf := served[0]
	if v, ok := p.chains.Load(key); ok {
		vc := v.(validChain)
		if !now.Before(vc.notBefore) && !now.After(vc.notAfter) {
			return vc.notAfter, leaf.VerifyHostname(host)
		}
	}
	inter := x509.NewCertPool()
	for _, c := range served[1:] {
		inter.AddCert(c)
	}
	chains, err := leaf.Verify(x509.VerifyOptions{
		Roots:         p.opts.Roots,
		Intermediates: inter,
		DNSName:       host,
		CurrentTime:   now,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	if err != nil {
		return time.Time{}, err
	}
	vc := validChain{notBefore: leaf.NotBefore, notAfter: leaf.NotAfter}
	for _, c := range chains[0] {
		if c.NotBefore.After(vc.notBefore) {
			vc.notBefore = c.NotBefore
		}
		if c.NotAfter.Before(vc.notAfter) {
			vc.notAfter = c.NotAfter
		}
	}
	vc.notAfter = vc.notAfter.UTC()
	p.chains.Store(key, vc)
	return vc.notAfter, nil
}
