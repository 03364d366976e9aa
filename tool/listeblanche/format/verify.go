package format

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/drim-m/trust-space/tool/listeblanche/xades"
)

// The refusals of Verify beyond those of xades and ErrFormat.
var (
	// ErrStale: the list is older than the relying party accepts.
	ErrStale = errors.New("the list is too old")
	// ErrRollback: the list is older than one already accepted.
	ErrRollback = errors.New("the list goes back in time")
	// ErrDates: DateDeGeneration and the signing time contradict each
	// other.
	ErrDates = errors.New("the list's dates do not hold together")
)

// DefaultMaxAge is the age beyond which a DRIMbox refuses a list: the
// trust space's max_age (registry/trust-space.yaml).
const DefaultMaxAge = 72 * time.Hour

// VerifyOptions are a relying party's trust and policy.
type VerifyOptions struct {
	// Signature holds the pinned roots, extra CAs, CRLs, the expected signer
	// CN and OU, and the verification time (Signature.Now).
	Signature xades.VerifyOptions
	// Namespace is the expected namespace; empty means DefaultNamespace.
	Namespace string
	// MaxAge refuses a list whose DateDeGeneration is older than this at
	// the verification time: zero means DefaultMaxAge, a negative value
	// checks nothing (for archives only).
	MaxAge time.Duration
	// Last is the last list accepted (from the state file), or nil.
	Last *State
}

// Verified is a list that passed every check, and the state to remember.
type Verified struct {
	List   *List
	Signed *xades.Signed
	// State is what to keep for the next verification.
	State State
}

// Verify checks a signed list: the signature in every point of the ANS
// profile (package xades), then the format of what the signature covers,
// its freshness and that it does not go back before the last list accepted.
// The list returned is read from the signed content only.
func Verify(data []byte, opts VerifyOptions) (*Verified, error) {
	signed, err := xades.Verify(data, opts.Signature)
	if err != nil {
		return nil, err
	}
	l, err := Parse(signed.Content)
	if err != nil {
		return nil, err
	}
	ns := opts.Namespace
	if ns == "" {
		ns = DefaultNamespace
	}
	if err := l.Check(ns); err != nil {
		return nil, err
	}
	now := opts.Signature.Now
	if l.Generated.After(now.Add(xades.MaxClockSkew)) {
		return nil, fmt.Errorf("%w: DateDeGeneration %s is after the verification time", ErrDates, FormatTime(l.Generated))
	}
	// A list is signed once generated: a signing time before its
	// generation is a backdated signature, made to fit an old key.
	if signed.SigningTime.Before(l.Generated.Add(-xades.MaxClockSkew)) {
		return nil, fmt.Errorf("%w: signed at %s, before its DateDeGeneration %s", ErrDates,
			FormatTime(signed.SigningTime), FormatTime(l.Generated))
	}
	maxAge := opts.MaxAge
	if maxAge == 0 {
		maxAge = DefaultMaxAge
	}
	if maxAge > 0 && now.Sub(l.Generated) > maxAge {
		return nil, fmt.Errorf("%w: generated on %s, %s before the verification time; the limit is %s",
			ErrStale, FormatTime(l.Generated), now.Sub(l.Generated).Round(time.Minute), maxAge)
	}
	sum := sha256.Sum256(signed.Content)
	st := State{Generated: l.Generated, ContentSHA256: hex.EncodeToString(sum[:]), SigningTime: signed.SigningTime.UTC()}
	if last := opts.Last; last != nil {
		switch {
		case l.Generated.Before(last.Generated):
			return nil, fmt.Errorf("%w: DateDeGeneration %s is older than %s, of the last list accepted",
				ErrRollback, FormatTime(l.Generated), FormatTime(last.Generated))
		case l.Generated.Equal(last.Generated) && last.ContentSHA256 != "" && last.ContentSHA256 != st.ContentSHA256:
			return nil, fmt.Errorf("%w: a different list with the same DateDeGeneration %s as the last one accepted",
				ErrRollback, FormatTime(l.Generated))
		}
	}
	return &Verified{List: l, Signed: signed, State: st}, nil
}
