package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/drim-m/trust-space/tool/listeblanche/xades"
)

// ErrTooLarge: the server sent more than the cap.
var ErrTooLarge = errors.New("the list is larger than the download cap")

// answer is one answer of the server.
type answer struct {
	notModified        bool
	body               []byte
	etag, lastModified string
}

// checkURL accepts https:// addresses only: the list is signed, but a
// DRIMbox should not tell a network attacker what it asks for, nor accept
// a stale copy from one.
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("%q is not an https:// URL", raw)
	}
	return nil
}

// downloadOnce asks once, conditionally on the validators of the list
// held, and says whether a failure is worth retrying: network failures, 5xx
// and 429 are.
func downloadOnce(ctx context.Context, opts Options, held *Meta) (*answer, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, opts.URL, nil)
	if err != nil {
		return nil, false, err
	}
	if held != nil {
		if held.ETag != "" {
			req.Header.Set("If-None-Match", held.ETag)
		}
		if held.LastModified != "" {
			req.Header.Set("If-Modified-Since", held.LastModified)
		}
	}
	req.Header.Set("Accept", "application/xml, text/xml")
	client := *opts.Client
	client.CheckRedirect = func(r *http.Request, via []*http.Request) error {
		if r.URL.Scheme != "https" {
			return fmt.Errorf("redirected to %s, not https", r.URL.Redacted())
		}
		if len(via) >= 5 {
			return errors.New("more than 5 redirects")
		}
		return nil
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, ctx.Err() == nil && !isCertificateError(err), err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified && held != nil:
		return &answer{notModified: true, etag: resp.Header.Get("ETag"), lastModified: resp.Header.Get("Last-Modified")}, false, nil
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		return nil, true, fmt.Errorf("the server answered %s", resp.Status)
	case resp.StatusCode != http.StatusOK:
		return nil, false, fmt.Errorf("the server answered %s", resp.Status)
	}
	maxBytes := opts.maxBytes()
	if resp.ContentLength > maxBytes {
		return nil, false, fmt.Errorf("%w: %d bytes announced, the cap is %d", ErrTooLarge, resp.ContentLength, maxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return nil, ctx.Err() == nil, fmt.Errorf("reading the list: %w", err)
	}
	if int64(len(body)) > maxBytes {
		return nil, false, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, maxBytes)
	}
	return &answer{body: body, etag: resp.Header.Get("ETag"), lastModified: resp.Header.Get("Last-Modified")}, false, nil
}

// download gets the list, retrying with a doubling wait within the
// deadline of ctx.
func download(ctx context.Context, opts Options, held *Meta) (*answer, error) {
	wait := opts.Backoff
	for attempt := 1; ; attempt++ {
		dl, retry, err := downloadOnce(ctx, opts, held)
		if err == nil {
			return dl, nil
		}
		if !retry || attempt >= opts.Attempts {
			return nil, fmt.Errorf("fetching %s (attempt %d of %d): %w", opts.URL, attempt, opts.Attempts, err)
		}
		if serr := opts.Sleep(ctx, wait); serr != nil {
			return nil, fmt.Errorf("fetching %s: gave up after %d attempt(s) within the deadline: %w", opts.URL, attempt, err)
		}
		wait *= 2
	}
}

func (o *Options) maxBytes() int64 {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return int64(xades.DefaultLimits.MaxBytes)
}

// isCertificateError tells a TLS verification failure, which no retry
// mends.
func isCertificateError(err error) bool {
	var verification *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	return errors.As(err, &verification) || errors.As(err, &unknown) || errors.As(err, &host) || errors.As(err, &invalid)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
