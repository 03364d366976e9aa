// Package fetch is what a DRIMbox runs every 5 minutes: download the Liste
// Blanche over HTTPS, verify it before anything else, keep it with the
// previous good one, and never go back to an older list.
//
// A run ends in one of three verdicts, from the list the DRIMbox holds
// afterwards: Trusted (a list within max_age), Attention (still within
// max_age, but this run was refused a list or the list held is getting old)
// and StopTrusting (no list within max_age, or its signer expired). On any
// failure the folder keeps the last good list; the anti-rollback state is
// written only for a list that verified.
package fetch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/drim-m/trust-space/tool/internal/atomicfile"
	"github.com/drim-m/trust-space/tool/internal/whitelist"
	"github.com/drim-m/trust-space/tool/listeblanche/xades"
)

// Files in the output folder.
const (
	CurrentFile  = whitelist.CurrentFile
	PreviousFile = "LISTEBLANCHE_DRIM-M.previous.xml"
	// MetaFile holds what the last accepted list was fetched with (the
	// HTTP validators) and what the DRIMbox holds, so that a run that
	// downloads nothing decides without verifying again.
	MetaFile = "fetch.json"
)

// Defaults of Options.
const (
	DefaultTimeout  = 2 * time.Minute
	DefaultAttempts = 4
	DefaultBackoff  = 2 * time.Second
	// DefaultLockWait is how long a run waits for another one on the same
	// folder: long enough for a run that is finishing, short enough that
	// a stuck one is reported rather than queued behind.
	DefaultLockWait = 10 * time.Second
)

// Verdict is what the DRIMbox may do with the list it holds after a run.
type Verdict int

const (
	// Trusted: the list held is within max_age.
	Trusted Verdict = iota
	// Attention: the list held is within max_age, but this run was refused
	// a list (or one past the size cap), or the list held is older than
	// WarnAge: someone must look.
	Attention
	// StopTrusting: no list within max_age is held, or its signer is no
	// longer valid: the DRIMbox must stop trusting peers from it.
	StopTrusting
)

func (v Verdict) String() string {
	return [...]string{"trusted", "attention", "stop-trusting"}[v]
}

// Status says what this run did.
type Status string

const (
	Updated     Status = "updated"      // a new list was verified and written
	NotModified Status = "not-modified" // the server has nothing newer (304, or the same list)
	Kept        Status = "kept"         // this run failed; the last good list stays
)

// Options say where to fetch from, how patiently, and how to verify.
type Options struct {
	// URL is the list's https:// address.
	URL string
	// Dir receives the list, the previous one and MetaFile.
	Dir string
	// StateFile is the anti-rollback state (the form drimm whitelist
	// verify --state reads); default Dir/state.json.
	StateFile string
	// Client makes the requests; it should check server certificates
	// (the default http.Client does). Redirects to anything but https are
	// refused.
	Client *http.Client
	// MaxBytes caps the download; zero means the verifier's limit.
	MaxBytes int64
	// Timeout bounds the whole run, retries included; zero means
	// DefaultTimeout.
	Timeout time.Duration
	// Attempts and Backoff: a network failure or a 5xx or 429 answer is
	// retried, waiting Backoff, then twice as long, and so on.
	Attempts int
	Backoff  time.Duration
	// Verify is the relying party's policy; Verify.Last is read from
	// StateFile, and Verify.Signature.Now is the time of the run.
	Verify whitelist.VerifyOptions
	// MaxAge is the age beyond which the list held must not be trusted,
	// WarnAge the age beyond which a run that gets no new list asks for
	// attention; zero means whitelist.DefaultMaxAge and half of MaxAge.
	MaxAge, WarnAge time.Duration
	// Sleep waits between attempts; nil means a timer.
	Sleep func(context.Context, time.Duration) error
	// LockWait is how long to wait while another run holds Dir (ErrBusy
	// after it); zero means DefaultLockWait. The wait counts in Timeout.
	LockWait time.Duration
	// AcceptLostState lets a run whose state file is missing, in a folder
	// where no list kept verifies again, accept the first list within
	// max_age (ErrStateLost without it). The operator's explicit choice,
	// for one run, after checking why the state was lost.
	AcceptLostState bool
	// FetchCRLs, when not nil, fetches the CRLs the verifier asks for,
	// within the run's deadline; it replaces Verify.Signature.FetchCRLs.
	FetchCRLs func(ctx context.Context, cert, issuer *x509.Certificate) ([]*x509.RevocationList, error)
}

// Result is the outcome of a run.
type Result struct {
	Status  Status
	Verdict Verdict
	// Err says why this run got no new list (Status Kept).
	Err error
	// Held is the list the DRIMbox holds after the run, nil when none.
	Held *Meta
	// Warnings are what the verifier accepted unchecked, by the policy.
	Warnings []string
}

// Meta is what MetaFile records of the list held.
type Meta struct {
	URL            string    `json:"url"`
	ETag           string    `json:"etag,omitempty"`
	LastModified   string    `json:"last_modified,omitempty"`
	FileSHA256     string    `json:"file_sha256"`
	Generated      time.Time `json:"date_de_generation"`
	SigningTime    time.Time `json:"signing_time"`
	SignerNotAfter time.Time `json:"signer_not_after"`
	Entries        int       `json:"entries"`
	Fetched        time.Time `json:"fetched"`
}

// Run fetches, verifies and keeps the list. Its error is for failures of
// the DRIMbox's own environment (options, files it cannot write, another
// run holding Dir: ErrBusy); every failure of the network or the list is in
// the Result. One deadline, Timeout, bounds the whole run: the wait for
// the lock, the download, its retries and the CRLs.
func Run(ctx context.Context, opts Options) (*Result, error) {
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	unlock, stillHeld, err := lockDir(ctx, opts.Dir, opts.LockWait)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if fetchCRLs := opts.FetchCRLs; fetchCRLs != nil {
		opts.Verify.Signature.FetchCRLs = func(cert, issuer *x509.Certificate) ([]*x509.RevocationList, error) {
			return fetchCRLs(ctx, cert, issuer)
		}
	}
	// Read under the lock: a run that waited must see what the one before
	// it accepted.
	now := opts.Verify.Signature.Now
	last, err := readState(opts.StateFile)
	if err != nil {
		return nil, err
	}
	if last == nil {
		// A state file lost or deleted does not open the way back.
		if last, err = recoverState(opts); err != nil {
			return nil, err
		}
	}
	held, heldData := readHeld(opts.Dir)
	opts.Verify.Last = last

	var validators *Meta
	if held != nil && held.URL == opts.URL {
		validators = held
	}
	// A folder kept by a drimm that wrote no entries: the list is
	// downloaded and verified again, so that its entries are written.
	_, err = os.Stat(filepath.Join(opts.Dir, EntriesFile))
	noEntries := err != nil
	if noEntries {
		validators = nil
	}
	dl, err := download(ctx, opts, validators)
	if err != nil {
		return opts.kept(held, err, now), nil
	}
	if !noEntries && (dl.notModified || (heldData != nil && string(dl.body) == string(heldData))) {
		if held != nil && dl.etag != "" {
			held.ETag, held.LastModified = dl.etag, dl.lastModified
			if err := writeMeta(opts.Dir, held); err != nil {
				return nil, err
			}
		}
		return &Result{Status: NotModified, Verdict: opts.verdict(held, now, false), Held: held}, nil
	}
	v, err := whitelist.Verify(dl.body, opts.Verify)
	if err != nil {
		return opts.kept(held, &RefusedError{Err: err}, now), nil
	}
	meta := &Meta{
		URL: opts.URL, ETag: dl.etag, LastModified: dl.lastModified, FileSHA256: sha(dl.body),
		Generated: v.List.Generated, SigningTime: v.Signed.SigningTime, SignerNotAfter: v.Signed.Signer.NotAfter,
		Entries: len(v.List.Domains), Fetched: now,
	}
	entries, err := entriesOf(v)
	if err != nil {
		return nil, err
	}
	if err := stillHeld(); err != nil {
		return nil, err
	}
	if err := keep(opts, heldData, dl.body, entries, v.State, meta); err != nil {
		return nil, err
	}
	return &Result{Status: Updated, Verdict: opts.verdict(meta, now, false), Held: meta, Warnings: v.Signed.Warnings}, nil
}

// RefusedError is a list the server sent and the verifier refused.
type RefusedError struct{ Err error }

func (e *RefusedError) Error() string { return "the list served was refused: " + e.Err.Error() }
func (e *RefusedError) Unwrap() error { return e.Err }

func (o *Options) defaults() error {
	if o.Dir == "" {
		return errors.New("fetch needs an output folder")
	}
	if o.Verify.Signature.Now.IsZero() {
		return errors.New("fetch needs the current time")
	}
	if o.StateFile == "" {
		o.StateFile = filepath.Join(o.Dir, "state.json")
	}
	if o.Client == nil {
		o.Client = &http.Client{}
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Attempts <= 0 {
		o.Attempts = DefaultAttempts
	}
	if o.Backoff <= 0 {
		o.Backoff = DefaultBackoff
	}
	if o.MaxAge <= 0 {
		o.MaxAge = whitelist.DefaultMaxAge
	}
	if o.WarnAge <= 0 {
		o.WarnAge = o.MaxAge / 2
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	if o.LockWait <= 0 {
		o.LockWait = DefaultLockWait
	}
	return checkURL(o.URL)
}

// kept is the result of a run that got no new list.
func (o *Options) kept(held *Meta, err error, now time.Time) *Result {
	// A list refused may be an attack; one past the cap will never pass:
	// both need someone, even while the list held is young.
	var refused *RefusedError
	attention := errors.As(err, &refused) || errors.Is(err, ErrTooLarge)
	return &Result{Status: Kept, Err: err, Held: held, Verdict: o.verdict(held, now, attention)}
}

// verdict judges the list held at now.
func (o *Options) verdict(held *Meta, now time.Time, refused bool) Verdict {
	switch {
	case held == nil || now.Sub(held.Generated) > o.MaxAge || now.After(held.SignerNotAfter):
		return StopTrusting
	case refused || now.Sub(held.Generated) > o.WarnAge:
		return Attention
	}
	return Trusted
}

// readHeld reads MetaFile and the current list, and returns them when they
// agree; a folder edited by hand holds nothing this package vouches for.
func readHeld(dir string) (*Meta, []byte) {
	raw, err := readKept(filepath.Join(dir, MetaFile), maxKeptSmall)
	if err != nil {
		return nil, nil
	}
	var m Meta
	if json.Unmarshal(raw, &m) != nil {
		return nil, nil
	}
	data, err := readKept(filepath.Join(dir, CurrentFile), maxKeptList)
	if err != nil || sha(data) != m.FileSHA256 {
		return nil, nil
	}
	return &m, data
}

// keep writes an accepted list: the state first (so that no older list is
// accepted after a crash), then the previous list, the new one's entries
// and the new one, and what was fetched. Each file is replaced atomically.
func keep(opts Options, previous, data, entries []byte, st whitelist.State, meta *Meta) error {
	if err := whitelist.WriteState(opts.StateFile, st); err != nil {
		return fmt.Errorf("the list verified but the state was not saved: %w", err)
	}
	if previous != nil && !bytes.Equal(previous, data) {
		if err := atomicfile.Write(filepath.Join(opts.Dir, PreviousFile), previous, 0o644); err != nil {
			return err
		}
	}
	if err := atomicfile.Write(filepath.Join(opts.Dir, EntriesFile), entries, 0o644); err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(opts.Dir, CurrentFile), data, 0o644); err != nil {
		return err
	}
	return writeMeta(opts.Dir, meta)
}

func writeMeta(dir string, m *Meta) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, MetaFile), append(data, '\n'), 0o644)
}

// maxKeptSmall bounds the small files a run reads back from the folder:
// the state and MetaFile are a few hundred bytes.
const maxKeptSmall = 64 << 10

// maxKeptList bounds a list read back from the folder: the verifier
// refuses a larger one.
var maxKeptList = int64(xades.DefaultLimits.MaxBytes)

// readState reads the anti-rollback state as whitelist.ReadState does,
// through readKept; a missing file is no state.
func readState(path string) (*whitelist.State, error) {
	data, err := readKept(path, maxKeptSmall)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading state %s: %w", path, err)
	}
	return whitelist.ParseState(path, data)
}

func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
