package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/whitelist"
)

type whitelistDiffOptions struct {
	env      *Env
	old, new string
	format   string
}

func newWhitelistDiffCmd(env *Env) *cobra.Command {
	opts := &whitelistDiffOptions{env: env}
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Show the DRIMboxes a new Liste Blanche adds, removes or changes",
		Long: `Compare two lists, signed or not, entry by entry: DRIMboxes added, removed,
and changed with each changed field's old and new value. Signatures are not
checked: use drimm whitelist verify for that.`,
		Example: `  drimm whitelist diff whitelist/LISTEBLANCHE_DRIM-M.xml new.xml`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.old, opts.new = args[0], args[1]
			return runWhitelistDiff(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.format, "format", "text", "output: text or json")
	return cmd
}

// check refuses flag values that mean nothing. runWhitelistDiff calls it
// first, so that no caller reaches the work without it.
func (opts *whitelistDiffOptions) check() error {
	if opts.format != "text" && opts.format != "json" {
		return usageError("use --format text or json", "unknown format %q", opts.format)
	}
	return nil
}

func runWhitelistDiff(_ context.Context, opts *whitelistDiffOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	lists := make([]*whitelist.List, 2)
	for i, f := range []string{opts.old, opts.new} {
		data, err := readWhitelistFile(f)
		if err != nil {
			return err
		}
		if lists[i], err = whitelist.Parse(data); err != nil {
			return withHint(findingsError("%s: %v", f, err), "both files must be Liste Blanche documents")
		}
	}
	d := whitelist.Compare(lists[0], lists[1])
	if opts.format == "json" {
		return writeWhitelistJSON(opts.env.Stdout, d)
	}
	if err := d.WriteText(opts.env.Stdout); err != nil {
		return fmt.Errorf("writing the differences: %w", err)
	}
	return nil
}
