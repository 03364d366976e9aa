package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/dossier"
	"github.com/drim-m/trust-space/tool/internal/registry"
)

type dossierStatusOptions struct {
	env         *Env
	registry    string
	registrySet bool
	format      string
	record      string
}

func newDossierStatusCmd(env *Env) *cobra.Command {
	opts := &dossierStatusOptions{env: env}
	cmd := &cobra.Command{
		Use:   "status RECORD",
		Short: "List what a DRIMbox's record still lacks for its next step",
		Long: `Print the checklist of what the record of a DRIMbox still lacks for its next
step — declaration → integration request → aptitude, or exclusion →
reintegration — in the order an operator works: the ZED container, the
documents, the signed attestations, each party's answers, the certificates,
then the Validation d'Aptitude document, which the operator supplies; once
nothing else is missing, the last item is the ANS's decision. Each item says
who acts (Opérateur, Client, ANS), what to add to the record, and where.
Then the detailed answers the record holds (dossier.answers.COND-xx.
operator_detail and client_detail: a text, a document the dossier lists and
an extract of it), which the ANS's condition tables ask for and nothing
publishes.

The checklist is information, not a verdict: the exit status is 0 whatever
is missing. 'drimm validate' is what refuses an incomplete dossier.`,
		Example: `  drimm dossier status 6
  drimm dossier status registry/operators/beta-teleradiologie/drimboxes/6.yaml
  drimm dossier status --format json db3`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.record = args[0]
			opts.registrySet = cmd.Flags().Changed("registry")
			return runDossierStatus(cmd.Context(), opts)
		},
		ValidArgsFunction: completeDRIMboxes(env),
	}
	cmd.Flags().StringVar(&opts.registry, "registry", "registry", "registry folder (default: the one holding RECORD when it is a path)")
	cmd.Flags().StringVar(&opts.format, "format", "text", "output format: text or json")
	return cmd
}

// check refuses flag values that mean nothing. runDossierStatus calls it
// first, so that no caller reaches the work without it.
func (opts *dossierStatusOptions) check() error {
	if err := checkFormat(opts.format, "text", "json"); err != nil {
		return err
	}
	return nil
}

func runDossierStatus(_ context.Context, opts *dossierStatusOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	r, d, own, err := findDRIMbox(opts.env, opts.registry, opts.registrySet, opts.record)
	if err != nil {
		return err
	}
	for _, f := range own {
		fmt.Fprintln(opts.env.Stderr, f.String())
	}
	if len(own) > 0 {
		fmt.Fprintf(opts.env.Stderr, "drimm: the record has %d finding(s) (above); the checklist assumes them fixed\n", len(own))
	}
	cl := dossier.Status(r, d)
	details := detailedAnswers(d)
	if opts.format == "json" {
		enc := json.NewEncoder(opts.env.Stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(struct {
			dossier.Checklist
			DetailedAnswers []detailedAnswer `json:"detailed_answers,omitempty"`
		}{cl, details})
	} else if err = printChecklist(opts.env.Stdout, r, d, cl); err == nil {
		ew := &errWriter{w: opts.env.Stdout}
		printDetailedAnswers(ew, details)
		err = ew.err
	}
	if err != nil {
		return envError("", fmt.Errorf("writing the checklist: %w", err))
	}
	return nil
}

var stepTitles = map[string]string{
	dossier.StepContainer:    "ZED container",
	dossier.StepDocuments:    "documents",
	dossier.StepAttestations: "attestations",
	dossier.StepAnswers:      "answers",
	dossier.StepCertificates: "certificates",
	dossier.StepAptitude:     "aptitude",
}

func actorName(party string) string {
	switch party {
	case dossier.PartyClient:
		return "Client"
	case dossier.PartyBoth:
		return "Opérateur + Client"
	case dossier.PartyANS:
		return "ANS"
	}
	return "Opérateur"
}

func printChecklist(w io.Writer, r *registry.Registry, d *registry.DRIMbox, cl dossier.Checklist) error {
	ew := &errWriter{w: w}
	ew.printf("DRIMbox %d (%s), operator %s, status %s.\n", d.Identifiant, d.DBName(r.TrustSpace.Zone), d.Operator, d.Status)
	switch {
	case d.Status == registry.StatusWithdrawn:
		ew.printf("Withdrawn is final: nothing more to do; the name stays reserved for ever.\n")
		return ew.err
	case cl.Next == nil:
		ew.printf("Operational: updates keep the dossier complete.\n")
	case cl.Next.By == dossier.PartyANS:
		ew.printf("Next: %s (%s → %s), made by an ANS reviewer.\n", cl.Next.Procedure, d.Status, cl.Next.Status)
	default:
		ew.printf("Next: %s (%s → %s), a pull request the operator opens.\n", cl.Next.Procedure, d.Status, cl.Next.Status)
	}
	if len(cl.Items) == 0 {
		switch {
		case cl.Next == nil:
			ew.printf("Nothing is missing.\n")
		case cl.Next.By == dossier.PartyANS:
			ew.printf("Nothing is missing on the operator's side: an ANS reviewer can set status: %s.\n", cl.Next.Status)
		default:
			ew.printf("Nothing is missing: open the pull request that sets status: %s.\n", cl.Next.Status)
		}
		return ew.err
	}
	ew.printf("\nTo do, in order (%d):\n", len(cl.Items))
	for i, it := range cl.Items {
		ew.printf("%3d. [%s] %s: %s\n", i+1, actorName(it.Party), stepTitles[it.Step], it.Message)
		ew.printf("     %s:%d:%d\n", cl.Path, it.Line, it.Col)
	}
	if cl.Next != nil && cl.Next.By != dossier.PartyANS {
		ew.printf("\nThen open the pull request that sets status: %s.\n", cl.Next.Status)
	}
	return ew.err
}

// errWriter keeps the first write error so that a report of many lines
// checks it once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
