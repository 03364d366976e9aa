package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/whitelist"
	"github.com/drim-m/trust-space/tool/internal/whitelist/fetch"
)

type whitelistFetchOptions struct {
	env      *Env
	url      string
	out      string
	state    string
	tlsCAs   []string
	maxBytes int64
	timeout  time.Duration
	attempts int
	warnAge  time.Duration
	format   string
	policy   policyFlags
	// acceptLostState: see fetch.Options.AcceptLostState.
	acceptLostState bool
}

const whitelistFetchLong = `Download the Liste Blanche over HTTPS (the server's certificate checked;
conditionally on the ETag and Last-Modified of the list held; within
--max-bytes; network failures, 5xx and 429 retried with a doubling wait),
verify it as drimm whitelist verify does, strictly, then keep it in --out:

  LISTEBLANCHE_DRIM-M.xml           the list to trust
  entries.json                      its entries as the signature covers
                                    them: what a DRIMbox reads its peers
                                    from (schemas/liste-blanche-entries)
  LISTEBLANCHE_DRIM-M.previous.xml  the one before it
  fetch.json                        what was fetched, for the next run
  state.json                        the anti-rollback state (--state)
  fetch.lock                        held by the run in progress

Without its state file (lost or deleted), a run verifies again the lists kept
in --out and takes the latest that passes as the last one accepted, and saves
its state: the list held still forbids going back, and a list of the same
date must have the same content. If the folder holds what a run left but no
list kept verifies, it refuses (exit 3) unless --accept-lost-state is given.

One run at a time per folder: a run waits up to 10s for another to finish,
then exits 3. --timeout bounds the whole run: that wait, the download, its
retries and the CRLs fetched to check revocation.

Each file is replaced atomically, and only after the list verified: on any
failure the last good list stays in place. A list not modified is not
verified again; its age and its signer's expiry are checked.

One line and the exit status say what the DRIMbox may do:
  0  trusted: it holds a list within max_age (a failure while the list held
     is young is a warning)
  1  needs attention: the list held is within max_age, but the server's
     list was refused, or the list held is older than --warn-age
  4  stop trusting: it holds no list within max_age, or its signer expired
  2 and 3 are usage and environment errors, as for every command.`

func newWhitelistFetchCmd(env *Env) *cobra.Command {
	opts := &whitelistFetchOptions{env: env}
	cmd := &cobra.Command{
		Use:   "fetch --url URL --out DIR",
		Short: "Fetch, verify and keep the Liste Blanche, as a DRIMbox does every 5 minutes",
		Long:  whitelistFetchLong,
		Example: `  drimm whitelist fetch --url https://listeblanche.mesimagesmedicales.fr/whitelist/LISTEBLANCHE_DRIM-M.xml \
    --out /var/lib/drimbox/liste-blanche --trust-anchor /etc/drimbox/igc-sante-root.pem \
    --ca /etc/drimbox/igc-sante-org-ca.pem`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runWhitelistFetch(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.url, "url", "", "https:// address of the list")
	cmd.Flags().StringVar(&opts.out, "out", "", "folder keeping the list, the previous one and the fetch state")
	cmd.Flags().StringVar(&opts.state, "state", "", "anti-rollback state file (default: OUT/state.json)")
	cmd.Flags().StringArrayVar(&opts.tlsCAs, "tls-ca", nil, "PEM file of CA certificates to trust for the HTTPS server, besides the system's (repeatable)")
	cmd.Flags().Int64Var(&opts.maxBytes, "max-bytes", 0, "largest list accepted, in bytes (default: the verifier's limit, 24 MiB)")
	cmd.Flags().DurationVar(&opts.timeout, "timeout", fetch.DefaultTimeout, "deadline of the whole run, retries included")
	cmd.Flags().IntVar(&opts.attempts, "attempts", fetch.DefaultAttempts, "attempts on network failures, 5xx and 429")
	cmd.Flags().DurationVar(&opts.warnAge, "warn-age", 0, "age of the list held beyond which a run without a new list exits 1 (default: half of max_age)")
	cmd.Flags().StringVar(&opts.format, "format", "text", "output: text or json")
	cmd.Flags().BoolVar(&opts.acceptLostState, "accept-lost-state", false, "when the state file is missing and no list kept in --out verifies, accept the first list within max_age (once, after checking why the state was lost)")
	opts.policy.register(cmd)
	return cmd
}

// check refuses flag values that mean nothing. runWhitelistFetch calls it
// first, so that no caller reaches the work without it.
func (opts *whitelistFetchOptions) check() error {
	if opts.url == "" || opts.out == "" {
		return usageError("give the list's address with --url and the folder to keep it in with --out", "--url and --out are required")
	}
	if u, err := url.Parse(opts.url); err != nil || u.Scheme != "https" || u.Host == "" {
		return usageError("a DRIMbox fetches the list over HTTPS only: give an https:// --url", "%q is not an https:// URL", opts.url)
	}
	if opts.format != "text" && opts.format != "json" {
		return usageError("use --format text or json", "unknown format %q", opts.format)
	}
	if opts.maxBytes < 0 || opts.timeout < 0 || opts.attempts < 1 || opts.warnAge < 0 {
		return usageError("give positive limits", "--max-bytes, --timeout, --warn-age and --attempts must be positive")
	}
	if err := opts.policy.check(); err != nil {
		return err
	}
	if opts.policy.maxAge == 0 {
		return usageError("a DRIMbox always checks the list's age: give a positive --max-age, or leave the trust space's", "--max-age 0 is for verifying archives, not for fetch")
	}
	return nil
}

func runWhitelistFetch(ctx context.Context, opts *whitelistFetchOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	now := opts.env.Now()
	out := opts.env.Path(opts.out)
	state := opts.state
	if state == "" {
		state = filepath.Join(out, "state.json")
	}
	vopts, err := opts.policy.options(opts.env, now, "")
	if err != nil {
		return err
	}
	client, err := fetchClient(opts)
	if err != nil {
		return err
	}
	maxAge := opts.policy.maxAge
	res, err := fetch.Run(ctx, fetch.Options{
		URL: opts.url, Dir: out, StateFile: state, Client: client,
		MaxBytes: opts.maxBytes, Timeout: opts.timeout, Attempts: opts.attempts,
		Verify: vopts, MaxAge: maxAge, WarnAge: opts.warnAge, AcceptLostState: opts.acceptLostState,
		FetchCRLs: opts.policy.trust.crlFetcher(opts.env, now).CRLsContext,
	})
	if errors.Is(err, fetch.ErrStateLost) {
		return envError("find out why "+state+" was lost; to accept the first list within max_age as if this DRIMbox were new, run once with --accept-lost-state", err)
	}
	if errors.Is(err, fetch.ErrBusy) {
		return envError("wait for the other run to finish (systemctl status drimm-whitelist-fetch.service), or give each run its own --out", err)
	}
	if err != nil {
		return envError("check that --out and --state are writable folders and files", err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(opts.env.Stderr, "drimm: warning: %s\n", w)
	}
	line := fetchLine(res, now, maxAge)
	code := map[fetch.Verdict]int{fetch.Trusted: ExitOK, fetch.Attention: ExitFindings, fetch.StopTrusting: ExitStopTrusting}[res.Verdict]
	if opts.format == "json" {
		if err := writeWhitelistJSON(opts.env.Stdout, fetchJSON(res, out, now, maxAge, code, line)); err != nil {
			return err
		}
	}
	switch {
	case code != ExitOK:
		return &exitError{code: code, err: fmt.Errorf("%s", line), hint: fetchHint(res)}
	case res.Err != nil:
		fmt.Fprintf(opts.env.Stderr, "drimm: warning: %s\n", line)
	default:
		fmt.Fprintf(opts.env.Stderr, "drimm: %s\n", line)
	}
	return nil
}

// fetchClient checks the server against the system's roots and --tls-ca,
// at the command's clock.
func fetchClient(opts *whitelistFetchOptions) (*http.Client, error) {
	roots, err := x509.SystemCertPool()
	if err != nil {
		roots = x509.NewCertPool()
	}
	for _, f := range opts.tlsCAs {
		certs, err := readPEMCerts(f)
		if err != nil {
			return nil, envError("--tls-ca must be a PEM file of certificates", err)
		}
		for _, c := range certs {
			roots.AddCert(c)
		}
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12, Time: opts.env.Now}
	return &http.Client{Transport: transport}, nil
}

// fetchLine says in one line what the run did and what the DRIMbox may do.
func fetchLine(res *fetch.Result, now time.Time, maxAge time.Duration) string {
	held := "it holds no list"
	if h := res.Held; h != nil {
		held = fmt.Sprintf("the list held was generated %s (%d DRIMbox(es), age %s, max_age %s)",
			whitelist.FormatTime(h.Generated), h.Entries, now.Sub(h.Generated).Round(time.Minute), maxAge)
	}
	verdict := map[fetch.Verdict]string{fetch.Trusted: "trusted", fetch.Attention: "needs attention", fetch.StopTrusting: "stop trusting"}[res.Verdict]
	switch {
	case res.Status == fetch.Updated:
		return fmt.Sprintf("new list accepted; %s: %s", verdict, held)
	case res.Status == fetch.NotModified:
		return fmt.Sprintf("not modified; %s: %s", verdict, held)
	}
	return fmt.Sprintf("%v; %s: %s", res.Err, verdict, held)
}

func fetchHint(res *fetch.Result) string {
	if res.Verdict == fetch.StopTrusting {
		return "stop trusting peers from this list until a fetch succeeds; check the URL, the network and the clock"
	}
	if res.Err != nil {
		return "keep using the list held; " + whitelistRefusalHint(res.Err)
	}
	return "the list held is getting old: check that the ANS still publishes and that this DRIMbox can reach it"
}

type fetchJSONOut struct {
	Status  string         `json:"status"`
	Verdict string         `json:"verdict"`
	Exit    int            `json:"exit"`
	Message string         `json:"message"`
	Error   string         `json:"error,omitempty"`
	MaxAge  string         `json:"max_age"`
	List    *fetchJSONList `json:"list,omitempty"`
	Warn    []string       `json:"warnings,omitempty"`
}

type fetchJSONList struct {
	File           string  `json:"file"`
	Generated      string  `json:"date_de_generation"`
	AgeSeconds     float64 `json:"age_seconds"`
	Entries        int     `json:"entries"`
	SigningTime    string  `json:"signing_time"`
	SignerNotAfter string  `json:"signer_not_after"`
}

func fetchJSON(res *fetch.Result, dir string, now time.Time, maxAge time.Duration, code int, line string) fetchJSONOut {
	out := fetchJSONOut{Status: string(res.Status), Verdict: res.Verdict.String(), Exit: code, Message: line, MaxAge: maxAge.String(), Warn: res.Warnings}
	if res.Err != nil {
		out.Error = res.Err.Error()
	}
	if h := res.Held; h != nil {
		out.List = &fetchJSONList{
			File: filepath.Join(dir, fetch.CurrentFile), Generated: whitelist.FormatTime(h.Generated),
			AgeSeconds: now.Sub(h.Generated).Seconds(), Entries: h.Entries,
			SigningTime: whitelist.FormatTime(h.SigningTime), SignerNotAfter: whitelist.FormatTime(h.SignerNotAfter),
		}
	}
	return out
}
