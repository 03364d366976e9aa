package cli

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/status"
)

type probeOptions struct {
	env          *Env
	registry     string
	out          string
	concurrency  int
	timeout      time.Duration
	resolve      []string
	trustAnchors []string
	canary       string
	commit       bool
	format       string
	vantage      string
	dns          string
	saveRun      string
}

func newProbeCmd(env *Env) *cobra.Command {
	opts := &probeOptions{env: env}
	cmd := &cobra.Command{
		Use:   "probe",
		Short: "Probe every operational DRIMbox and record the results in status/",
		Long: `Probe every operational DRIMbox of the registry over HTTPS, on its db and
vi national names: DNS, connect, TLS and first-byte times; the chain to the
IGC Santé roots given with --trust-anchor and the days to expiry; whether
the served certificate's subject is the registered DN; the HTTP status; the
state of each PACS from the DRIMbox's status endpoint
(schemas/probe-status.schema.json).

Verdicts: up, degraded (slow, certificate expiring, DN mismatch, a PACS
down, viewer down), down (after retries, and only when the canary shows the
prober's own network works), unknown.

Endpoints are treated as hostile: redirects are not followed, bodies are
cut at 64 KiB, every attempt and the run have deadlines, names are resolved
once and non-public addresses are refused unless pinned with --resolve.

The results go to --out (status/): latest.json, events, one sample per run,
daily rollups. With --commit they are committed with go-git and pushed;
a push refused because another run got there first is retried on the new
tip, so no result is lost. The token for HTTPS remotes is read from
DRIMM_GIT_TOKEN or GITHUB_TOKEN.

With --vantage NAME, several probers (vantage points) record their own
samples and state (status/vantages/NAME/), and the state shown is decided
by quorum over the vantage points that ran in the last two intervals: down
only when a majority of them see the DRIMbox down, degraded when they
disagree, unknown when none could tell. With --save-run FILE the run is
written to FILE instead, for drimm status record to record the runs of
several vantage points in one commit.`,
		Example: `  drimm probe --trust-anchor igc-sante-root.pem --canary www.esante.gouv.fr:443
  drimm probe --trust-anchor root.pem --resolve db1.test.mesimagesmedicales.fr:443:127.0.0.1:8443 --out /tmp/status
  drimm probe --trust-anchor igc-sante-root.pem --canary www.esante.gouv.fr:443 --commit
  drimm probe --trust-anchor igc-sante-root.pem --canary www.esante.gouv.fr:443 --commit --vantage gha-eu-1
  drimm probe --trust-anchor igc-sante-root.pem --canary www.esante.gouv.fr:443 --vantage gha-eu-1 --save-run run-gha-eu-1.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runProbe(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.registry, "registry", "registry", "registry folder")
	f.StringVar(&opts.out, "out", "status", "data folder the results are recorded in")
	f.IntVar(&opts.concurrency, "concurrency", 0, "probes in flight at once (default: the registry's probe.concurrency)")
	f.DurationVar(&opts.timeout, "timeout", 0, "deadline of one attempt on one access point (default: the registry's probe.timeout)")
	f.StringArrayVar(&opts.resolve, "resolve", nil, "pin HOST:PORT to ADDR (ADDR may carry its own port); pinned addresses may be private")
	f.StringArrayVar(&opts.trustAnchors, "trust-anchor", nil, "PEM file of trusted root certificates (repeatable)")
	f.StringVar(&opts.canary, "canary", "", "HOST:PORT that proves the prober's own network works")
	f.BoolVar(&opts.commit, "commit", false, "commit the results with go-git and push them")
	f.StringVar(&opts.format, "format", "text", "output format: text or json")
	f.StringVar(&opts.vantage, "vantage", "", "name of this vantage point: record its own view, decide the state by quorum")
	f.StringVar(&opts.saveRun, "save-run", "", "write the run to this file for drimm status record, instead of recording it")
	f.StringVar(&opts.dns, "dns", "", "HOST:PORT of the DNS server that answers the CNAME checks (default: the system's; names pinned with --resolve are checked only with --dns)")
	return cmd
}

// check refuses flag values that mean nothing. runProbe calls it
// first, so that no caller reaches the work without it.
func (opts *probeOptions) check() error {
	if len(opts.trustAnchors) == 0 {
		return usageError("pass the IGC Santé root certificates with --trust-anchor FILE (PEM)", "no trust anchor")
	}
	if opts.format != "text" && opts.format != "json" {
		return usageError("use --format text or json", "unknown format %q", opts.format)
	}
	if opts.vantage != "" && !status.ValidVantage(opts.vantage) {
		return usageError("name the vantage point with lower-case letters, digits and dashes (at most 32), e.g. --vantage gha-eu-1", "--vantage %q", opts.vantage)
	}
	if opts.saveRun != "" && opts.commit {
		return usageError("use --save-run in each vantage point's job and commit with drimm status record --commit", "--save-run and --commit together")
	}
	if opts.concurrency < 0 || opts.timeout < 0 {
		return usageError("give a positive --concurrency and --timeout", "negative --concurrency or --timeout")
	}
	return nil
}

func runProbe(ctx context.Context, opts *probeOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	env := opts.env
	reg, findings, err := registry.Load(opts.env.Path(opts.registry))
	if err != nil {
		return envError("run drimm probe from the repository root, or pass --registry", err)
	}
	if len(findings) > 0 {
		fmt.Fprintf(env.Stderr, "drimm: warning: the registry has %d finding(s); run drimm validate\n", len(findings))
	}
	roots, err := loadAnchors(opts.trustAnchors, opts.env.Path)
	if err != nil {
		return envError("give PEM files holding CERTIFICATE blocks", err)
	}
	pins, err := probe.ParseResolve(opts.resolve)
	if err != nil {
		return usageError("write --resolve as HOST:PORT:ADDR, e.g. db1.test.mesimagesmedicales.fr:443:127.0.0.1", "%v", err)
	}
	ps := reg.TrustSpace.Probe
	po := probe.Options{Roots: roots, Resolve: pins, Canary: opts.canary, Concurrency: ps.Concurrency,
		Timeout: ps.Timeout.Duration, SlowAfter: ps.SlowThreshold.Duration, Now: env.Now}
	if opts.dns != "" {
		if _, _, err := net.SplitHostPort(opts.dns); err != nil {
			return usageError("write --dns as HOST:PORT, e.g. 127.0.0.1:53", "--dns %q: %v", opts.dns, err)
		}
		server := opts.dns
		po.CNAMEs = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, server)
		}}
	}
	if ps.ExpiryWarningDays > 0 {
		po.ExpiryWarning = time.Duration(ps.ExpiryWarningDays) * 24 * time.Hour
	}
	if opts.concurrency > 0 {
		po.Concurrency = opts.concurrency
	}
	if opts.timeout > 0 {
		po.Timeout = opts.timeout
	}
	if env.StderrTTY {
		po.Progress = func(done, total int) {
			if done == total || done%100 == 0 {
				fmt.Fprintf(env.Stderr, "\rprobed %d/%d", done, total)
			}
			if done == total {
				fmt.Fprintln(env.Stderr)
			}
		}
	}
	targets := targetsOf(reg)
	// The DRIMboxes not up at the last run go first: their retries and
	// slow answers then overlap the rest of the run.
	if notUp, err := status.NotUp(status.Dir(opts.env.Path(opts.out)), opts.vantage); err != nil {
		fmt.Fprintf(env.Stderr, "drimm: warning: %v: probing in registry order\n", err)
	} else {
		for i := range targets {
			targets[i].First = notUp[targets[i].ID]
		}
	}
	if opts.canary == "" {
		fmt.Fprintln(env.Stderr, "drimm: warning: no --canary: failures count as down only when another access point answered")
	}
	run := probe.New(po).Run(ctx, targets)
	fmt.Fprintf(env.Stderr, "%s\n", run.Summary())
	if err := printRun(env.Stdout, opts.format, run); err != nil {
		return err
	}
	interval := ps.Interval.Duration
	if interval <= 0 {
		interval = 5 * time.Minute
	}
	if opts.saveRun != "" {
		if err := saveRun(opts.env.Path(opts.saveRun), opts.vantage, run); err != nil {
			return envError("check that the folder of --save-run is writable", err)
		}
		fmt.Fprintf(env.Stderr, "saved in %s\n", opts.env.Path(opts.saveRun))
	} else if err := record(ctx, env, opts.out, opts.commit, []vantageRun{{opts.vantage, run}}, interval); err != nil {
		return err
	}
	if !run.NetworkOK {
		return envError("check the prober's own network and the --canary address; the run was recorded with these DRIMboxes as unknown",
			fmt.Errorf("the prober's network check failed: %s", run.Canary))
	}
	return nil
}
