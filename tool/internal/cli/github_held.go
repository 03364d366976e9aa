package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/github"
	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/whitelist"
)

type githubHeldOptions struct {
	env       *Env
	registry  string
	published string
	label     string
	dryRun    bool
}

func newGitHubHeldCmd(env *Env) *cobra.Command {
	opts := &githubHeldOptions{env: env}
	cmd := &cobra.Command{
		Use:   "held",
		Short: "Keep one GitHub issue open per DRIMbox the Liste Blanche holds back; exit 1 while one is",
		Long: `After a publication, say loudly what it held back. A DRIMbox whose record
(or its operator's) has findings keeps, in the published list, the entry
last published for it — or stays out if it had none — until the record is
fixed; findings in trust-space.yaml or conditions.yaml hold back every
DRIMbox. This command reads the registry and the published list and keeps
one issue per held DRIMbox open on GitHub, labelled --label, mentioning the
operator's maintainers who must fix the record, plus one for the shared
records; the issue of a DRIMbox no longer held back is closed. It also
writes the job summary.

With --dry-run, print the issues instead of touching GitHub. Exit status 1
while something is held back.`,
		Example: `  drimm github held --dry-run
  drimm github held              # in the publish workflow, after the push`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.label == "" || strings.ContainsAny(opts.label, ",\n") {
				return usageError("give --label one label name, e.g. held-back", "--label %q is not a label name", opts.label)
			}
			return runGitHubHeld(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.registry, "registry", "registry", "registry folder")
	f.StringVar(&opts.published, "whitelist", "whitelist", "published Liste Blanche folder")
	f.StringVar(&opts.label, "label", "held-back", "label of the issues drimm keeps")
	f.BoolVar(&opts.dryRun, "dry-run", false, "print the issues instead of opening them")
	return cmd
}

func runGitHubHeld(ctx context.Context, opts *githubHeldOptions) error {
	env := opts.env
	published, err := readPublished(env.Path(opts.published))
	if err != nil {
		return err
	}
	reg, hold, err := registryHold(env, env.Path(opts.registry))
	if err != nil {
		return err
	}
	held := whitelist.HeldBack(reg, hold, published)
	alerts := heldAlerts(env, reg, hold, held)
	if err := syncAlerts(ctx, env, opts.label, opts.dryRun, alerts); err != nil {
		return err
	}
	if hold.Empty() {
		fmt.Fprintln(env.Stderr, "drimm: nothing held back: every entry of the list comes from a clean record")
		return nil
	}
	sequence := 0
	if ix, err := whitelist.ReadIndex(env.Path(opts.published)); err == nil && ix.Last() != nil {
		sequence = ix.Last().Sequence
	}
	if err := appendSummary(env, []byte(heldMarkdown(env, sequence, hold, held))); err != nil {
		return err
	}
	return withHint(findingsError("%d DRIMbox(es) held back from the Liste Blanche by findings in their records", len(ownHeld(held))),
		"fix the records the issues name; the next publication takes them again")
}

// heldAlerts makes one issue per DRIMbox held back by its own record, and
// one for the shared records.
func heldAlerts(env *Env, reg *registry.Registry, hold *whitelist.Hold, held []whitelist.Held) []github.Alert {
	link := recordLink(env)
	var alerts []github.Alert
	if len(hold.Global) > 0 {
		var b strings.Builder
		b.WriteString("The shared records of the registry have findings, so the published Liste Blanche keeps **every DRIMbox's last published entry**: no change to any record reaches the list until these are fixed.\n\n")
		writeFindings(&b, hold.Global, link)
		fmt.Fprintf(&b, "\n%s\n", mentions(reg.TrustSpace.Reviewers.Logins, "ANS reviewers"))
		alerts = append(alerts, github.Alert{Key: "held-back/registry", Title: "Liste Blanche: every DRIMbox held back by findings in the shared records", Body: b.String()})
	}
	for _, h := range ownHeld(held) {
		var b strings.Builder
		fmt.Fprintf(&b, "The record of DRIMbox %d has findings, so it is held back: %s.\n\n", h.Identifiant, heldOutcome(h))
		writeFindings(&b, h.Findings, link)
		if op := heldOperator(reg, h); op != nil {
			fmt.Fprintf(&b, "\n%s\n", mentions(op.Maintainers, "maintainers of `"+op.ID+"`"))
		}
		b.WriteString("\nOpened and kept up to date by `drimm github held` after each publication; it closes this issue once the record is clean.\n")
		title := "Liste Blanche: DRIMbox " + strconv.Itoa(h.Identifiant) + " held back, its record has findings"
		alerts = append(alerts, github.Alert{Key: "held-back/" + strconv.Itoa(h.Identifiant), Title: title, Body: b.String()})
	}
	return alerts
}

// heldOperator is the operator whose maintainers fix a held record: the
// one the record names, else the one whose folder holds it.
func heldOperator(reg *registry.Registry, h whitelist.Held) *registry.Operator {
	if d := reg.DRIMbox(h.Identifiant); d != nil && reg.Operators[d.Operator] != nil {
		return reg.Operators[d.Operator]
	}
	parts := strings.Split(strings.TrimPrefix(h.Path, strings.TrimSuffix(reg.Prefix, "/")+"/"), "/")
	if len(parts) >= 2 && parts[0] == "operators" {
		return reg.Operators[parts[1]]
	}
	return nil
}

// mentions names the GitHub logins who must act.
func mentions(logins []string, who string) string {
	if len(logins) == 0 {
		return "To act: the " + who + " (none listed in the registry)."
	}
	at := make([]string, len(logins))
	for i, l := range logins {
		at[i] = "@" + l
	}
	return "To act: " + strings.Join(at, ", ") + " (" + who + ")."
}
