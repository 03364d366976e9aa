package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/atomicfile"
	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/validation"
	"github.com/drim-m/trust-space/tool/internal/whitelist"
)

type whitelistBuildOptions struct {
	env    *Env
	source listSource
	out    string
}

// listSource is where a command builds its list from: a registry folder,
// at a generation time.
type listSource struct {
	registry string
	at       string
}

func (s *listSource) register(cmd *cobra.Command, what, atHelp string) {
	cmd.Flags().StringVar(&s.registry, "registry", "registry", what)
	cmd.Flags().StringVar(&s.at, "at", "", atHelp)
}

// build validates the registry and builds its list at --at.
func (s *listSource) build(env *Env) (*whitelist.List, *registry.Registry, time.Time, error) {
	at, err := parseAt(env, s.at)
	if err != nil {
		return nil, nil, at, err
	}
	l, reg, err := buildWhitelist(env, env.Path(s.registry), at)
	return l, reg, at, err
}

func newWhitelistBuildCmd(env *Env) *cobra.Command {
	opts := &whitelistBuildOptions{env: env}
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build the unsigned Liste Blanche from the registry",
		Long: `Build the Liste Blanche of the operational DRIMboxes, sorted by
Identifiant, in the ANS format. The same registry and the same --at give the
same bytes. DateMAJ is the time of the last merged commit that changed the
entry's published fields (read from git); an entry changed but not committed
is dated --at. The registry must validate.`,
		Example: `  drimm whitelist build --out liste-blanche.xml
  drimm whitelist build --at 2026-06-19T18:06:52Z`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runWhitelistBuild(cmd.Context(), opts)
		},
	}
	opts.source.register(cmd, "registry folder", "generation time, RFC 3339 (default: now)")
	cmd.Flags().StringVar(&opts.out, "out", "", "file to write (default: standard output)")
	return cmd
}

func runWhitelistBuild(_ context.Context, opts *whitelistBuildOptions) error {
	l, _, _, err := opts.source.build(opts.env)
	if err != nil {
		return err
	}
	data, err := whitelist.Marshal(l)
	if err != nil {
		return envError("", err)
	}
	if opts.out == "" {
		_, err = opts.env.Stdout.Write(data)
		return err
	}
	if err := atomicfile.Write(opts.out, data, 0o644); err != nil {
		return envError("check that the output folder is writable", err)
	}
	fmt.Fprintf(opts.env.Stderr, "drimm: wrote %s: %d DRIMbox(es), generated %s\n", opts.out, len(l.Domains), whitelist.FormatTime(l.Generated))
	return nil
}

// buildList loads and validates the registry and builds its list at at,
// with DateMAJ from the git history when the registry is in a repository.
func buildWhitelist(env *Env, dir string, at time.Time) (*whitelist.List, *registry.Registry, error) {
	reg, findings, err := loadRegistry(env, dir)
	if err != nil {
		return nil, nil, err
	}
	findings = append(findings, validation.Check(reg)...)
	if len(findings) > 0 {
		registry.SortFindings(findings)
		for _, f := range findings {
			fmt.Fprintln(env.Stderr, f.String())
		}
		return nil, nil, withHint(findingsError("the registry has %d finding(s); no list is built from an invalid registry", len(findings)),
			"fix the findings above (drimm validate lists them), then build again")
	}
	entries, err := whitelist.Entries(reg)
	if err != nil {
		return nil, nil, envError("", err)
	}
	dates, err := entryDates(env, dir, entries)
	if err != nil {
		return nil, nil, err
	}
	l, err := whitelist.Build(reg, dates, at)
	if err != nil {
		return nil, nil, withHint(findingsError("%v", err), "fix the registry record it names")
	}
	return l, reg, nil
}
