package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/deadline"
	"github.com/drim-m/trust-space/tool/internal/park"
)

type parkOptions struct {
	env *Env
	registryAt
	operator string
	format   string
}

func newParkCmd(env *Env) *cobra.Command {
	opts := &parkOptions{env: env}
	cmd := &cobra.Command{
		Use:   "park --operator OP",
		Short: "Print an operator's register of its DRIMboxes (parc)",
		Long: `Print the register of an operator's DRIMboxes, which every operator keeps:
each DRIMbox it runs and each it handed over to another operator, with its
national names, status, funding, dates (declaration, Validation d'Aptitude,
exclusion, withdrawal), ZED container and order, PACS, certificate expiries,
the latest operator switch and the revocation it calls for, and the next
deadline the operator must meet (see 'drimm deadlines').

CSV (the default) has one header line and comma separators; JSON gives each
DRIMbox's deadlines in full.`,
		Example: `  drimm park --operator alpha-imagerie > parc-alpha-imagerie.csv
  drimm park --operator beta-teleradiologie --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runPark(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	opts.registryAt.register(cmd, "date the deadlines are counted from")
	f.StringVar(&opts.operator, "operator", "", "operator folder name (required)")
	f.StringVar(&opts.format, "format", "csv", "output format: csv or json")
	cmd.RegisterFlagCompletionFunc("operator", completeOperators(env))
	return cmd
}

// check refuses flag values that mean nothing. runPark calls it
// first, so that no caller reaches the work without it.
func (opts *parkOptions) check() error {
	if opts.operator == "" {
		return usageError("give --operator, the operator's folder name under registry/operators/", "--operator is required")
	}
	if err := checkFormat(opts.format, "csv", "json"); err != nil {
		return err
	}
	return nil
}

func runPark(_ context.Context, opts *parkOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	r, at, err := opts.load(opts.env)
	if err != nil {
		return err
	}
	if r.Operators[opts.operator] == nil {
		return usageError("operators: "+strings.Join(park.Operators(r), ", "), "operator %q is not in the registry", opts.operator)
	}
	entries := park.Register(r, opts.operator, deadline.Options{At: at})
	if opts.format == "json" {
		if entries == nil {
			entries = []park.Entry{}
		}
		return outputError(encodeJSON(opts.env.Stdout, struct {
			Operator  string       `json:"operator"`
			At        time.Time    `json:"at"`
			DRIMboxes []park.Entry `json:"drimboxes"`
		}{opts.operator, at, entries}))
	}
	if err := park.WriteCSV(opts.env.Stdout, entries); err != nil {
		return envError("", fmt.Errorf("writing the register: %w", err))
	}
	return nil
}
