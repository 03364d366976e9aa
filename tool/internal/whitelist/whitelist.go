// Package whitelist builds, compares, holds and publishes the Liste Blanche
// DRIM-M: the signed XML list of the DRIMboxes that are operational in the
// trust space, in the format the ANS publishes (versionFormat 1.0.0).
//
// A list is built deterministically from the registry: the same records and
// the same generation time give the same bytes. It is signed by package
// xades with a key in an HSM, and a relying party verifies it with Verify,
// strictly by default, reading nothing but what the signature covers.
//
// The format, its reader and the verification are the verifier's, in the
// module tool/listeblanche that DRIMbox vendors import (package format):
// this package builds on them, never the reverse. Package whitelist/fetch
// downloads and keeps the list, and package whitelist/kit writes the
// homologation kit, the only one of them that uses the test PKI.
package whitelist

import (
	"time"

	"github.com/drim-m/trust-space/tool/listeblanche/format"
	"github.com/drim-m/trust-space/tool/listeblanche/xades"
)

// The format, as package format defines it.
type (
	// List is one Liste Blanche.
	List = format.List
	// Domain is one Domaine: one DRIMbox in the trust space.
	Domain = format.Domain
	// VerifyOptions are a relying party's trust and policy.
	VerifyOptions = format.VerifyOptions
	// Verified is a list that passed every check, and the state to
	// remember.
	Verified = format.Verified
	// State is what a relying party remembers of the last list accepted.
	State = format.State
)

const (
	DefaultNamespace = format.DefaultNamespace
	VersionFormat    = format.VersionFormat
	SignerCN         = format.SignerCN
	SignerOU         = format.SignerOU
	SignerO          = format.SignerO
	DefaultMaxAge    = format.DefaultMaxAge
)

// The refusals of the format's reader and of Verify beyond those of xades.
var (
	ErrFormat   = format.ErrFormat
	ErrStale    = format.ErrStale
	ErrRollback = format.ErrRollback
	ErrDates    = format.ErrDates
)

// Parse reads a list, signed or not, without checking any signature (see
// format.Parse).
func Parse(data []byte) (*List, error) { return format.Parse(data) }

// Prepare reads an unsigned list for signing, checked as Parse checks it,
// in one pass (see format.Prepare).
func Prepare(data []byte) (*xades.Prepared, error) { return format.Prepare(data) }

// Verify checks a signed list (see format.Verify).
func Verify(data []byte, opts VerifyOptions) (*Verified, error) { return format.Verify(data, opts) }

// FormatTime writes t as the list does.
func FormatTime(t time.Time) string { return format.FormatTime(t) }
