package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/dossier"
	"github.com/drim-m/trust-space/tool/internal/registry"
)

type dossierVerifyOptions struct {
	env         *Env
	registry    string
	registrySet bool
	zed         string
	format      string
	record      string
}

func newDossierVerifyCmd(env *Env) *cobra.Command {
	opts := &dossierVerifyOptions{env: env}
	cmd := &cobra.Command{
		Use:   "verify --zed DIR RECORD",
		Short: "Check a ZED container, unpacked in a folder, against a DRIMbox's record",
		Long: `Check the ZED container unpacked in DIR against the record of a DRIMbox:

  - every document, attestation and the VA the record lists is in the
    container, with the SHA-256 the record gives (the VA document, which
    the operator supplies and may send apart, is checked when the container
    holds it); a document may sit in a
    sub-folder when its name appears only once;
  - the container holds nothing the record does not list;
  - symbolic links and special files are reported and never followed or
    read, and names in the record that would lead outside DIR are refused;
  - the ANS templates delivered as CSV follow their rules: the RACI matrix
    (COND-01), the escalation matrix (COND-13) and the flow matrix (COND-11).
    Their column layouts are in the manual's dossier-templates page and in
    'drimm explain COND-01', 'COND-13' and 'COND-11'.

CSV files may use commas, semicolons or tabs (detected), quotes, a UTF-8
byte-order mark, Windows-1252 text and any line ends, as spreadsheets save
them. Digests are streamed: documents of any size are fine.

Operators run it on their container before sending it; ANS reviewers run it
on the container they received. In text format, the detailed answers the
record holds follow the findings, each with the document extract it points
to and whether the container holds that document as the record lists it. Findings are printed as
path:line:col: RULE-ID: message, on the record for what it lists and on the
container's files for what they hold. Exit status 1 when there are findings.`,
		Example: `  drimm dossier verify --zed ~/ZED-2025-000003 3
  drimm dossier verify --zed ./received registry/operators/alpha-imagerie/drimboxes/3.yaml
  drimm dossier verify --zed ./received --format json db3`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.record = args[0]
			opts.registrySet = cmd.Flags().Changed("registry")
			return runDossierVerify(cmd.Context(), opts)
		},
		ValidArgsFunction: completeDRIMboxes(env),
	}
	f := cmd.Flags()
	f.StringVar(&opts.registry, "registry", "registry", "registry folder (default: the one holding RECORD when it is a path)")
	f.StringVar(&opts.zed, "zed", "", "folder holding the unpacked ZED container (required)")
	f.StringVar(&opts.format, "format", "text", "output format: text, github or json")
	cmd.MarkFlagDirname("zed")
	return cmd
}

// check refuses flag values that mean nothing. runDossierVerify calls it
// first, so that no caller reaches the work without it.
func (opts *dossierVerifyOptions) check() error {
	if opts.zed == "" {
		return usageError("unpack the ZED container into a folder and pass it with --zed DIR", "--zed is required")
	}
	if err := checkFormat(opts.format, "text", "github", "json"); err != nil {
		return err
	}
	return nil
}

func runDossierVerify(ctx context.Context, opts *dossierVerifyOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	env := opts.env
	dir := env.Path(opts.zed)
	switch st, err := os.Stat(dir); {
	case errors.Is(err, fs.ErrNotExist):
		return usageError("unpack the ZED container into a folder and pass it with --zed DIR", "no folder at %s", opts.zed)
	case err != nil:
		return envError("check the folder's permissions", err)
	case !st.IsDir() && strings.EqualFold(filepath.Ext(dir), ".zip"):
		return usageError(fmt.Sprintf("unpack it first, e.g. 'unzip -d %s %s', and pass that folder", strings.TrimSuffix(opts.zed, filepath.Ext(opts.zed)), opts.zed), "%s is an archive, not a folder", opts.zed)
	case !st.IsDir():
		return usageError("pass the folder that holds the unpacked ZED container", "%s is a file, not a folder", opts.zed)
	}
	r, d, own, err := findDRIMbox(env, opts.registry, opts.registrySet, opts.record)
	if err != nil {
		return err
	}
	if len(own) > 0 {
		return reportFindings(env, own, "the record has %d finding(s); fix it before checking a container against it (drimm validate)")
	}
	display := filepath.ToSlash(filepath.Clean(opts.zed))
	rep, err := dossier.Verify(ctx, r, d, dir, display)
	if err != nil {
		return envError("check that the container folder is readable", err)
	}
	details := detailedAnswers(d)
	markInContainer(details, rep.Files)
	if opts.format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if rep.Files == nil {
			rep.Files = []dossier.File{}
		}
		if rep.Findings == nil {
			rep.Findings = []registry.Finding{}
		}
		if err := enc.Encode(struct {
			Record    string `json:"record"`
			Container string `json:"container"`
			*dossier.Report
			DetailedAnswers []detailedAnswer `json:"detailed_answers,omitempty"`
		}{d.Source.Path, display, rep, details}); err != nil {
			return envError("", fmt.Errorf("writing the report: %w", err))
		}
	} else if err := printFindings(env.Stdout, opts.format, rep.Findings); err != nil {
		return envError("", fmt.Errorf("writing findings: %w", err))
	} else if opts.format == "text" {
		// The reviewer reads each detailed answer beside the extract it
		// points to; the github format carries findings only.
		ew := &errWriter{w: env.Stdout}
		printDetailedAnswers(ew, details)
		if ew.err != nil {
			return envError("", fmt.Errorf("writing the detailed answers: %w", ew.err))
		}
	}
	var templates []string
	for _, f := range rep.Files {
		if f.Template != "" {
			templates = append(templates, f.Template)
		}
	}
	summary := fmt.Sprintf("%d file(s) of DRIMbox %d checked in %s", len(rep.Files), d.Identifiant, display)
	if len(templates) > 0 {
		summary += ", templates " + strings.Join(templates, ", ")
	}
	if len(rep.Findings) > 0 {
		return findingsError("%s: %d finding(s)", summary, len(rep.Findings))
	}
	fmt.Fprintf(env.Stderr, "drimm: %s: the container matches the record\n", summary)
	return nil
}

// checkFormat refuses a --format value outside the allowed ones.
func checkFormat(format string, allowed ...string) error {
	for _, a := range allowed {
		if format == a {
			return nil
		}
	}
	return usageError("use --format "+strings.Join(allowed, ", "), "unknown format %q", format)
}
