package cli

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

type newOperatorOptions struct {
	env          *Env
	registry     string
	id           string
	denomination string
	siren        string
	maintainers  []string
	support      string
	security     string
	guichet      string
}

func newNewOperatorCmd(env *Env) *cobra.Command {
	opts := &newOperatorOptions{env: env}
	cmd := &cobra.Command{
		Use:   "operator --id ID --denomination NAME --siren N --maintainer LOGIN --support MAIL --security MAIL",
		Short: "Register a new Opérateur (ANS reviewers)",
		Long: `Write registry/operators/<ID>/operator.yaml for a new Opérateur. Only ANS
reviewers register operators; the maintainers listed may then open pull
requests for the operator's DRIMboxes.

An operator asks to be registered by writing to the guichet of the Espace de
Confiance, the ANS's functional mailbox for the trust space (no form), with
its legal name, SIREN, its maintainers' GitHub logins and its functional
mailboxes: support (published in the Liste Blanche as SupportContact of its
DRIMboxes unless a DRIMbox gives its own), security (incidents) and guichet
(where the ANS's guichet writes to it: ZED containers, decisions). In the same
message it asks for a ZED container per DRIMbox order: the secure channel
for the dossier's documents, which never enter git.`,
		Example: `  drimm new operator --id delta-imagerie --denomination "DELTA IMAGERIE FICTIVE" \
    --siren 912300043 --maintainer delta-ops --support support@delta.example --security securite@delta.example \
    --guichet guichet-drimbox@delta.example`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runNewOperator(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.registry, "registry", "registry", "registry folder")
	f.StringVar(&opts.id, "id", "", "operator folder name: lowercase letters, digits and dashes")
	f.StringVar(&opts.denomination, "denomination", "", "legal name, published as Denomination in the Liste Blanche")
	f.StringVar(&opts.siren, "siren", "", "SIREN (9 digits)")
	f.StringSliceVar(&opts.maintainers, "maintainer", nil, "GitHub login acting for the operator (repeatable)")
	f.StringVar(&opts.support, "support", "", "functional support mailbox")
	f.StringVar(&opts.security, "security", "", "functional security mailbox")
	f.StringVar(&opts.guichet, "guichet", "", "functional mailbox the ANS's guichet writes to (ZED containers, decisions)")
	return cmd
}

// operatorID is the schema's pattern of an operator's folder name.
var operatorID = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$`)

// check refuses flag values that mean nothing. runNewOperator calls it
// first, so that no caller reaches the work without it.
func (opts *newOperatorOptions) check() error {
	if opts.id == "" || opts.denomination == "" || opts.siren == "" || len(opts.maintainers) == 0 || opts.support == "" || opts.security == "" {
		return usageError("give --id, --denomination, --siren, at least one --maintainer, --support and --security", "missing required flags")
	}
	if !operatorID.MatchString(opts.id) {
		return usageError("give an operator id of lowercase letters, digits and dashes (the folder under registry/operators/)", "--id %q is not an operator id", opts.id)
	}
	return nil
}

func runNewOperator(_ context.Context, opts *newOperatorOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	dir := opts.env.Path(opts.registry)
	if _, _, err := loadRegistry(opts.env, dir); err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Opérateur %s. maintainers are changed by ANS reviewers only.\n", opts.id)
	fmt.Fprintf(&b, "id: %s\ndenomination: %s\nsiren: %s\nmaintainers:\n", opts.id, yamlString(opts.denomination), yamlString(opts.siren))
	for _, m := range opts.maintainers {
		fmt.Fprintf(&b, "  - %s\n", yamlString(m))
	}
	fmt.Fprintf(&b, "contacts:\n  support: %s\n  security: %s\n", yamlString(opts.support), yamlString(opts.security))
	if opts.guichet != "" {
		fmt.Fprintf(&b, "  guichet: %s\n", yamlString(opts.guichet))
	}
	return scaffold(opts.env, dir, registry.OperatorPath(opts.id), []byte(b.String()))
}
