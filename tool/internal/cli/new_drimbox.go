package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/listeblanche/dn"
)

type newDRIMboxOptions struct {
	env          *Env
	registry     string
	operator     string
	funding      string
	dbHost       string
	viHost       string
	organisation string
	structureID  string
	departement  string
	contact      string
}

func newNewDRIMboxCmd(env *Env) *cobra.Command {
	opts := &newDRIMboxOptions{env: env}
	cmd := &cobra.Command{
		Use:   "drimbox --operator OP --db-host HOST",
		Short: "Declare a new DRIMbox with the next free Identifiant",
		Long: `Write registry/operators/<OP>/drimboxes/<Identifiant>.yaml for a new DRIMbox in
status declared, with the next Identifiant never used before. Its national
names will be db<Identifiant>.<zone> and vi<Identifiant>.<zone>.

Open a pull request with the file: that is the declaration procedure.`,
		Example: `  drimm new drimbox --operator alpha-imagerie --db-host gw7.alpha-imagerie.example \
    --organisation "CENTRE IMAGERIE FICTIF" --structure-id 312345678900017 --departement "Gironde (33)"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runNewDRIMbox(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.registry, "registry", "registry", "registry folder")
	f.StringVar(&opts.operator, "operator", "", "operator folder name (required)")
	f.StringVar(&opts.funding, "funding", registry.FundingSegur, "funding: segur or hors-segur")
	f.StringVar(&opts.dbHost, "db-host", "", "host the db name points to (required)")
	f.StringVar(&opts.viHost, "vi-host", "", "host the vi name points to (omit when there is no viewer)")
	f.StringVar(&opts.organisation, "organisation", "", "O of the server certificate (default: the operator's denomination)")
	f.StringVar(&opts.structureID, "structure-id", "", "OU of the server certificate: type digit then identifier (default: 2 + the operator's SIREN)")
	f.StringVar(&opts.departement, "departement", "", `ST of the server certificate, e.g. "Gironde (33)"`)
	f.StringVar(&opts.contact, "support-contact", "", "functional support mailbox (default: the operator's support contact)")
	return cmd
}

// check refuses flag values that mean nothing. runNewDRIMbox calls it
// first, so that no caller reaches the work without it.
func (opts *newDRIMboxOptions) check() error {
	if opts.operator == "" || opts.dbHost == "" {
		return usageError("give --operator (the operator's folder name) and --db-host (the host db<Identifiant> will point to)", "--operator and --db-host are required")
	}
	if opts.funding != registry.FundingSegur && opts.funding != registry.FundingHorsSegur {
		return usageError("use --funding segur or --funding hors-segur", "unknown funding %q", opts.funding)
	}
	return nil
}

func runNewDRIMbox(_ context.Context, opts *newDRIMboxOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	dir := opts.env.Path(opts.registry)
	r, _, err := loadRegistry(opts.env, dir)
	if err != nil {
		return err
	}
	op := r.Operators[opts.operator]
	if op == nil {
		return usageError("ask the ANS to register the operator first, or check the folder name under registry/operators/", "operator %q is not in the registry", opts.operator)
	}
	id, err := nextIdentifiant(dir)
	if err != nil {
		return envError("check that the registry is readable", err)
	}
	d := &registry.DRIMbox{Identifiant: id}
	org := opts.organisation
	if org == "" {
		org = op.Denomination
	}
	ou := opts.structureID
	if ou == "" {
		ou = "2" + op.SIREN
	}
	subject := fmt.Sprintf("CN=%s,OU=%s,O=%s", d.DBName(r.TrustSpace.Zone), ou, dn.Escape(org))
	if opts.departement != "" {
		subject += ",ST=" + dn.Escape(opts.departement)
	}
	subject += ",C=FR"
	contact := opts.contact
	if contact == "" {
		contact = op.Contacts.Support
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# DRIMbox %d, declared by %s. National names: %s and %s.\n", id, op.ID, d.DBName(r.TrustSpace.Zone), d.VIName(r.TrustSpace.Zone))
	fmt.Fprintf(&b, "# Next: fill the dossier (drimm dossier status), then set status: integrating.\n")
	fmt.Fprintf(&b, "identifiant: %d\noperator: %s\nstatus: declared\nfunding: %s\ndeclared_on: %s\n", id, op.ID, opts.funding, opts.env.Now().Format("2006-01-02"))
	fmt.Fprintf(&b, "support_contact: %s\nendpoints:\n  db: %s\n", contact, opts.dbHost)
	if opts.viHost != "" {
		fmt.Fprintf(&b, "  vi: %s\n", opts.viHost)
	}
	fmt.Fprintf(&b, "certificates:\n  server:\n    dn: %s\npacs: []\ndossier:\n  subcontracting: false\n", yamlString(subject))
	return scaffold(opts.env, dir, registry.DRIMboxPath(op.ID, id), []byte(b.String()))
}
