package xades

import (
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// CheckAnchor tells why c cannot be a trust anchor, or returns nil: an
// anchor is a CA certificate (basic constraints CA=true) allowed to sign
// certificates (keyCertSign). Pinning a leaf, the signer's certificate say,
// would trust whatever it is, not whom the CA vouches for.
func CheckAnchor(c *x509.Certificate) error {
	switch {
	case !c.BasicConstraintsValid || !c.IsCA:
		return fmt.Errorf("%q is not a CA certificate (basic constraints CA=true)", c.Subject)
	case c.KeyUsage&x509.KeyUsageCertSign == 0:
		return fmt.Errorf("%q is a CA certificate without the keyCertSign key usage", c.Subject)
	}
	return nil
}

// checkSigner builds the chain from the signer to a pinned root at the
// verification time, then checks the signer's key usage and name.
func checkSigner(signer *x509.Certificate, carried []*x509.Certificate, opts VerifyOptions) ([]*x509.Certificate, error) {
	at := opts.Now
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
	if err := checkSignerName(signer, opts); err != nil {
		return nil, err
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
		return fmt.Errorf("%w: at the verification time %s, certificate %q is not valid (valid from %s to %s)",
			ErrCertificate, at.UTC().Format(time.RFC3339), c.Subject, c.NotBefore.UTC().Format(time.RFC3339), c.NotAfter.UTC().Format(time.RFC3339))
	case errors.As(err, &unknown):
		return fmt.Errorf("%w: the signer %q (issued by %q) does not chain to a pinned root", ErrCertificate, signer.Subject, signer.Issuer)
	}
	return fmt.Errorf("%w: the chain of %q: %v", ErrCertificate, signer.Subject, err)
}

// checkRevocation checks each certificate of the chain but the root
// against the CRLs of its issuer: those given, else those FetchCRLs finds.
// A CRL listing a certificate refuses it, current or not (a revocation is
// for ever); a certificate needs a current CRL when it is the signer or
// names a distribution point. What the policy lets pass unchecked comes back
// as warnings.
func checkRevocation(chain []*x509.Certificate, opts VerifyOptions) ([]string, error) {
	if opts.Revocation == RevocationSkipped {
		return []string{"revocation not checked: the signer may have been revoked"}, nil
	}
	var warnings []string
	for i := 0; i+1 < len(chain); i++ {
		cert, issuer := chain[i], chain[i+1]
		crls := crlsOf(opts.CRLs, issuer)
		proves := func(c *x509.RevocationList) bool { return currentAt(c, opts.Now) && covers(c, cert) == nil }
		var fetchErr error
		if !slices.ContainsFunc(crls, proves) &&
			opts.FetchCRLs != nil && len(cert.CRLDistributionPoints) > 0 {
			var fetched []*x509.RevocationList
			fetched, fetchErr = opts.FetchCRLs(cert, issuer)
			crls = append(crls, crlsOf(fetched, issuer)...)
		}
		current := false
		for _, crl := range crls {
			for _, e := range crl.RevokedCertificateEntries {
				if e.SerialNumber.Cmp(cert.SerialNumber) == 0 {
					return nil, fmt.Errorf("%w: %q (serial %x) was revoked on %s", ErrRevoked, cert.Subject, cert.SerialNumber, e.RevocationTime.UTC().Format(time.RFC3339))
				}
			}
			current = current || proves(crl)
		}
		if current || (i > 0 && len(cert.CRLDistributionPoints) == 0) {
			continue
		}
		err := noCRL(cert, issuer, crls, fetchErr, opts.Now)

		if opts.Revocation == RevocationSoftFail {
			warnings = append(warnings, "revocation not checked: "+strings.TrimPrefix(err.Error(), ErrNoCRL.Error()+": "))
			continue
		}
		return nil, err
	}
	return warnings, nil
}

// currentAt tells whether a CRL speaks for the time now.
func currentAt(crl *x509.RevocationList, now time.Time) bool {
	return !now.Before(crl.ThisUpdate) && (crl.NextUpdate.IsZero() || !now.After(crl.NextUpdate))
}

// crlsOf returns the CRLs that issuer signed.
func crlsOf(crls []*x509.RevocationList, issuer *x509.Certificate) []*x509.RevocationList {
	var out []*x509.RevocationList
	for _, crl := range crls {
		if string(crl.RawIssuer) == string(issuer.RawSubject) && crl.CheckSignatureFrom(issuer) == nil {
			out = append(out, crl)
		}
	}
	return out
}

// noCRL says why no current CRL covers cert.
func noCRL(cert, issuer *x509.Certificate, crls []*x509.RevocationList, fetchErr error, now time.Time) error {
	// The first CRL of the issuer says why it proves nothing.
	if len(crls) > 0 {
		crl := crls[0]
		if err := covers(crl, cert); err != nil {
			return fmt.Errorf("%w: the CRL of %q does not cover %q: %v", ErrNoCRL, issuer.Subject, cert.Subject, err)
		}
		if now.Before(crl.ThisUpdate) {
			return fmt.Errorf("%w: the CRL of %q is not valid before %s", ErrNoCRL, issuer.Subject, crl.ThisUpdate.UTC().Format(time.RFC3339))
		}
		return fmt.Errorf("%w: the CRL of %q expired on %s; fetch a current one", ErrNoCRL, issuer.Subject, crl.NextUpdate.UTC().Format(time.RFC3339))
	}
	if fetchErr != nil {
		return fmt.Errorf("%w: no current CRL of %q for %q: %v", ErrNoCRL, issuer.Subject, cert.Subject, fetchErr)
	}
	if len(cert.CRLDistributionPoints) == 0 {
		return fmt.Errorf("%w: no CRL given is signed by %q, and %q names no CRL distribution point", ErrNoCRL, issuer.Subject, cert.Subject)
	}
	return fmt.Errorf("%w: no CRL given is signed by %q (the CRL of %q is at %s)", ErrNoCRL, issuer.Subject, cert.Subject, strings.Join(cert.CRLDistributionPoints, ", "))
}
