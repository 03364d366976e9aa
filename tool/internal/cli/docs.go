package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/drim-m/trust-space/tool/internal/atomicfile"
	"github.com/drim-m/trust-space/tool/internal/dossier"
)

// manualDir is where the reference manual lives in the repository.
const manualDir = "tool/docs/manual"

type docsOptions struct {
	env   *Env
	out   string
	check bool
	root  *cobra.Command
}

func newDocsCmd(env *Env) *cobra.Command {
	opts := &docsOptions{env: env}
	cmd := &cobra.Command{
		Use:   "docs [--out DIR]",
		Short: "Write the reference manual generated from the commands",
		Long: `Write the reference manual: one Markdown page per command, generated from
the commands' own help, and the page describing the CSV layouts of the ANS
templates that 'drimm dossier verify' checks. Pages of commands that no
longer exist are removed.

The manual is kept in the repository under ` + manualDir + `; a test fails
when it is stale. After changing a command, run 'go run ./tool/cmd/drimm docs'
from the repository root and commit the result.`,
		Example: `  go run ./tool/cmd/drimm docs
  drimm docs --check`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.root = cmd.Root()
			return runDocs(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.out, "out", manualDir, "folder of the manual")
	cmd.Flags().BoolVar(&opts.check, "check", false, "only check that the manual is up to date; exit 1 when it is not")
	cmd.MarkFlagDirname("out")
	return cmd
}

func runDocs(_ context.Context, opts *docsOptions) error {
	dir := opts.env.Path(opts.out)
	pages, err := manualPages(opts.root)
	if err != nil {
		return envError("", err)
	}
	stale, err := staleManualPages(dir, pages)
	if err != nil {
		return envError("check that the manual's folder is readable", err)
	}
	if opts.check {
		if len(stale) > 0 {
			for _, name := range stale {
				fmt.Fprintln(opts.env.Stdout, filepath.ToSlash(filepath.Join(displayPath(opts.env, dir), name)))
			}
			return findingsError("the manual is stale (%d page(s)); run 'go run ./tool/cmd/drimm docs' and commit %s", len(stale), displayPath(opts.env, dir))
		}
		fmt.Fprintln(opts.env.Stderr, "drimm: the manual is up to date")
		return nil
	}
	for _, name := range stale {
		p := filepath.Join(dir, name)
		data, ok := pages[name]
		if !ok {
			if err := os.Remove(p); err != nil {
				return envError("check that the manual's folder is writable", err)
			}
			continue
		}
		if err := atomicfile.Write(p, data, 0o644); err != nil {
			return envError("check that the manual's folder is writable", err)
		}
	}
	fmt.Fprintf(opts.env.Stderr, "drimm: %d page(s) in %s, %d updated\n", len(pages), displayPath(opts.env, dir), len(stale))
	return nil
}

// manualPages renders the manual: a page per available command, named
// after its path (drimm_dossier_verify.md), and the templates page.
func manualPages(root *cobra.Command) (map[string][]byte, error) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	pages := map[string][]byte{}
	var walk func(c *cobra.Command) error
	walk = func(c *cobra.Command) error {
		if c != root && (!c.IsAvailableCommand() || c.IsAdditionalHelpTopicCommand()) {
			return nil
		}
		c.DisableAutoGenTag = true
		var b bytes.Buffer
		if err := doc.GenMarkdownCustom(c, &b, func(link string) string { return link }); err != nil {
			return fmt.Errorf("rendering the page of %s: %w", c.CommandPath(), err)
		}
		pages[strings.ReplaceAll(c.CommandPath(), " ", "_")+".md"] = b.Bytes()
		for _, sub := range c.Commands() {
			if err := walk(sub); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(root); err != nil {
		return nil, err
	}
	pages[templatesPage] = templatesMarkdown()
	return pages, nil
}

const templatesPage = "dossier-templates.md"

// staleManualPages lists the pages to write or remove so that dir holds
// exactly the manual.
func staleManualPages(dir string, pages map[string][]byte) ([]string, error) {
	var stale []string
	for name, data := range pages {
		old, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		if !bytes.Equal(old, data) {
			stale = append(stale, name)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, e := range entries {
		name := e.Name()
		if _, ok := pages[name]; !ok && e.Type().IsRegular() && strings.HasPrefix(name, "drimm") && strings.HasSuffix(name, ".md") {
			stale = append(stale, name)
		}
	}
	slices.Sort(stale)
	return stale, nil
}

// templatesMarkdown documents the CSV layouts of the ANS templates from
// the very definitions 'drimm dossier verify' checks against.
func templatesMarkdown() []byte {
	var b bytes.Buffer
	b.WriteString("## The ANS templates as CSV\n\n")
	b.WriteString("`drimm dossier verify` checks the three ANS templates of a dossier when the ZED container\n")
	b.WriteString("delivers them as CSV: the RACI matrix (COND-01), the escalation matrix (COND-13) and the\n")
	b.WriteString("flow matrix (COND-11). Export the sheet as \"CSV UTF-8\" or plain CSV: commas, semicolons\n")
	b.WriteString("or tabs are detected, quoted cells, a UTF-8 byte-order mark, Windows-1252 text and any line\n")
	b.WriteString("ends are read. The header is the first row holding the required columns (a title row above\n")
	b.WriteString("it is ignored); column titles are matched without regard to case, accents or punctuation,\n")
	b.WriteString("and the other accepted titles are listed. Findings give the file, line and column.\n")
	for _, t := range dossier.Templates() {
		fmt.Fprintf(&b, "\n### %s: %s\n\n", t.Name, t.Title)
		b.WriteString("| Column | Required | Also accepted | Content |\n| --- | --- | --- | --- |\n")
		for _, c := range t.Columns {
			req := "no"
			if c.Required {
				req = "yes"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", c.Name, req, strings.Join(c.Aliases, ", "), c.Help)
		}
		fmt.Fprintf(&b, "\n%s\n\nRules:\n\n", strings.ReplaceAll(t.Layout, "\n", " "))
		for _, r := range t.Rules {
			fmt.Fprintf(&b, "- %s\n", r)
		}
		fmt.Fprintf(&b, "\nExample:\n\n```csv\n%s```\n", t.Example)
	}
	return b.Bytes()
}
