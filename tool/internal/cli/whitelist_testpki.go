package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/testpki"
)

type whitelistTestPKIOptions struct {
	env   *Env
	out   string
	token string
}

// newWhitelistTestPKICmd makes the throwaway PKI and SoftHSM2 token of the
// demo. It is hidden: nothing it makes may be trusted.
func newWhitelistTestPKICmd(env *Env) *cobra.Command {
	opts := &whitelistTestPKIOptions{env: env}
	cmd := &cobra.Command{
		Use:    "testpki",
		Hidden: true,
		Short:  "Make a throwaway IGC Santé-shaped PKI and a SoftHSM2 token for the demo",
		Long: `Write into --out a throwaway PKI shaped like IGC Santé (root.pem, org-ca.pem,
signer.pem, signer-key.pem, chain.pem, and crl.der, a current CRL of the CA), a SoftHSM2 configuration
(softhsm2.conf) with a token holding the signer key, and the token's PIN in
the file pin (mode 0600). Print the settings as shell assignments. For the
demo and tests only.`,
		Example: `  eval "$(drimm whitelist testpki --out .demo/pki)"
  DRIMM_PKCS11_PIN=$(cat .demo/pki/pin) drimm whitelist publish --cert-chain .demo/pki/chain.pem \
    --pkcs11-module "$PKCS11_MODULE" --token-label "$TOKEN_LABEL" --key-label "$KEY_LABEL" \
    --trust-anchor .demo/pki/root.pem`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runWhitelistTestPKI(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.out, "out", "", "folder to write the PKI and the token into")
	cmd.Flags().StringVar(&opts.token, "token-label", "drimm-demo", "label of the SoftHSM2 token to create")
	return cmd
}

// check refuses flag values that mean nothing. runWhitelistTestPKI calls it
// first, so that no caller reaches the work without it.
func (opts *whitelistTestPKIOptions) check() error {
	if opts.out == "" {
		return usageError("name the folder with --out DIR", "--out is required")
	}
	return nil
}

func runWhitelistTestPKI(_ context.Context, opts *whitelistTestPKIOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	out, err := filepath.Abs(opts.out)
	if err != nil {
		return envError("", err)
	}
	// A second PKI over the first would leave a token and files that no
	// longer match each other.
	if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
		return usageError(fmt.Sprintf("remove it first (rm -r %s) to make a new one, or reuse it (SOFTHSM2_CONF=%s, the PIN in %s)",
			opts.out, filepath.Join(opts.out, "softhsm", "softhsm2.conf"), filepath.Join(opts.out, "pin")),
			"%s already exists and is not empty", opts.out)
	}
	p, err := testpki.New(testpki.Options{Now: opts.env.Now()})
	if err != nil {
		return envError("", err)
	}
	files, err := p.WriteFiles(out)
	if err != nil {
		return envError("check that the folder is writable", err)
	}
	// A current CRL of the CA that revokes nothing, for verifying offline.
	crlDER, err := p.RevocationList(opts.env.Now().Add(-time.Hour))
	if err != nil {
		return envError("", err)
	}
	crlFile := filepath.Join(out, "crl.der")
	if err := os.WriteFile(crlFile, crlDER, 0o644); err != nil {
		return envError("", err)
	}
	h, err := testpki.NewSoftHSM(filepath.Join(out, "softhsm"))
	if err != nil {
		return envError("install softhsm2 (apt-get install softhsm2)", err)
	}
	pinBytes := make([]byte, 6)
	if _, err := rand.Read(pinBytes); err != nil {
		return envError("", err)
	}
	pin := hex.EncodeToString(pinBytes)
	tok, err := h.CreateToken(opts.token, pin, p.Signer, "liste-blanche")
	if err != nil {
		return envError("install softhsm2 (apt-get install softhsm2)", err)
	}
	pinFile := filepath.Join(out, "pin")
	if err := os.WriteFile(pinFile, []byte(pin+"\n"), 0o600); err != nil {
		return envError("", err)
	}
	fmt.Fprintf(opts.env.Stdout, "SOFTHSM2_CONF=%s\nPKCS11_MODULE=%s\nTOKEN_LABEL=%s\nKEY_LABEL=%s\nPIN_FILE=%s\nTRUST_ANCHOR=%s\nORG_CA=%s\nCRL=%s\nCERT_CHAIN=%s\nDEV_KEY=%s\n",
		tok.Conf, tok.Module, tok.Label, tok.KeyLabel, pinFile, files.Root, files.OrgCA, crlFile, files.Chain, files.SignerKey)
	fmt.Fprintf(opts.env.Stderr, "drimm: warning: throwaway test PKI and token in %s: never trust them outside tests and demos\n", out)
	return nil
}
