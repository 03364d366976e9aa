package github

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxRetries bounds the retries of one request after rate limits.
const maxRetries = 3

// secondaryWait is how long GitHub asks to wait after a secondary rate limit
// that names no time ("wait at least one minute").
const secondaryWait = time.Minute

// rateLimiter is the transport under go-github that answers GitHub's rate
// limits: a 403 or 429 with Retry-After, or with X-RateLimit-Remaining 0 and
// X-RateLimit-Reset, is retried after the time GitHub names, measured on the
// injected clock. It owns waiting: go-github's own check, which would refuse
// calls on the real clock, never sees an exhausted limit.
type rateLimiter struct {
	next    http.RoundTripper
	now     func() time.Time
	sleep   func(context.Context, time.Duration) error
	maxWait time.Duration
	log     io.Writer

	mu      sync.Mutex
	resetAt time.Time // when the last exhausted primary limit resets
}

func (t *rateLimiter) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	for attempt := 0; ; attempt++ {
		if err := t.waitForReset(ctx); err != nil {
			return nil, err
		}
		r := req
		if attempt > 0 {
			r = req.Clone(ctx)
			if req.Body != nil && req.Body != http.NoBody {
				body, err := req.GetBody()
				if err != nil {
					return nil, err
				}
				r.Body = body
			}
		}
		resp, err := t.next.RoundTrip(r)
		if err != nil {
			return nil, err
		}
		wait, limited, err := t.limit(resp)
		if err != nil {
			return nil, err
		}
		if !limited {
			t.remember(resp)
			return resp, nil
		}
		replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
		if attempt >= maxRetries || wait > t.maxWait || !replayable {
			return resp, nil
		}
		resp.Body.Close()
		fmt.Fprintf(t.log, "drimm: GitHub API rate limit reached on %s %s; waiting %s before retrying\n", req.Method, req.URL.Path, wait)
		if err := t.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// limit tells whether a response is a rate limit and how long to wait. It
// reads the body of a 403 or 429 and puts it back for go-github.
func (t *rateLimiter) limit(resp *http.Response) (time.Duration, bool, error) {
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return 0, false, nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if err != nil {
		return 0, false, fmt.Errorf("reading GitHub's %s answer: %w", resp.Status, err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if s := resp.Header.Get("Retry-After"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 0 {
			return time.Duration(n) * time.Second, true, nil
		}
	}
	if resp.Header.Get("X-RateLimit-Remaining") == "0" {
		if reset, ok := resetTime(resp.Header); ok {
			// One second more: GitHub's reset time is truncated to the second.
			return max(reset.Sub(t.now())+time.Second, 0), true, nil
		}
	}
	if resp.StatusCode == http.StatusTooManyRequests || bytes.Contains(bytes.ToLower(body), []byte("secondary rate limit")) {
		return secondaryWait, true, nil
	}
	return 0, false, nil // a 403 that is a refusal, not a limit
}

// remember notes an exhausted primary limit on a successful answer, so that
// the next call waits for its reset here, and hides the reset from
// go-github, whose own check would refuse the next call on the real clock.
func (t *rateLimiter) remember(resp *http.Response) {
	if resp.Header.Get("X-RateLimit-Remaining") != "0" {
		return
	}
	if reset, ok := resetTime(resp.Header); ok {
		t.mu.Lock()
		t.resetAt = reset
		t.mu.Unlock()
	}
	resp.Header.Del("X-RateLimit-Reset")
}

func (t *rateLimiter) waitForReset(ctx context.Context) error {
	t.mu.Lock()
	reset := t.resetAt
	t.resetAt = time.Time{}
	t.mu.Unlock()
	if reset.IsZero() {
		return nil
	}
	wait := reset.Sub(t.now()) + time.Second
	if wait <= 0 {
		return nil
	}
	if wait > t.maxWait {
		return fmt.Errorf("GitHub API rate limit exhausted until %s, longer than the %s drimm waits; run again after that time", reset.UTC().Format(time.RFC3339), t.maxWait)
	}
	fmt.Fprintf(t.log, "drimm: GitHub API rate limit exhausted; waiting %s for its reset\n", wait)
	return t.sleep(ctx, wait)
}

func resetTime(h http.Header) (time.Time, bool) {
	s := strings.TrimSpace(h.Get("X-RateLimit-Reset"))
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}, false
	}
	return time.Unix(n, 0), true
}
