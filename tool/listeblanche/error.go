package listeblanche

import (
	"errors"

	"github.com/drim-m/trust-space/tool/listeblanche/format"
	"github.com/drim-m/trust-space/tool/listeblanche/xades"
)

// Check names the check that refused a list, for callers that act on it:
// alert on Signature or Signer, retry later on Revocation, keep the last
// list on Freshness or Rollback.
type Check string

// The checks, in the order Verify makes them.
const (
	// CheckXML: not well-formed, too large, or holding a DOCTYPE, an
	// entity, a comment or a processing instruction.
	CheckXML Check = "xml"
	// CheckProfile: no signature, more than one, or one outside the ANS
	// profile, or content no signature covers (UnsignedProperties).
	CheckProfile Check = "profile"
	// CheckSignature: a digest or the signature value does not match:
	// the file was changed after signing.
	CheckSignature Check = "signature"
	// CheckSigner: the signer does not chain to a pinned root, is not
	// valid at the verification time, or has the wrong key usage or names.
	CheckSigner Check = "signer"
	// CheckTime: the signing time is after the verification time, before
	// the signer's validity, or before DateDeGeneration.
	CheckTime Check = "time"
	// CheckRevocation: the signer is revoked, or no current CRL could be
	// had.
	CheckRevocation Check = "revocation"
	// CheckFormat: what the signature covers is not a list in format
	// 1.0.0.
	CheckFormat Check = "format"
	// CheckFreshness: the list is older than MaxAge.
	CheckFreshness Check = "freshness"
	// CheckRollback: the list is older than the last one accepted.
	CheckRollback Check = "rollback"
)

// Error is a refused list.
type Error struct {
	Check Check
	Err   error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// checkOf maps the verifier's refusals to checks.
func checkOf(err error) Check {
	for _, m := range []struct {
		err   error
		check Check
	}{
		{xades.ErrMalformed, CheckXML}, {xades.ErrForbidden, CheckXML}, {xades.ErrLimit, CheckXML},
		{xades.ErrUnsigned, CheckProfile}, {xades.ErrProfile, CheckProfile}, {xades.ErrUnsignedContent, CheckProfile},
		{xades.ErrDigest, CheckSignature}, {xades.ErrSignature, CheckSignature},
		{xades.ErrCertificate, CheckSigner},
		{xades.ErrSigningTime, CheckTime}, {format.ErrDates, CheckTime},
		{xades.ErrRevoked, CheckRevocation}, {xades.ErrNoCRL, CheckRevocation},
		{format.ErrFormat, CheckFormat},
		{format.ErrStale, CheckFreshness},
		{format.ErrRollback, CheckRollback},
	} {
		if errors.Is(err, m.err) {
			return m.check
		}
	}
	return CheckFormat
}
