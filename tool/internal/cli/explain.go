package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/dossier"
	"github.com/drim-m/trust-space/tool/internal/registry"
)

type explainOptions struct {
	env      *Env
	registry string
	format   string
	id       string
}

func newExplainCmd(env *Env) *cobra.Command {
	opts := &explainOptions{env: env}
	cmd := &cobra.Command{
		Use:   "explain [COND-xx]",
		Short: "Explain a condition of the dossier: its text, who answers, the documents, an example",
		Long: `Print a condition of the conditions catalogue (registry/conditions.yaml): its
text, who answers it (Opérateur, Client or both), when it applies, the
documents and attestation it requires, an example of a good answer, and how
the answer goes into the DRIMbox's record. For the conditions answered with
an ANS template (COND-01, COND-11, COND-13), it also gives the CSV layout
'drimm dossier verify' checks.

Without an argument, list the conditions. COND-01, cond-1 and 1 are the same.`,
		Example: `  drimm explain
  drimm explain COND-01
  drimm explain 13 --format json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.id = args[0]
			}
			return runExplain(cmd.Context(), opts)
		},
		ValidArgsFunction: completeConditions(env),
	}
	cmd.Flags().StringVar(&opts.registry, "registry", "registry", "registry folder")
	cmd.Flags().StringVar(&opts.format, "format", "text", "output format: text or json")
	return cmd
}

// conditionJSON is a condition as 'explain --format json' gives it, with
// the field names of the catalogue.
type conditionJSON struct {
	ID          string             `json:"id"`
	Theme       string             `json:"theme"`
	Title       string             `json:"title"`
	Description string             `json:"description"`
	AnsweredBy  string             `json:"answered_by"`
	SIDRIMbox   bool               `json:"si_drimbox"`
	AppliesWhen string             `json:"applies_when"`
	Optional    bool               `json:"optional"`
	Documents   []documentJSON     `json:"documents"`
	Attestation *attestationJSON   `json:"attestation,omitempty"`
	Example     string             `json:"example"`
	Templates   []dossier.Template `json:"templates,omitempty"`
}

type documentJSON struct {
	Kind     string `json:"kind"`
	Title    string `json:"title"`
	Template string `json:"template,omitempty"`
}

type attestationJSON struct {
	Kind    string   `json:"kind"`
	Signers []string `json:"signers"`
}

func toJSON(c registry.Condition, tpls []dossier.Template) conditionJSON {
	out := conditionJSON{ID: c.ID, Theme: c.Theme, Title: c.Title, Description: c.Description, AnsweredBy: c.AnsweredBy,
		SIDRIMbox: c.SIDRIMbox, AppliesWhen: c.AppliesWhen, Optional: c.Optional, Documents: []documentJSON{}, Example: c.Example, Templates: tpls}
	for _, d := range c.Documents {
		out.Documents = append(out.Documents, documentJSON(d))
	}
	if a := c.Attestation; a != nil {
		out.Attestation = &attestationJSON{Kind: a.Kind, Signers: a.Signers}
	}
	return out
}

// check refuses flag values that mean nothing. runExplain calls it
// first, so that no caller reaches the work without it.
func (opts *explainOptions) check() error {
	if err := checkFormat(opts.format, "text", "json"); err != nil {
		return err
	}
	return nil
}

func runExplain(_ context.Context, opts *explainOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	r, _, err := loadRegistry(opts.env, opts.env.Path(opts.registry))
	if err != nil {
		return err
	}
	if len(r.Conditions) == 0 {
		return findingsError("the registry's conditions catalogue is empty or unreadable; run drimm validate")
	}
	w := opts.env.Stdout
	if opts.id == "" {
		if opts.format == "json" {
			list := []conditionJSON{}
			for _, c := range r.Conditions {
				list = append(list, toJSON(c, nil))
			}
			return outputError(encodeJSON(w, list))
		}
		ew := &errWriter{w: w}
		for _, c := range r.Conditions {
			ew.printf("%s  %-8s %s\n", c.ID, c.AnsweredBy, c.Title)
		}
		return outputError(ew.err)
	}
	c := r.Condition(conditionID(opts.id))
	if c == nil {
		return usageError("run 'drimm explain' to list the conditions", "no condition %q in the catalogue", opts.id)
	}
	var tpls []dossier.Template
	for _, req := range c.Documents {
		if t, ok := dossier.LookupTemplate(req.Template); ok {
			tpls = append(tpls, t)
		}
	}
	if opts.format == "json" {
		return outputError(encodeJSON(w, toJSON(*c, tpls)))
	}
	return outputError(printCondition(w, c, tpls))
}

// conditionID accepts COND-01, cond-1, 01 and 1.
func conditionID(s string) string {
	n := strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "COND-")
	if v, err := strconv.Atoi(n); err == nil && v >= 0 && v < 100 {
		return fmt.Sprintf("COND-%02d", v)
	}
	return strings.ToUpper(s)
}

func printCondition(w io.Writer, c *registry.Condition, tpls []dossier.Template) error {
	ew := &errWriter{w: w}
	ew.printf("%s  %s\n\n", c.ID, c.Title)
	ew.printf("Theme:        %s\n", c.Theme)
	ew.printf("Answered by:  %s\n", answeredBy(c.AnsweredBy))
	applies := "always"
	if c.AppliesWhen == "subcontracting" {
		applies = "only when the operator subcontracts (dossier.subcontracting: true)"
	}
	if c.Optional {
		applies += "; optional"
	}
	ew.printf("Applies:      %s\n", applies)
	ew.printf("SI DRIMbox:   %s\n\n", map[bool]string{true: "concerns the SI DRIMbox", false: "does not concern the SI DRIMbox"}[c.SIDRIMbox])
	ew.printf("%s\n", foldText(c.Description, 78, ""))
	if len(c.Documents) > 0 {
		ew.printf("\nDocuments, in the ZED container:\n")
		for _, d := range c.Documents {
			line := fmt.Sprintf("  - %s (kind %s)", d.Title, d.Kind)
			if d.Template != "" {
				line += ", ANS template " + d.Template
			}
			ew.printf("%s\n", line)
		}
	}
	if a := c.Attestation; a != nil {
		var who []string
		for _, s := range a.Signers {
			who = append(who, actorName(s))
		}
		ew.printf("\nAttestation %s, signed by the %s.\n", a.Kind, strings.Join(who, " and the "))
	}
	if c.Example != "" {
		ew.printf("\nExample of a good answer:\n%s\n", foldText(c.Example, 78, "  "))
	}
	ew.printf("\nIn the DRIMbox's record:\n  dossier:\n    answers:\n      %s: {", c.ID)
	for i, p := range c.Parties() {
		if i > 0 {
			ew.printf(", ")
		}
		ew.printf("%s: conforme", p)
	}
	ew.printf("}\n")
	if len(c.Documents) > 0 {
		ew.printf("    documents:\n")
		for _, d := range c.Documents {
			ext := "pdf"
			if d.Template != "" {
				ext = "csv"
			}
			ew.printf("      - {condition: %s, kind: %s, name: %s_%s.%s, sha256: <sha256sum of the file>}\n", c.ID, d.Kind, c.ID, d.Kind, ext)
		}
	}
	if a := c.Attestation; a != nil {
		ew.printf("    attestations:\n      - condition: %s\n        kind: %s\n        document: %s_attestation-%s.pdf\n        sha256: <sha256sum of the file>\n        signed_by:\n", c.ID, a.Kind, c.ID, a.Kind)
		for _, s := range a.Signers {
			ew.printf("          - {party: %s, role: <function of the signer>}\n", s)
		}
	}
	for _, t := range tpls {
		ew.printf("\n")
		writeTemplate(ew, t)
	}
	return ew.err
}

// writeTemplate describes a template's CSV layout for people.
func writeTemplate(ew *errWriter, t dossier.Template) {
	ew.printf("Template %s, %s, as CSV:\n", t.Name, t.Title)
	for _, c := range t.Columns {
		req := "optional"
		if c.Required {
			req = "required"
		}
		ew.printf("  %-24s %s; %s\n", c.Name, req, c.Help)
	}
	ew.printf("\n%s\nRules:\n", indentLines(t.Layout, "  "))
	for _, rule := range t.Rules {
		ew.printf("  - %s\n", rule)
	}
	ew.printf("\nExample:\n%s", indentLines(t.Example, "  "))
}

func answeredBy(s string) string {
	switch s {
	case "both":
		return "the Opérateur and the Client, each"
	case "client":
		return "the Client"
	}
	return "the Opérateur"
}

// foldText folds text into lines of at most width columns.
func foldText(s string, width int, prefix string) string {
	var lines []string
	line := prefix
	for _, w := range strings.Fields(s) {
		if len([]rune(line))+len([]rune(w))+1 > width && line != prefix {
			lines = append(lines, line)
			line = prefix
		}
		if line != prefix {
			line += " "
		}
		line += w
	}
	return strings.Join(append(lines, line), "\n")
}

// indentLines prefixes every line of s, each ending with a newline.
func indentLines(s, prefix string) string {
	var b strings.Builder
	for line := range strings.Lines(s) {
		b.WriteString(prefix + strings.TrimSuffix(line, "\n") + "\n")
	}
	return b.String()
}

func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func outputError(err error) error {
	if err != nil {
		return envError("", fmt.Errorf("writing the output: %w", err))
	}
	return nil
}
