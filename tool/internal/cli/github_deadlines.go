package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/deadline"
	"github.com/drim-m/trust-space/tool/internal/github"
	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/whitelist"
)

type githubDeadlinesOptions struct {
	env *Env
	registryAt
	published string
	within    int
	label     string
	dryRun    bool
}

func newGitHubDeadlinesCmd(env *Env) *cobra.Command {
	opts := &githubDeadlinesOptions{env: env}
	cmd := &cobra.Command{
		Use:   "deadlines",
		Short: "Keep one GitHub issue open per deadline; exit 1 when one is overdue",
		Long: `Take every deadline 'drimm deadlines' lists — revocations owed after an
operator switch, certificates expiring within --within days, dossiers
waiting on a party — and the freshness of the published Liste Blanche
(re-sign before half of the trust space's whitelist validity is gone), and
keep one issue per deadline open on GitHub, labelled --label: a new deadline
opens an issue, a changed one updates it, and the issue of a deadline that
went away is closed with a comment. Each issue carries its deadline's
stable key, hidden, so runs never open duplicates.

With --dry-run, print the issues instead of touching GitHub. Exit status 1
when a deadline is overdue.`,
		Example: `  drimm github deadlines --dry-run
  drimm github deadlines              # in the daily deadlines workflow`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runGitHubDeadlines(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	opts.registryAt.register(cmd, "date or time of the check")
	f.StringVar(&opts.published, "whitelist", "whitelist", "published Liste Blanche folder (its index.json dates the last list)")
	f.IntVar(&opts.within, "within", deadline.CertificateDays, "days before expiry from which a certificate is listed")
	f.StringVar(&opts.label, "label", "deadline", "label of the issues drimm keeps")
	f.BoolVar(&opts.dryRun, "dry-run", false, "print the issues instead of opening them")
	return cmd
}

// check refuses flag values that mean nothing. runGitHubDeadlines calls it
// first, so that no caller reaches the work without it.
func (opts *githubDeadlinesOptions) check() error {
	if opts.within < 1 {
		return usageError("give --within a number of days, e.g. 30", "--within %d is not a number of days", opts.within)
	}
	if opts.label == "" || strings.ContainsAny(opts.label, ",\n") {
		return usageError("give --label one label name, e.g. deadline", "--label %q is not a label name", opts.label)
	}
	return nil
}

func runGitHubDeadlines(ctx context.Context, opts *githubDeadlinesOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	env := opts.env
	r, at, err := opts.load(env)
	if err != nil {
		return err
	}
	var alerts []github.Alert
	overdue := 0
	link := recordLink(env)
	for _, d := range deadline.List(r, deadline.Options{At: at, CertificateDays: opts.within}) {
		if d.Overdue {
			overdue++
		}
		alerts = append(alerts, deadlineAlert(d, link, deadlineMentions(r, d)))
	}
	fresh, late, err := freshnessAlert(env, r, opts.published, at)
	if err != nil {
		return err
	}
	if fresh != nil {
		alerts = append(alerts, *fresh)
		if late {
			overdue++
		}
	}
	if err := syncAlerts(ctx, env, opts.label, opts.dryRun, alerts); err != nil {
		return err
	}
	return deadlinesOutcome(env, len(alerts), overdue, at)
}

// deadlineMentions names who must act on a deadline: the maintainers of
// the operator it names (the former operator for a revocation), or the
// ANS reviewers when the ANS acts.
func deadlineMentions(r *registry.Registry, d deadline.Deadline) string {
	if d.Party == "ans" {
		return mentions(r.TrustSpace.Reviewers.Logins, "ANS reviewers")
	}
	if op := r.Operators[d.Operator]; op != nil {
		return mentions(op.Maintainers, "maintainers of `"+op.ID+"`")
	}
	return ""
}

func deadlineAlert(d deadline.Deadline, link func(string, int) string, who string) github.Alert {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", d.Message)
	fmt.Fprintf(&b, "| | |\n| --- | --- |\n")
	fmt.Fprintf(&b, "| DRIMbox | %d (`%s`) |\n", d.Identifiant, d.Name)
	if d.Operator != "" {
		fmt.Fprintf(&b, "| operator | `%s` |\n", d.Operator)
	}
	if d.Party != "" {
		fmt.Fprintf(&b, "| who acts | %s |\n", d.Party)
	}
	if d.Due != "" {
		state := "due"
		if d.Overdue {
			state = "**overdue**"
		}
		fmt.Fprintf(&b, "| %s | %s |\n", state, d.Due)
	}
	fmt.Fprintf(&b, "| record | %s |\n", link(d.Path, d.Line))
	if who != "" {
		fmt.Fprintf(&b, "\n%s\n", who)
	}
	fmt.Fprintf(&b, "\nOpened and kept up to date by `drimm github deadlines`; it closes this issue once the record no longer shows the deadline.\n")
	title := d.Title
	if d.Overdue {
		title = "Overdue: " + title
	}
	return github.Alert{Key: d.Key, Title: title, Body: b.String()}
}

// freshnessAlert warns when the published list is past half its validity:
// DRIMboxes refuse a list older than the trust space's max_age, and the
// next one must be published within its validity.
func freshnessAlert(env *Env, r *registry.Registry, dir string, at time.Time) (*github.Alert, bool, error) {
	dir = env.Path(dir)
	ix, err := whitelist.ReadIndex(dir)
	if err != nil {
		return nil, false, envError("check the published folder's index.json", err)
	}
	validity := r.TrustSpace.Whitelist.Validity.Duration
	if validity <= 0 {
		return nil, false, nil
	}
	last := ix.Last()
	if last == nil {
		return &github.Alert{Key: "whitelist-freshness/none", Title: "Liste Blanche: none published yet",
			Body: "No Liste Blanche has been published in `" + displayPath(env, dir) + "`. Run the publish workflow (it signs in the HSM) so that DRIMboxes have a list to trust."}, true, nil
	}
	due := last.Generated.Add(validity)
	if due.Sub(at) > validity/2 {
		return nil, false, nil
	}
	late := !at.Before(due)
	title := "Liste Blanche: publish the next list before " + due.UTC().Format(time.RFC3339)
	if late {
		title = "Overdue: Liste Blanche not re-signed since " + last.Generated.UTC().Format(time.RFC3339)
	}
	body := fmt.Sprintf("The last published list is number %d, generated on %s. The trust space's validity is %s, so the next list is due by **%s**; DRIMboxes refuse a list older than %s.\n\nRun the publish workflow (workflow_dispatch) on the HSM runner, or check why its schedule did not run.\n",
		last.Sequence, last.Generated.UTC().Format(time.RFC3339), validity, due.UTC().Format(time.RFC3339), r.TrustSpace.Whitelist.MaxAge.Duration)
	return &github.Alert{Key: "whitelist-freshness/" + strconv.Itoa(last.Sequence), Title: title, Body: body}, late, nil
}

// recordLink makes a link to a record line on GitHub when the workflow
// environment names the server, or plain text otherwise.
func recordLink(env *Env) func(string, int) string {
	server, repo := env.Getenv("GITHUB_SERVER_URL"), env.Getenv("GITHUB_REPOSITORY")
	branch := orDefault(env.Getenv("GITHUB_REF_NAME"), "main")
	return func(path string, line int) string {
		if server == "" || repo == "" || path == "" {
			return "`" + path + "`"
		}
		return fmt.Sprintf("[`%s:%d`](%s/%s/blob/%s/%s#L%d)", path, line, server, repo, branch, path, line)
	}
}

// syncAlerts keeps one open issue per alert under label, closing those no
// alert names any more; with dryRun it only lists the alerts on stdout.
func syncAlerts(ctx context.Context, env *Env, label string, dryRun bool, alerts []github.Alert) error {
	if dryRun {
		for _, a := range alerts {
			fmt.Fprintf(env.Stdout, "%s\t%s\n", a.Key, a.Title)
		}
		return nil
	}
	client, err := githubClient(env)
	if err != nil {
		return err
	}
	res, err := client.SyncIssues(ctx, label, alerts)
	if err != nil {
		return envError("check GITHUB_TOKEN's permissions (issues: write) and the network", err)
	}
	fmt.Fprintf(env.Stderr, "drimm: issues: %d opened %v, %d updated %v, %d unchanged, %d closed %v\n",
		len(res.Created), res.Created, len(res.Updated), res.Updated, len(res.Unchanged), len(res.Closed), res.Closed)
	return nil
}
