package cli

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/deadline"
	"github.com/drim-m/trust-space/tool/internal/registry"
)

type deadlinesOptions struct {
	env *Env
	registryAt
	format string
	within int
}

func newDeadlinesCmd(env *Env) *cobra.Command {
	opts := &deadlinesOptions{env: env}
	cmd := &cobra.Command{
		Use:   "deadlines",
		Short: "List revocations due, certificates expiring and dossiers waiting; exit 1 when one is overdue",
		Long: `List what the trust space waits for, and by when:

  - revocations due after an operator switch: the former operator revokes
    its certificates and administration access within the trust space's
    switch_revocation_days (15) of the switch, then the record gets
    switches[].revoked_on;
  - certificates (IGC Santé server and market) of integrating, operational
    and reintegrating DRIMboxes that expire within --within days;
  - dossiers waiting on a party: integrating or reintegrating DRIMboxes
    whose record still lacks the operator's or the Client's part (the
    Validation d'Aptitude, which the operator supplies, included), or whose
    dossier is complete and waits on the ANS's decision;
  - versioned conditions (applies_from, grace_days in conditions.yaml) that
    came after a DRIMbox was declared and that its dossier does not meet
    yet: due at applies_from plus grace_days.

Days count in UTC dates from --at: a deadline is due on its day and overdue
the day after. Text output is one finding per deadline, overdue ones first;
JSON gives each a stable key ("revocation/10/beta-teleradiologie/2026-11-20",
"certificate/1/server/<serial>", "dossier/3/client"), a title and a message,
so that a scheduled job can keep one issue per key.

Exit status 1 when a deadline is overdue.`,
		Example: `  drimm deadlines
  drimm deadlines --at 2026-12-06 --format json
  drimm deadlines --within 60`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDeadlines(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	opts.registryAt.register(cmd, "date or time of the check")
	f.StringVar(&opts.format, "format", "text", "output format: text or json")
	f.IntVar(&opts.within, "within", deadline.CertificateDays, "days before expiry from which a certificate is listed")
	return cmd
}

// check refuses flag values that mean nothing. runDeadlines calls it
// first, so that no caller reaches the work without it.
func (opts *deadlinesOptions) check() error {
	if err := checkFormat(opts.format, "text", "json"); err != nil {
		return err
	}
	if opts.within < 1 {
		return usageError("give --within a number of days, e.g. 30", "--within %d is not a number of days", opts.within)
	}
	return nil
}

func runDeadlines(_ context.Context, opts *deadlinesOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	r, at, err := opts.load(opts.env)
	if err != nil {
		return err
	}
	dls := deadline.List(r, deadline.Options{At: at, CertificateDays: opts.within})
	overdue := 0
	for _, d := range dls {
		if d.Overdue {
			overdue++
		}
	}
	if opts.format == "json" {
		if dls == nil {
			dls = []deadline.Deadline{}
		}
		err = encodeJSON(opts.env.Stdout, struct {
			At        time.Time           `json:"at"`
			Overdue   int                 `json:"overdue"`
			Deadlines []deadline.Deadline `json:"deadlines"`
		}{at, overdue, dls})
	} else {
		fs := make([]registry.Finding, len(dls))
		for i, d := range dls {
			fs[i] = d.Finding()
		}
		err = printFindings(opts.env.Stdout, "text", fs)
	}
	if err != nil {
		return outputError(err)
	}
	return deadlinesOutcome(opts.env, len(dls), overdue, at)
}
