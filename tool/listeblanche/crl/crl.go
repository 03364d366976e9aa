// Package crl fetches the certificate revocation lists that certificates
// name in their CRL distribution points, as a relying party of the Liste
// Blanche must: over HTTP, bounded in size and time, and kept in a cache
// until their nextUpdate so that a DRIMbox asks the CA once per CRL period,
// not once per verification.
//
// A Fetcher only finds CRLs; deciding what they mean (signed by the issuer,
// current, listing the certificate) is package xades's work, so a cached or
// fetched file is never trusted for more than it proves.
package crl

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/drim-m/trust-space/tool/listeblanche/xades"
)

// Defaults of a Fetcher. IGC Santé CRLs weigh up to a few MiB.
const (
	DefaultMaxBytes = 16 << 20
	DefaultTimeout  = 20 * time.Second
)

// Fetcher fetches and caches CRLs.
type Fetcher struct {
	// Client makes the requests; nil means a client with Timeout.
	Client *http.Client
	// CacheDir keeps fetched CRLs until their nextUpdate; empty keeps none.
	CacheDir string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxBytes bounds one CRL; zero means DefaultMaxBytes.
	MaxBytes int64
	// Timeout bounds one fetch; zero means DefaultTimeout.
	Timeout time.Duration
	// Context, when not nil, cancels the fetches of CRLs; CRLsContext
	// takes one per call instead.
	Context context.Context
}

// CRLs returns the CRLs that issuer signed for cert, from the cache while
// they are current, else from cert's HTTP distribution points (LDAP ones are
// skipped). A CRL fetched but no longer current is returned too, so that the
// caller can say so (and refuse a certificate it lists); it is not cached.
// The error says why no CRL could be had from each point.
func (f *Fetcher) CRLs(cert, issuer *x509.Certificate) ([]*x509.RevocationList, error) {
	ctx := f.Context
	if ctx == nil {
		ctx = context.Background()
	}
	return f.CRLsContext(ctx, cert, issuer)
}

// CRLsContext is CRLs within ctx: a caller with a deadline for its whole
// run (drimm whitelist fetch) passes it here, so that a slow CRL server
// cannot hold the run past it.
func (f *Fetcher) CRLsContext(ctx context.Context, cert, issuer *x509.Certificate) ([]*x509.RevocationList, error) {
	var errs []error
	var stale []*x509.RevocationList
	for _, u := range cert.CRLDistributionPoints {
		parsed, err := url.Parse(u)
		if err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") {
			continue
		}
		if crl := f.cached(u, cert, issuer); crl != nil {
			return []*x509.RevocationList{crl}, nil
		}
		crl, err := f.fetch(ctx, u, issuer)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		// A CRL out of date, or of another scope (a delta CRL, one for CA
		// certificates only...), proves nothing: returned, so that the
		// caller says why (and refuses a certificate it lists), but not
		// cached, so that the full CRL is asked for next time.
		if !current(crl, f.now()) || xades.CRLCovers(crl, cert) != nil {
			stale = append(stale, crl)
			continue
		}
		if f.CacheDir != "" {
			// A cache that cannot be written costs a fetch next time,
			// nothing more.
			_ = writeAtomic(f.cachePath(u), crl.Raw)
		}
		return []*x509.RevocationList{crl}, nil
	}
	if len(stale) > 0 {
		return stale, nil
	}
	if len(errs) == 0 {
		return nil, fmt.Errorf("%q names no HTTP CRL distribution point", cert.Subject.String())
	}
	return nil, errors.Join(errs...)
}

func (f *Fetcher) now() time.Time {
	if f.Now == nil {
		return time.Now()
	}
	return f.Now()
}

func (f *Fetcher) cachePath(u string) string {
	sum := sha256.Sum256([]byte(u))
	return filepath.Join(f.CacheDir, hex.EncodeToString(sum[:16])+".crl")
}

// cached returns the cached CRL of u when issuer signed it, it is current
// and it covers cert.
func (f *Fetcher) cached(u string, cert, issuer *x509.Certificate) *x509.RevocationList {
	if f.CacheDir == "" {
		return nil
	}
	data, err := os.ReadFile(f.cachePath(u))
	if err != nil {
		return nil
	}
	crl, err := x509.ParseRevocationList(data)
	if err != nil || crl.CheckSignatureFrom(issuer) != nil || !current(crl, f.now()) || xades.CRLCovers(crl, cert) != nil {
		return nil
	}
	return crl
}

// fetch downloads the CRL at u and checks that issuer signed it.
func (f *Fetcher) fetch(ctx context.Context, u string, issuer *x509.Certificate) (*x509.RevocationList, error) {
	timeout, maxBytes := f.Timeout, f.MaxBytes
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", u, err)
	}
	client := f.Client
	if client == nil {
		client = &http.Client{Timeout: timeout}
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetching %s: %s", u, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", u, err)
	}
	if int64(len(data)) > maxBytes {
		return nil, fmt.Errorf("fetching %s: the CRL is larger than %d bytes", u, maxBytes)
	}
	if block, _ := pem.Decode(data); block != nil && strings.Contains(block.Type, "CRL") {
		data = block.Bytes
	}
	crl, err := x509.ParseRevocationList(data)
	if err != nil {
		return nil, fmt.Errorf("%s is not a CRL: %w", u, err)
	}
	if err := crl.CheckSignatureFrom(issuer); err != nil {
		return nil, fmt.Errorf("the CRL at %s is not signed by %q: %w", u, issuer.Subject.String(), err)
	}
	return crl, nil
}

// current tells whether crl speaks for the time now.
func current(crl *x509.RevocationList, now time.Time) bool {
	return !now.Before(crl.ThisUpdate) && (crl.NextUpdate.IsZero() || !now.After(crl.NextUpdate))
}

// writeAtomic replaces path with data through a temporary file and a
// rename, so that a reader of the cache never sees half a CRL.
func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}
