package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/whitelist/kit"
)

type whitelistTestvectorsOptions struct {
	env    *Env
	out    string
	source listSource
}

func newWhitelistTestvectorsCmd(env *Env) *cobra.Command {
	opts := &whitelistTestvectorsOptions{env: env}
	cmd := &cobra.Command{
		Use:   "testvectors",
		Short: "Write a homologation kit: lists a DRIMbox must accept or refuse",
		Long: `Write a homologation kit for DRIMbox vendors into --out: a throwaway test PKI
(root.pem to pin, org-ca.pem, crl.der and an expired crl-expired.der), a
valid list of the registry's entries, and lists a correct verifier must
refuse (unsigned, one byte changed, wrong signer CN or O, expired signer,
expired key with a backdated signing time, signing time before
DateDeGeneration or in the future, another root, revoked signer, only an
expired CRL, unsigned properties, wrapped signature, second signature,
comment injected, DOCTYPE, too old, older than the last accepted), each
described with its expected verdict in testvectors.json. drimm checks each
verdict with its own verifier before writing.`,
		Example: `  drimm whitelist testvectors --out homologation-kit`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runWhitelistTestvectors(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.out, "out", "", "folder to write the kit into")
	opts.source.register(cmd, "registry whose entries the lists carry", "signing and verification time of the kit, RFC 3339 (default: now)")
	return cmd
}

// check refuses flag values that mean nothing. runWhitelistTestvectors calls it
// first, so that no caller reaches the work without it.
func (opts *whitelistTestvectorsOptions) check() error {
	if opts.out == "" {
		return usageError("name the kit's folder with --out DIR", "--out is required")
	}
	return nil
}

func runWhitelistTestvectors(_ context.Context, opts *whitelistTestvectorsOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	l, _, at, err := opts.source.build(opts.env)
	if err != nil {
		return err
	}
	made, err := kit.Write(opts.out, l, at)
	if err != nil {
		return envError("", err)
	}
	for _, v := range made.Vectors {
		fmt.Fprintf(opts.env.Stdout, "%-29s %-6s %-10s %s\n", v.File, v.Expect, v.Check, v.Why)
	}
	fmt.Fprintf(opts.env.Stderr, "drimm: wrote %d vectors to %s; test keys only, never to be trusted\n", len(made.Vectors), opts.out)
	return nil
}
