package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/whitelist"
	"github.com/drim-m/trust-space/tool/listeblanche/xades"
)

type whitelistPublishOptions struct {
	env      *Env
	registry string
	out      string
	at       string
	signer   signerFlags
	trust    trustFlags
}

func newWhitelistPublishCmd(env *Env) *cobra.Command {
	opts := &whitelistPublishOptions{env: env}
	cmd := &cobra.Command{
		Use:   "publish",
		Short: "Build, sign, verify and publish the Liste Blanche into whitelist/",
		Long: `Build the list from the registry, sign it in the HSM, verify what was signed
as a DRIMbox would (pinned root, signer CN and OU from trust-space.yaml), then
write the published folder: the current list, a dated copy under history/
and index.json, whose entries chain the SHA-256 of each list to the one
before. Each file is written atomically and the index last: after a failure
the folder is as it was.

Publishing degrades per DRIMbox, never as a whole, so that the list is
re-signed on schedule whatever one record says: a DRIMbox whose record (or
its operator's) has findings is held back — the list keeps the entry last
published for it, or leaves it out if it had none — and findings in
trust-space.yaml or conditions.yaml hold back every DRIMbox (the last list's
entries are re-signed). A record that says its DRIMbox is excluded or
withdrawn always removes it. The list is still published; the findings and
what was held back are printed as warnings and added to the job summary in
a workflow, and the exit status is 0 (drimm github held then keeps an issue
per held DRIMbox and exits 1).`,
		Example: `  DRIMM_PKCS11_PIN=… drimm whitelist publish --cert-chain signer-chain.pem \
    --pkcs11-module /usr/lib/softhsm/libsofthsm2.so --token-label drimm --key-label liste-blanche \
    --trust-anchor igc-sante-root.pem`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := opts.signer.check(); err != nil {
				return err
			}
			return runWhitelistPublish(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.registry, "registry", "registry", "registry folder")
	cmd.Flags().StringVar(&opts.out, "out", "whitelist", "published folder")
	cmd.Flags().StringVar(&opts.at, "at", "", "generation and signing time, RFC 3339 (default: now)")
	opts.signer.register(cmd)
	opts.trust.register(cmd)
	return cmd
}

func runWhitelistPublish(_ context.Context, opts *whitelistPublishOptions) error {
	at, err := parseAt(opts.env, opts.at)
	if err != nil {
		return err
	}
	sigOpts, err := opts.trust.options(opts.env, at)
	if err != nil {
		return err
	}
	// Publishing checks what was signed and by whom; whether the CA
	// revoked the key is for each DRIMbox to check, at its own time.
	sigOpts.Revocation = xades.RevocationSkipped
	out := opts.env.Path(opts.out)
	previous, err := readPublished(out)
	if err != nil {
		return err
	}
	l, reg, hold, held, err := buildHolding(opts.env, opts.env.Path(opts.registry), previous, at)
	if err != nil {
		return err
	}
	namespace, cn, ou := whitelistSettings(reg)
	if !opts.flagChanged("signer-cn") {
		sigOpts.SignerCN = cn
	}
	if !opts.flagChanged("signer-ou") {
		sigOpts.SignerOU = ou
	}
	if o := reg.TrustSpace.Signer.O; o != "" && !opts.flagChanged("signer-o") {
		sigOpts.SignerO = o
	}

	key, chain, release, err := opts.signer.open(opts.env, at)
	if err != nil {
		return err
	}
	defer release()
	pub, err := whitelist.Publish(whitelist.PublishOptions{
		Dir:    out,
		List:   l,
		Sign:   xades.SignOptions{Key: key, Chain: chain, Time: at},
		Verify: whitelist.VerifyOptions{Signature: sigOpts, Namespace: namespace},
	})
	if err != nil {
		if errors.Is(err, whitelist.ErrRollback) {
			return withHint(findingsError("%v", err), "publish with a later --at")
		}
		return envError("nothing was published; the previous list stays in place", err)
	}
	fmt.Fprintf(opts.env.Stderr, "drimm: published list %d: %s (%d DRIMbox(es), sha256 %s), dated copy %s\n",
		pub.Entry.Sequence, displayPath(opts.env, pub.Current), pub.Entry.Entries, pub.Entry.SHA256, displayPath(opts.env, pub.History))
	if previous != nil {
		if err := whitelist.Compare(previous, l).WriteText(opts.env.Stdout); err != nil {
			return err
		}
	}
	if hold.Empty() {
		return nil
	}
	return reportHeld(opts.env, pub.Entry.Sequence, hold, held)
}

// readPublished reads the list last published in a folder, or nil when
// there is none yet.
func readPublished(dir string) (*whitelist.List, error) {
	data, err := os.ReadFile(filepath.Join(dir, whitelist.CurrentFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, envError("check the published folder's permissions", err)
	}
	l, err := whitelist.Parse(data)
	if err != nil {
		return nil, envError("restore the published folder from git (git checkout -- whitelist/); nothing was published",
			fmt.Errorf("reading the last published list %s: %w", filepath.Join(dir, whitelist.CurrentFile), err))
	}
	return l, nil
}

// flagChanged is set by the command; publish takes the signer expectations
// from trust-space.yaml unless given on the command line.
func (o *whitelistPublishOptions) flagChanged(name string) bool {
	return o.trust.changed != nil && o.trust.changed(name)
}
