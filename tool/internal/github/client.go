// Package github is drimm's side of GitHub: it reads the event that started
// a workflow run, and through go-github keeps one sticky plan comment per
// pull request, reads a pull request's files and reviews, and keeps one
// issue open per deadline finding. Every call is paginated to the end and
// waits out GitHub's rate limits on an injectable clock, so that a busy
// trust space never loses a comment or an issue to a 403.
package github

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"
)

// DefaultAPI is GitHub's REST endpoint, used when GITHUB_API_URL is unset.
const DefaultAPI = "https://api.github.com/"

// maxPages bounds every listing, so that a server whose Link headers loop
// cannot keep drimm busy for ever: 100 pages of 100 items.
const maxPages = 100

// Options configure a Client.
type Options struct {
	// HTTP is the client whose transport and timeout are used; nil means
	// http.DefaultClient.
	HTTP *http.Client
	// Token authenticates every call (GITHUB_TOKEN).
	Token string
	// API is the REST endpoint (GITHUB_API_URL); empty means DefaultAPI.
	API string
	// Repository is "owner/name" (GITHUB_REPOSITORY).
	Repository string
	// Now is the clock rate-limit waits are measured on.
	Now func() time.Time
	// Sleep waits for d or until ctx ends; tests pass one that only
	// records what it was asked.
	Sleep func(ctx context.Context, d time.Duration) error
	// MaxWait is the longest rate-limit wait accepted; a longer one fails
	// the call. Zero means 15 minutes.
	MaxWait time.Duration
	// Log receives one line per wait; nil discards them.
	Log io.Writer
}

// Client talks to one repository on GitHub.
type Client struct {
	gh          *gh.Client
	owner, repo string
}

// New returns a client for the repository in opts.
func New(opts Options) (*Client, error) {
	owner, repo, ok := strings.Cut(opts.Repository, "/")
	if !ok || owner == "" || repo == "" || strings.Contains(repo, "/") {
		return nil, fmt.Errorf("repository %q is not owner/name", opts.Repository)
	}
	if opts.Token == "" {
		return nil, fmt.Errorf("no GitHub token")
	}
	api := opts.API
	if api == "" {
		api = DefaultAPI
	}
	if !strings.HasSuffix(api, "/") {
		api += "/"
	}
	base, err := url.Parse(api)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, fmt.Errorf("GitHub API URL %q is not an http(s) URL", opts.API)
	}
	hc := opts.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	rl := &rateLimiter{next: next, now: opts.Now, sleep: opts.Sleep, maxWait: opts.MaxWait, log: opts.Log}
	if rl.now == nil {
		rl.now = time.Now
	}
	if rl.sleep == nil {
		rl.sleep = sleepContext
	}
	if rl.maxWait == 0 {
		rl.maxWait = 15 * time.Minute
	}
	if rl.log == nil {
		rl.log = io.Discard
	}
	client := gh.NewClient(&http.Client{Transport: rl, Timeout: hc.Timeout}).WithAuthToken(opts.Token)
	client.BaseURL = base
	client.UserAgent = "drimm"
	return &Client{gh: client, owner: owner, repo: repo}, nil
}

// Repository returns "owner/name".
func (c *Client) Repository() string { return c.owner + "/" + c.repo }

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// paginate calls list for page 1, 2, … until GitHub's Link header has no
// next page.
func paginate(ctx context.Context, list func(opts *gh.ListOptions) (*gh.Response, error)) error {
	opts := &gh.ListOptions{PerPage: 100, Page: 1}
	for range maxPages {
		resp, err := list(opts)
		if err != nil {
			return err
		}
		if resp.NextPage == 0 {
			return nil
		}
		if resp.NextPage <= opts.Page {
			return fmt.Errorf("GitHub's next page %d does not follow page %d", resp.NextPage, opts.Page)
		}
		opts.Page = resp.NextPage
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return fmt.Errorf("more than %d pages of results", maxPages)
}

// IsForbidden tells whether GitHub refused a call for lack of permission,
// as it does to the read-only token of a pull request from a fork.
func IsForbidden(err error) bool {
	var er *gh.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.StatusCode == http.StatusForbidden || er.Response.StatusCode == http.StatusNotFound
	}
	return false
}
