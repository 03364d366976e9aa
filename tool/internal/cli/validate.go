package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

type validateOptions struct {
	env      *Env
	registry string
	base     string
	head     string
	author   string
	format   string
}

func newValidateCmd(env *Env) *cobra.Command {
	opts := &validateOptions{env: env}
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check the registry, or a pull request's change to it",
		Long: `Check every record against its schema and the trust space's rules.

With --base, --head and --author, also check the change a pull request
makes, as 'git diff base...head' shows it: from the merge-base of the two
revisions (where the head's branch forked from the base branch) to the
head, so that commits landed on the base branch since are not counted as
the pull request's. The rules: allowed status changes and who may make
them, records never deleted, Identifiants never changed or reused,
operators touching only their own records, ANS-owned fields changed only
by ANS reviewers, every changed path changed by its owner (no symlinks,
submodules or mode changes), notices published only by whom they name,
and trees as git writes them (a tree the change brings or drimm reads with
two entries of one name, entries out of order, or a name git fsck refuses
is a finding).
Authority is read from the merge-base. The revisions are read from the git
object store; nothing is checked out. A revision is a full SHA or a ref
(HEAD, main, origin/main, a tag, optionally with ~N or ^N); an abbreviated
SHA or a name matching several refs is refused, never guessed.

Findings are printed as path:line:col: RULE-ID: message.`,
		Example: `  drimm validate
  drimm validate --base origin/main --head HEAD --author my-login
  drimm validate --format github --base $BASE_SHA --head $HEAD_SHA --author $PR_AUTHOR`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runValidate(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.registry, "registry", "registry", "registry folder")
	cmd.Flags().StringVar(&opts.base, "base", "", "base git revision of the change (e.g. the pull request's base SHA)")
	cmd.Flags().StringVar(&opts.head, "head", "", "head git revision of the change")
	cmd.Flags().StringVar(&opts.author, "author", "", "GitHub login of the change's author, for authorization rules")
	cmd.Flags().StringVar(&opts.format, "format", "text", "output format: text, github or json")
	return cmd
}

// check refuses flag values that mean nothing. runValidate calls it
// first, so that no caller reaches the work without it.
func (opts *validateOptions) check() error {
	if (opts.base == "") != (opts.head == "") {
		return usageError("give both --base and --head to check a change, or neither to check the working tree", "--base and --head go together")
	}
	if opts.base != "" && opts.author == "" {
		// Who may change what is half of the rules: a change is never
		// checked without them.
		return usageError("pass --author with the GitHub login of the pull request's author (your own login for your change)", "--base and --head need --author")
	}
	switch opts.format {
	case "text", "github", "json":
	default:
		return usageError("use --format text, github or json", "unknown format %q", opts.format)
	}
	return nil
}

func runValidate(ctx context.Context, opts *validateOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	dir := opts.env.Path(opts.registry)
	var findings []registry.Finding
	var err error
	if opts.base != "" {
		findings, err = validateChange(ctx, opts, dir)
	} else {
		findings, err = validateTree(opts, dir)
	}
	if err != nil {
		return err
	}
	registry.SortFindings(findings)
	if err := printFindings(opts.env.Stdout, opts.format, findings); err != nil {
		return envError("", fmt.Errorf("writing findings: %w", err))
	}
	if len(findings) > 0 {
		return findingsError("%d finding(s) in the registry", len(findings))
	}
	if opts.format == "text" {
		fmt.Fprintln(opts.env.Stderr, "drimm: registry is valid")
	}
	return nil
}

func printFindings(w io.Writer, format string, findings []registry.Finding) error {
	switch format {
	case "json":
		if findings == nil {
			findings = []registry.Finding{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"findings": findings})
	case "github":
		for _, f := range findings {
			if _, err := fmt.Fprintf(w, "::error file=%s,line=%d,col=%d,title=%s::%s\n",
				ghProp(f.Path), max(f.Line, 1), max(f.Col, 1), ghProp(f.Rule), ghData(f.Msg)); err != nil {
				return err
			}
		}
		return nil
	default:
		for _, f := range findings {
			if _, err := fmt.Fprintln(w, f.String()); err != nil {
				return err
			}
		}
		return nil
	}
}

// ghData and ghProp escape workflow-command text as GitHub's toolkit does.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghProp(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
