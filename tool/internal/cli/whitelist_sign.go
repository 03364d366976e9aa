package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/atomicfile"
	"github.com/drim-m/trust-space/tool/internal/whitelist"
	"github.com/drim-m/trust-space/tool/listeblanche/xades"
)

type whitelistSignOptions struct {
	env    *Env
	in     string
	out    string
	at     string
	signer signerFlags
}

func newWhitelistSignCmd(env *Env) *cobra.Command {
	opts := &whitelistSignOptions{env: env}
	cmd := &cobra.Command{
		Use:   "sign",
		Short: "Sign a Liste Blanche with the key in the HSM",
		Long: `Sign an unsigned Liste Blanche with an enveloped XAdES-BASELINE-B signature in
the ANS profile (RSA-SHA256, exclusive C14N, XPath Filter 2.0, SigningTime,
SigningCertificateV2, DataObjectFormat text/xml, the whole chain in KeyInfo).

The key stays in the PKCS#11 token; the PIN is read from ` + pinEnv + `.
--dev-key signs with a software key, for the demo only, and says so.`,
		Example: `  DRIMM_PKCS11_PIN=… drimm whitelist sign --in liste-blanche.xml --out liste-blanche.signed.xml \
    --cert-chain signer-chain.pem --pkcs11-module /usr/lib/softhsm/libsofthsm2.so \
    --token-label drimm --key-label liste-blanche`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runWhitelistSign(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.in, "in", "", "unsigned list")
	cmd.Flags().StringVar(&opts.out, "out", "", "signed list to write")
	cmd.Flags().StringVar(&opts.at, "at", "", "signing time, RFC 3339 (default: now)")
	opts.signer.register(cmd)
	return cmd
}

// check refuses flag values that mean nothing. runWhitelistSign calls it
// first, so that no caller reaches the work without it.
func (opts *whitelistSignOptions) check() error {
	if opts.in == "" || opts.out == "" {
		return usageError("give the list to sign with --in and where to write it with --out", "--in and --out are required")
	}
	if err := opts.signer.check(); err != nil {
		return err
	}
	return nil
}

func runWhitelistSign(_ context.Context, opts *whitelistSignOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	at, err := parseAt(opts.env, opts.at)
	if err != nil {
		return err
	}
	// Loading the PKCS#11 module and logging in take about as long as
	// reading a large list; the two need not wait for each other. The key
	// signs only once the list is accepted.
	pending := opts.signer.openSoon(opts.env, at)
	defer pending.close()
	// One reading: the bytes held to the format are the bytes signed and
	// written, whatever happens to the file meanwhile.
	data, err := readWhole(opts.in, xades.DefaultLimits.MaxBytes)
	if err != nil {
		return envError("check the --in path", err)
	}
	prepared, err := whitelist.Prepare(data)
	if err != nil {
		return withHint(findingsError("%s: %v", opts.in, err), "sign a list made by drimm whitelist build")
	}
	key, chain, err := pending.wait()
	if err != nil {
		return err
	}
	sig, err := prepared.Sign(xades.SignOptions{Key: key, Chain: chain, Time: at})
	if err != nil {
		return envError("check that --cert-chain starts with the certificate of the key", err)
	}
	if err := atomicfile.WriteParts(opts.out, 0o644, prepared.Parts(sig)...); err != nil {
		return envError("check that the output folder is writable", err)
	}
	fmt.Fprintf(opts.env.Stderr, "drimm: signed %s as %q at %s\n", opts.out, chain[0].Subject.String(), whitelist.FormatTime(at))
	return nil
}
