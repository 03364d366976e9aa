package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/whitelist"
)

type whitelistImportOptions struct {
	env        *Env
	file       string
	registry   string
	maintainer string
	funding    string
	unsigned   bool
	at         string
	trust      trustFlags
}

func newWhitelistImportCmd(env *Env) *cobra.Command {
	opts := &whitelistImportOptions{env: env}
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Turn a Liste Blanche the ANS publishes into registry records",
		Long: `Write one operator record per Denomination not yet in the registry and one
operational DRIMbox record per entry, so that drimm whitelist build gives
back the same entries (DateMAJ then comes from the git history). Existing
identical records are left alone; an existing DRIMbox publishing other fields
stops the import before anything is written.

What a list does not say gets a placeholder that drimm validate reports:
endpoints (*.a-completer.invalid), the operator's SIREN, certificate
fingerprints, the dossier.

The list's signature is verified first, as drimm whitelist verify does (but
for its age, which does not matter to an import): pin the root with
--trust-anchor. --unsigned imports a list without a signature, knowingly.`,
		Example: `  drimm whitelist import LISTEBLANCHE_DRIM-M.xml --trust-anchor igc-sante-root.pem --ca igc-sante-org-ca.pem
  drimm whitelist import LISTEBLANCHE_DRIM-M_NONSIGNEE.xml --unsigned --maintainer ans-reviewer-alpha`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.file = args[0]
			return runWhitelistImport(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.registry, "registry", "registry", "registry folder to write the records into")
	cmd.Flags().StringVar(&opts.maintainer, "maintainer", "", "GitHub login set as maintainer of new operators (default: the first ANS reviewer)")
	cmd.Flags().StringVar(&opts.funding, "funding", registry.FundingSegur, "funding of the imported DRIMboxes: segur or hors-segur")
	cmd.Flags().BoolVar(&opts.unsigned, "unsigned", false, "import the list without verifying a signature (the ANS's unsigned copy)")
	cmd.Flags().StringVar(&opts.at, "at", "", "verification time of the signature, RFC 3339 (default: now)")
	opts.trust.register(cmd)
	opts.trust.registerRevocation(cmd)
	return cmd
}

// check refuses flag values that mean nothing. runWhitelistImport calls it
// first, so that no caller reaches the work without it.
func (opts *whitelistImportOptions) check() error {
	if opts.funding != registry.FundingSegur && opts.funding != registry.FundingHorsSegur {
		return usageError("use --funding segur or hors-segur", "unknown funding %q", opts.funding)
	}
	return opts.checkTrust()
}

func runWhitelistImport(_ context.Context, opts *whitelistImportOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	data, err := readWhitelistFile(opts.file)
	if err != nil {
		return err
	}
	l, err := readImportedList(opts, data)
	if err != nil {
		return err
	}
	dir := opts.env.Path(opts.registry)
	reg, _, err := loadRegistry(opts.env, dir)
	if err != nil {
		return err
	}
	maintainer := opts.maintainer
	if maintainer == "" && len(reg.TrustSpace.Reviewers.Logins) > 0 {
		maintainer = reg.TrustSpace.Reviewers.Logins[0]
	}
	if maintainer == "" {
		return usageError("name the maintainer of new operators with --maintainer LOGIN", "no maintainer login")
	}
	rep, err := whitelist.Import(l, whitelist.ImportOptions{Dir: dir, Maintainer: maintainer, Funding: opts.funding})
	if err != nil {
		return withHint(findingsError("import refused, nothing written: %v", err), "")
	}
	for _, f := range rep.Files {
		fmt.Fprintln(opts.env.Stdout, displayPath(opts.env, dir)+"/"+f)
	}
	fmt.Fprintf(opts.env.Stderr, "drimm: imported %d DRIMbox(es) and %d operator(s); %d already present unchanged\n",
		len(rep.DRIMboxes), len(rep.Operators), len(rep.Unchanged))
	if len(rep.Files) > 0 {
		fmt.Fprintln(opts.env.Stderr, "drimm: hint: run drimm validate to see what each imported record still needs")
	}
	return nil
}

// readImportedList verifies the list's signature, unless --unsigned, and
// reads what the signature covers.
func readImportedList(opts *whitelistImportOptions, data []byte) (*whitelist.List, error) {
	if opts.unsigned {
		fmt.Fprintf(opts.env.Stderr, "drimm: warning: importing %s without verifying a signature (--unsigned)\n", opts.file)
		l, err := whitelist.Parse(data)
		if err != nil {
			return nil, withHint(findingsError("%s: %v", opts.file, err), "import a Liste Blanche in format 1.0.0")
		}
		return l, nil
	}
	at, err := parseAt(opts.env, opts.at)
	if err != nil {
		return nil, err
	}
	sigOpts, err := opts.trust.options(opts.env, at)
	if err != nil {
		return nil, err
	}
	v, err := whitelist.Verify(data, whitelist.VerifyOptions{Signature: sigOpts, Namespace: "", MaxAge: -1})
	if err != nil {
		return nil, withHint(findingsError("%s refused, nothing imported: %v", opts.file, err), whitelistRefusalHint(err))
	}
	for _, w := range v.Signed.Warnings {
		fmt.Fprintf(opts.env.Stderr, "drimm: warning: %s\n", w)
	}
	return v.List, nil
}

// checkTrust requires either a pinned root or --unsigned, not both.
func (o *whitelistImportOptions) checkTrust() error {
	switch {
	case o.unsigned && len(o.trust.anchors) > 0:
		return usageError("either verify the list (--trust-anchor) or import it unsigned (--unsigned)", "--unsigned cannot be used with --trust-anchor")
	case !o.unsigned && len(o.trust.anchors) == 0:
		return usageError("pin the root with --trust-anchor PEM, or import an unsigned copy knowingly with --unsigned", "--trust-anchor is required")
	}
	return nil
}
