package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/hsm"
)

type whitelistCSROptions struct {
	env                     *Env
	module, token, keyLabel string
	subject                 string
	out                     string
}

func newWhitelistCSRCmd(env *Env) *cobra.Command {
	opts := &whitelistCSROptions{env: env}
	cmd := &cobra.Command{
		Use:   "csr",
		Short: "Write a certificate request for the signing key in the HSM",
		Long: `Write a PEM certificate signing request (PKCS#10) for the key pair in the
PKCS#11 token, signed inside the token with SHA-256 and RSA: what the ANS
sends to IGC Santé for the ORG SIGN certificate of the Liste Blanche. The
private key never leaves the token; generate it there first (see
tool/docs/setup.md). The subject is written as the Liste Blanche writes
DNs, most significant last; C, ST, L, O, OU and CN are allowed, and CN, O
and C are required.

The PIN is read from ` + pinEnv + ` only.`,
		Example: `  DRIMM_PKCS11_PIN=… drimm whitelist csr --pkcs11-module /usr/lib/softhsm/libsofthsm2.so \
    --token-label drimm --key-label liste-blanche \
    --subject "CN=Liste Blanche DRIM-M,OU=318751275100020,O=AGENCE DU NUMERIQUE EN SANTE,ST=Paris (75),C=FR" \
    --out liste-blanche.csr.pem
  openssl req -in liste-blanche.csr.pem -noout -verify -subject`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runWhitelistCSR(opts)
		},
	}
	cmd.Flags().StringVar(&opts.module, "pkcs11-module", "", "PKCS#11 module of the HSM, e.g. /usr/lib/softhsm/libsofthsm2.so")
	cmd.Flags().StringVar(&opts.token, "token-label", "", "label of the HSM token holding the key")
	cmd.Flags().StringVar(&opts.keyLabel, "key-label", "", "label of the key pair in the token")
	cmd.Flags().StringVar(&opts.subject, "subject", "", `subject DN, e.g. "CN=Liste Blanche DRIM-M,OU=<SIRET>,O=<organisation>,C=FR"`)
	cmd.Flags().StringVar(&opts.out, "out", "", "file to write the PEM request to (default: stdout)")
	return cmd
}

func runWhitelistCSR(opts *whitelistCSROptions) error {
	env := opts.env
	if opts.module == "" || opts.token == "" || opts.keyLabel == "" {
		return usageError("give --pkcs11-module, --token-label and --key-label (and set "+pinEnv+")", "the key is not named")
	}
	if opts.subject == "" {
		return usageError(`give --subject "CN=…,OU=…,O=…,C=FR"`, "no subject")
	}
	pin := env.Getenv(pinEnv)
	if pin == "" {
		return envError("set the token's user PIN in the environment variable "+pinEnv+" (never on the command line)",
			fmt.Errorf("no HSM PIN: %s is not set", pinEnv))
	}
	s := &signerFlags{module: opts.module, token: opts.token, keyLabel: opts.keyLabel}
	key, err := hsm.Open(hsm.Config{Module: opts.module, Token: opts.token, KeyLabel: opts.keyLabel, PIN: pin})
	if err != nil {
		return envError(whitelistHSMHint(s, err), err)
	}
	defer key.Close()
	pemData, err := hsm.CSR(key, opts.subject)
	switch {
	case err != nil && strings.HasPrefix(err.Error(), "subject"):
		return usageError("write the subject as CN=…,OU=…,O=…,ST=…,C=FR", "%v", err)
	case err != nil:
		return envError(whitelistHSMHint(s, err), err)
	}
	if opts.out == "" {
		if _, err := env.Stdout.Write(pemData); err != nil {
			return outputError(err)
		}
		return nil
	}
	if err := writeFile(env, opts.out, pemData); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "drimm: certificate request written to %s\n", opts.out)
	return nil
}
