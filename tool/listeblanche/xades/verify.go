package xades

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"fmt"
	"time"
)

// VerifyOptions say whom to trust and what to expect of the signer. The
// zero value of each field is the strict choice.
type VerifyOptions struct {
	// Roots are the pinned trust anchors; at least one.
	Roots []*x509.Certificate
	// Intermediates are CA certificates to build the chain with, besides
	// those in KeyInfo: the ANS lists of 2026 carry only the signer, so the
	// ORGANISATIONS CA comes from here.
	Intermediates []*x509.Certificate
	// CRLs are revocation lists at hand (read from files, or fetched
	// before); a certificate a CRL of its issuer lists is refused.
	CRLs []*x509.RevocationList
	// FetchCRLs, when not nil, is asked for the CRLs of a certificate of
	// the chain that CRLs does not cover: it reads the certificate's CRL
	// distribution points (package crl does, with a cache).
	FetchCRLs func(cert, issuer *x509.Certificate) ([]*x509.RevocationList, error)
	// Revocation says what to do when no current CRL covers a certificate
	// that needs one: refuse (the zero value), or accept with a warning.
	Revocation Revocation
	// SignerCN, SignerOU and SignerO, when not empty, must be the signer's
	// subject CN, OU and O. The subject is read as encoded: one attribute
	// per RDN, each attribute once, or the signer is refused.
	SignerCN, SignerOU, SignerO string
	// Now is the time of verification: the signer and its chain must be
	// valid at it, the signing time may not be later than it (beyond
	// MaxClockSkew), and the CRLs must be current at it. To verify an
	// archived list, give the time it was received.
	Now time.Time
	// Limits bound the input; zero means DefaultLimits.
	Limits Limits
}

// Revocation is a relying party's choice when no current revocation list
// can be had.
type Revocation int

const (
	// RevocationRequired refuses a list unless a current CRL of its issuer
	// covers the signer and every CA certificate that names a CRL
	// distribution point.
	RevocationRequired Revocation = iota
	// RevocationSoftFail checks the CRLs that can be had, and accepts with
	// a warning when none is current for a certificate. A CRL listing the
	// signer still refuses it.
	RevocationSoftFail
	// RevocationSkipped checks nothing, and says so in the warnings.
	RevocationSkipped
)

// MaxClockSkew is how far in the future of the verifier's clock a signing
// time may be.
const MaxClockSkew = 5 * time.Minute

// Verify checks the enveloped signature of data in every point of the
// profile and returns what it covers. Any error means the document must not
// be used.
func Verify(data []byte, opts VerifyOptions) (*Signed, error) {
	if len(opts.Roots) == 0 {
		return nil, fmt.Errorf("verification needs at least one pinned root certificate")
	}
	if opts.Now.IsZero() {
		return nil, fmt.Errorf("verification needs the current time")
	}
	for _, r := range opts.Roots {
		if err := CheckAnchor(r); err != nil {
			return nil, fmt.Errorf("a pinned root cannot be a trust anchor: %w", err)
		}
	}
	if opts.Revocation < RevocationRequired || opts.Revocation > RevocationSkipped {
		return nil, fmt.Errorf("unknown revocation policy %d", opts.Revocation)
	}
	env, err := readEnveloped(data, limitsOr(opts.Limits))
	if err != nil {
		return nil, err
	}
	if err := checkEnvelope(env); err != nil {
		return nil, err
	}
	sig, err := readSignature(env.sig)
	if err != nil {
		return nil, err
	}
	certs := make([]*x509.Certificate, len(sig.certs))
	for i, der := range sig.certs {
		if certs[i], err = x509.ParseCertificate(der); err != nil {
			return nil, fmt.Errorf("%w: KeyInfo certificate %d: %v", ErrCertificate, i+1, err)
		}
	}
	signer, err := signingCertificate(sig, certs)
	if err != nil {
		return nil, err
	}
	if err := sig.hints.match(signer); err != nil {
		return nil, err
	}

	content := env.content
	if d := sha256.Sum256(content); subtle.ConstantTimeCompare(d[:], sig.content.digest) != 1 {
		return nil, fmt.Errorf("%w: the digest of the document does not match the signed one (the list was modified after signing)", ErrDigest)
	}
	props, err := canonical(sig.propsEl)
	if err != nil {
		return nil, err
	}
	if d := sha256.Sum256(props); subtle.ConstantTimeCompare(d[:], sig.props.digest) != 1 {
		return nil, fmt.Errorf("%w: the digest of the SignedProperties does not match the signed one", ErrDigest)
	}
	si, err := canonical(sig.signedInfo)
	if err != nil {
		return nil, err
	}
	pub, ok := signer.PublicKey.(*rsa.PublicKey)
	if !ok || pub.N.BitLen() < 2048 {
		return nil, fmt.Errorf("%w: the signer key is not RSA of at least 2048 bits", ErrCertificate)
	}
	siDigest := sha256.Sum256(si)
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, siDigest[:], sig.value); err != nil {
		return nil, fmt.Errorf("%w: it does not verify with the signer certificate %q", ErrSignature, signer.Subject)
	}

	chain, err := checkSigner(signer, certs, opts)
	if err != nil {
		return nil, err
	}
	if err := checkSigningTime(sig.signingTime, signer, opts.Now); err != nil {
		return nil, err
	}
	warnings, err := checkRevocation(chain, opts)
	if err != nil {
		return nil, err
	}
	return &Signed{
		Content:     content,
		SigningTime: sig.signingTime,
		Signer:      signer,
		Chain:       chain,
		MimeType:    sig.mimeType,
		ID:          sig.id,
		Warnings:    warnings,
	}, nil
}

// signingCertificate returns the KeyInfo certificate that
// SigningCertificateV2 names, after checking its IssuerSerialV2.
func signingCertificate(sig *signature, certs []*x509.Certificate) (*x509.Certificate, error) {
	ref := sig.certDigests[0]
	h, err := digestFor(ref.alg)
	if err != nil {
		return nil, fmt.Errorf("SigningCertificateV2: %w", err)
	}
	var signer *x509.Certificate
	for _, c := range certs {
		h.Reset()
		h.Write(c.Raw)
		if bytes.Equal(h.Sum(nil), ref.digest) {
			signer = c
			break
		}
	}
	if signer == nil {
		return nil, fmt.Errorf("%w: SigningCertificateV2 names no certificate carried in KeyInfo", ErrCertificate)
	}
	if err := matchIssuerSerial(ref.issuerSerial, signer); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCertificate, err)
	}
	return signer, nil
}

// checkSigningTime refuses a signing time after the verification time, or
// before the signer certificate existed. With the signer valid at the
// verification time, this makes it valid over the whole time from signing
// to verification: a key that expired or was retired cannot sign a list
// today by claiming an older time.
func checkSigningTime(st time.Time, signer *x509.Certificate, now time.Time) error {
	if st.After(now.Add(MaxClockSkew)) {
		return fmt.Errorf("%w: the signing time %s is after the verification time %s", ErrSigningTime,
			st.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if st.Before(signer.NotBefore) {
		return fmt.Errorf("%w: the signing time %s is before the signer certificate was valid (from %s)", ErrSigningTime,
			st.UTC().Format(time.RFC3339), signer.NotBefore.UTC().Format(time.RFC3339))
	}
	return nil
}
