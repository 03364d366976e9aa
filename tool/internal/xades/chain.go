package xades

import (
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"time"
)

// checkSigner builds the chain from the signer to a pinned root at the
// signing time, then checks the signer's key usage and name.
func checkSigner(signer *x509.Certificate, carried []*x509.Certificate, at time.Time, opts VerifyOptions) ([]*x509.Certificate, error) {
	roots := x509.NewCertPool()
	for _, r := range opts.Roots {
		roots.AddCert(r)
	}
	inter := x509.NewCertPool()
	for _, c := range carried {
		if c != signer {
			inter.AddCert(c)
		}
	}
	for _, c := range opts.Intermediates {
		inter.AddCert(c)
	}
	chains, err := signer.Verify(x509.VerifyOptions{
		Roots:         roots,
		Intermediates: inter,
		CurrentTime:   at,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		return nil, explainChain(signer, at, err)
	}
	chain := chains[0]
	if signer.IsCA {
		return nil, fmt.Errorf("%w: the signer %q is a CA certificate", ErrCertificate, signer.Subject)
	}
	want := x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment
	if signer.KeyUsage&want != want {
		return nil, fmt.Errorf("%w: the signer %q lacks key usage digitalSignature and nonRepudiation", ErrCertificate, signer.Subject)
	}
	if opts.SignerCN != "" && signer.Subject.CommonName != opts.SignerCN {
		return nil, fmt.Errorf("%w: the signer's CN is %q, expected %q", ErrCertificate, signer.Subject.CommonName, opts.SignerCN)
	}
	if opts.SignerOU != "" && !slices.Contains(signer.Subject.OrganizationalUnit, opts.SignerOU) {
		return nil, fmt.Errorf("%w: the signer's OU is %q, expected %q", ErrCertificate, signer.Subject.OrganizationalUnit, opts.SignerOU)
	}
	return chain, nil
}

// explainChain turns a chain-building failure into words.
func explainChain(signer *x509.Certificate, at time.Time, err error) error {
	var invalid x509.CertificateInvalidError
	var unknown x509.UnknownAuthorityError
	switch {
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		c := invalid.Cert
		return fmt.Errorf("%w: at the signing time %s, certificate %q was not valid (valid from %s to %s)",
			ErrCertificate, at.UTC().Format(time.RFC3339), c.Subject, c.NotBefore.UTC().Format(time.RFC3339), c.NotAfter.UTC().Format(time.RFC3339))
	case errors.As(err, &unknown):
		return fmt.Errorf("%w: the signer %q (issued by %q) does not chain to a pinned root", ErrCertificate, signer.Subject, signer.Issuer)
	}
	return fmt.Errorf("%w: the chain of %q: %v", ErrCertificate, signer.Subject, err)
}

// checkRevocation checks the chain against the CRLs given. When CRLs are
// given, one must come from the signer's issuer.
func checkRevocation(chain []*x509.Certificate, opts VerifyOptions) error {
	if len(opts.CRLs) == 0 {
		return nil
	}
	for i := 0; i+1 < len(chain); i++ {
		cert, issuer := chain[i], chain[i+1]
		covered := false
		for _, crl := range opts.CRLs {
			if string(crl.RawIssuer) != string(issuer.RawSubject) || crl.CheckSignatureFrom(issuer) != nil {
				continue
			}
			covered = true
			if opts.Now.Before(crl.ThisUpdate) {
				return fmt.Errorf("%w: the CRL of %q is not valid before %s", ErrCertificate, issuer.Subject, crl.ThisUpdate.UTC().Format(time.RFC3339))
			}
			if !crl.NextUpdate.IsZero() && opts.Now.After(crl.NextUpdate) {
				return fmt.Errorf("%w: the CRL of %q expired on %s; fetch a current one", ErrCertificate, issuer.Subject, crl.NextUpdate.UTC().Format(time.RFC3339))
			}
			for _, e := range crl.RevokedCertificateEntries {
				if e.SerialNumber.Cmp(cert.SerialNumber) == 0 {
					return fmt.Errorf("%w: %q (serial %x) was revoked on %s", ErrRevoked, cert.Subject, cert.SerialNumber, e.RevocationTime.UTC().Format(time.RFC3339))
				}
			}
		}
		if i == 0 && !covered {
			return fmt.Errorf("%w: no CRL given is signed by the signer's CA %q", ErrCertificate, issuer.Subject)
		}
	}
	return nil
}
