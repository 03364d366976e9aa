package cli

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/sim"
)

type statusDemoOptions struct {
	env      *Env
	out      string
	history  int
	registry string
}

func newStatusDemoCmd(env *Env) *cobra.Command {
	opts := &statusDemoOptions{env: env}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Probe simulated DRIMboxes on loopback and build their weather page",
		Long: `Start simulated DRIMboxes on 127.0.0.1, each with a certificate from a
throwaway IGC Santé-shaped PKI: three healthy, one slow, one down, one with
a certificate expiring in 10 days, one with a PACS down, one without a
status endpoint and one serving a certificate whose subject is not the
registered DN. Write some days of simulated history and a fictional
maintenance notice, probe the DRIMboxes for real, record the run and build
the weather page. Nothing leaves the machine.

The DRIMboxes are named after those of the registry (--registry, the
sample registry of a checkout), with its operators, mailboxes and PACS;
without a registry, after fictional operators.

The output folder receives status/ (the data, as drimm probe writes it),
site/ (open site/index.html in a browser) and root.pem.`,
		Example: `  drimm status demo --out /tmp/meteo-demo`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runStatusDemo(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.out, "out", "meteo-demo", "folder to write the demo's data and site to")
	cmd.Flags().IntVar(&opts.history, "history-days", 30, "days of simulated history before the real probe")
	cmd.Flags().StringVar(&opts.registry, "registry", "registry", "registry folder naming the DRIMboxes' operators and PACS (optional)")
	return cmd
}

// check refuses flag values that mean nothing. runStatusDemo calls it
// first, so that no caller reaches the work without it.
func (opts *statusDemoOptions) check() error {
	if opts.history < 0 || opts.history > 366 {
		return usageError("give --history-days between 0 and 366", "--history-days %d out of range", opts.history)
	}
	return nil
}

func runStatusDemo(ctx context.Context, opts *statusDemoOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	out := opts.env.Path(opts.out)
	infos, _, err := siteInfos(opts.env.Path(opts.registry))
	if err != nil {
		return err
	}
	res, err := sim.Demo(ctx, sim.DemoOptions{Out: out, HistoryDays: opts.history, Now: opts.env.Now, Log: opts.env.Stderr, Infos: infos})
	if err != nil {
		return envError("check that the output folder is writable and that loopback is available", err)
	}
	for i, r := range res.Run.Results {
		fmt.Fprintf(opts.env.Stdout, "DRIMbox %d (%s): %s\n", r.ID, res.Boxes[i].Kind, r.Verdict)
	}
	fmt.Fprintf(opts.env.Stdout, "%s\n", filepath.Join(res.Site, "index.html"))
	return nil
}
