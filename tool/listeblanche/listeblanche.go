// Package listeblanche verifies the Liste Blanche DRIM-M, for DRIMbox
// software written in Go: give it the bytes downloaded and a relying
// party's options, and it returns the entries the ANS signed, or an *Error
// saying which check refused the list.
//
// The zero value of every option is the strict choice: revocation checked
// (a current CRL of the signer's CA is required), the age limited to the
// trust space's max_age (72h), the signer expected to be the ANS's "Liste
// Blanche DRIM-M" certificate. The checks, in order, are those of the
// manual's page liste-blanche-for-drimboxes.md; the homologation kit
// (drimm whitelist testvectors) is their test suite.
//
// This package is the verifying path only: it does no network access of its
// own (but for CRLs, when Options.FetchCRLs is set) and imports no test
// code.
package listeblanche

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/drim-m/trust-space/tool/listeblanche/crl"
	"github.com/drim-m/trust-space/tool/listeblanche/format"
	"github.com/drim-m/trust-space/tool/listeblanche/xades"
)

// DefaultMaxAge is the trust space's max_age: a list generated longer ago
// is refused.
const DefaultMaxAge = format.DefaultMaxAge

// Options are a relying party's trust and policy.
type Options struct {
	// Roots are the pinned IGC Santé roots; at least one.
	Roots []*x509.Certificate
	// Intermediates are CA certificates the list may not carry, such as
	// the IGC Santé ORGANISATIONS CA.
	Intermediates []*x509.Certificate
	// CRLs are revocation lists at hand. With FetchCRLs, those the
	// certificates name are fetched when none at hand is current.
	CRLs      []*x509.RevocationList
	FetchCRLs *CRLFetcher
	// Revocation says what to do when no current CRL can be had.
	Revocation Revocation
	// Now is the verification time; required. Take it from the clock,
	// or, to check an archived list, the time it was received.
	Now time.Time
	// MaxAge limits the list's age: zero means DefaultMaxAge, a negative
	// value checks nothing (archives only).
	MaxAge time.Duration
	// Last is the state of the last list accepted (List.State, saved by
	// the caller); a list older than it is refused.
	Last *State
	// SignerCN, SignerOU and SignerO are the names the signer must have;
	// empty means the ANS's.
	SignerCN, SignerOU, SignerO string
	// Namespace is the list's expected XML namespace; empty means the
	// ANS's current one.
	Namespace string
}

// CRLFetcher fetches the CRLs a certificate names over HTTP, bounded in
// size and time, and caches them until their nextUpdate.
type CRLFetcher struct {
	// Client makes the requests; nil means a client with Timeout.
	Client *http.Client
	// CacheDir keeps CRLs between runs; empty keeps none.
	CacheDir string
	// MaxBytes bounds one CRL; zero means DefaultCRLMaxBytes.
	MaxBytes int64
	// Timeout bounds one download; zero means DefaultCRLTimeout. The
	// context given to Verify bounds them all.
	Timeout time.Duration
}

// The CRL fetcher's defaults: IGC Santé CRLs weigh up to a few MiB.
const (
	DefaultCRLMaxBytes = crl.DefaultMaxBytes
	DefaultCRLTimeout  = crl.DefaultTimeout
)

// Revocation is the choice when no current CRL can be had.
type Revocation int

const (
	// RevocationRequired refuses the list (the zero value).
	RevocationRequired Revocation = Revocation(xades.RevocationRequired)
	// RevocationSoftFail accepts it, with a warning in List.Warnings; a
	// CRL that lists the signer still refuses it.
	RevocationSoftFail Revocation = Revocation(xades.RevocationSoftFail)
	// RevocationSkipped checks no CRL, and says so in List.Warnings.
	RevocationSkipped Revocation = Revocation(xades.RevocationSkipped)
)

// List is a verified Liste Blanche: only what the signature covers.
type List struct {
	// Generated is DateDeGeneration.
	Generated time.Time
	// SigningTime is the signer's signing time.
	SigningTime time.Time
	// Signer is the signing certificate.
	Signer *x509.Certificate
	// Entries are the DRIMboxes to trust, in document order.
	Entries []Entry
	// State is what to save and give back as Options.Last next time.
	State State
	// Warnings say what the options let pass unchecked.
	Warnings []string
}

// Entry is one DRIMbox of the list.
type Entry struct {
	// ID is the Identifiant.
	ID int
	// DB and VI are its access point names; VI may be empty.
	DB, VI string
	// Denomination is the operator responsible for it.
	Denomination string
	// CertDN is DNCertificatOperateur, the subject DN of its server
	// certificate.
	CertDN string
	// SupportContact is its administrator's functional mailbox.
	SupportContact string
	// Updated is DateMAJ.
	Updated time.Time
}

// Verify checks data as a DRIMbox must and returns what the ANS signed.
// Any error means the list must not be used; it is an *Error unless the
// options themselves are wrong or ctx is done. ctx bounds the CRL
// downloads (Options.FetchCRLs); the rest is local work, bounded by the
// size of data.
func Verify(ctx context.Context, data []byte, opts Options) (*List, error) {
	if len(opts.Roots) == 0 || opts.Now.IsZero() {
		return nil, errors.New("listeblanche: Options.Roots and Options.Now are required")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, r := range opts.Roots {
		if err := xades.CheckAnchor(r); err != nil {
			return nil, fmt.Errorf("listeblanche: Options.Roots holds a certificate that cannot be a trust anchor: %w", err)
		}
	}
	vo := format.VerifyOptions{
		Signature: xades.VerifyOptions{
			Roots: opts.Roots, Intermediates: opts.Intermediates, CRLs: opts.CRLs,
			Revocation: xades.Revocation(opts.Revocation),
			SignerCN:   or(opts.SignerCN, format.SignerCN),
			SignerOU:   or(opts.SignerOU, format.SignerOU),
			SignerO:    or(opts.SignerO, format.SignerO),
			Now:        opts.Now,
		},
		Namespace: opts.Namespace,
		MaxAge:    opts.MaxAge,
		Last:      opts.Last.internal(),
	}
	if f := opts.FetchCRLs; f != nil {
		fetcher := &crl.Fetcher{Client: f.Client, CacheDir: f.CacheDir, MaxBytes: f.MaxBytes, Timeout: f.Timeout,
			Context: ctx, Now: func() time.Time { return opts.Now }}
		vo.Signature.FetchCRLs = fetcher.CRLs
	}
	v, err := format.Verify(data, vo)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, &Error{Check: checkOf(err), Err: err}
	}
	out := &List{
		Generated: v.List.Generated, SigningTime: v.Signed.SigningTime, Signer: v.Signed.Signer,
		State: stateOf(v.State), Warnings: v.Signed.Warnings, Entries: make([]Entry, len(v.List.Domains)),
	}
	for i, d := range v.List.Domains {
		out.Entries[i] = Entry{ID: d.ID, DB: d.DB, VI: d.VI, Denomination: d.Denomination, CertDN: d.CertDN, SupportContact: d.SupportContact, Updated: d.Updated}
	}
	return out, nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
