package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/whitelist"
	"github.com/drim-m/trust-space/tool/listeblanche/xades"
)

type whitelistVerifyOptions struct {
	env    *Env
	file   string
	policy policyFlags
	state  string
	at     string
	format string
}

// policyFlags are a relying party's policy: whom to trust, revocation,
// freshness, the namespace, and the trust-space file giving the defaults.
type policyFlags struct {
	trust      trustFlags
	trustSpace string
	maxAge     time.Duration
	namespace  string
}

func (p *policyFlags) register(cmd *cobra.Command) {
	p.trust.register(cmd)
	p.trust.registerRevocation(cmd)
	cmd.Flags().StringVar(&p.trustSpace, "trust-space", "", "trust-space.yaml whose max_age, namespace and signer names are the defaults")
	cmd.Flags().DurationVar(&p.maxAge, "max-age", whitelist.DefaultMaxAge, "refuse a list generated longer ago than this; 0 does not check (archives only)")
	cmd.Flags().StringVar(&p.namespace, "namespace", whitelist.DefaultNamespace, "expected XML namespace of the list")
}

func (p *policyFlags) check() error {
	if p.maxAge < 0 {
		return usageError("give a positive duration such as 72h, or 0 not to check the age", "--max-age is negative")
	}
	return nil
}

const whitelistVerifyLong = `Verify a signed Liste Blanche as DRIMbox software must before trusting it,
strictly by default:

  - exactly one signature, in the ANS profile, and nothing unsigned in it
    (no xades:UnsignedProperties); DOCTYPEs, entities and comments refused;
  - both digests and the signature value; SigningCertificateV2 naming the
    signer;
  - a chain from the signer to a pinned root (--trust-anchor), through the
    certificates in the list and --ca, valid at the verification time;
  - the signer's key usage, CN, OU and O (--signer-cn, --signer-ou,
    --signer-o: the ANS's by default), read from the subject as encoded:
    a subject with a multi-valued RDN or an attribute twice is refused;
  - a signing time not after the verification time and not before the
    list's DateDeGeneration;
  - revocation: the CRLs the signer and CA certificates name are fetched
    over HTTP and cached until their nextUpdate (or read from --crl); with no
    current CRL the list is refused (--crl-soft-fail accepts it with a
    warning; --no-revocation-check skips the check, and says so);
  - the format; freshness (--max-age, the trust space's max_age by default);
  - with --state, that the list is not older than the last one accepted.

--trust-space reads the defaults of --max-age, --namespace and the signer's
names from a trust-space.yaml. --at verifies an archived list as of a past
time: the signer must have been valid then.

On success the entries are printed and the state file updated; otherwise the
reason is printed and the exit status is 1.`

func newWhitelistVerifyCmd(env *Env) *cobra.Command {
	opts := &whitelistVerifyOptions{env: env}
	cmd := &cobra.Command{
		Use:   "verify FILE",
		Short: "Verify a signed Liste Blanche as a DRIMbox does",
		Long:  whitelistVerifyLong,
		Example: `  drimm whitelist verify --trust-anchor root.pem --ca org-ca.pem --state /var/lib/drimbox/lb.state liste-blanche.xml
  drimm whitelist verify --trust-anchor igc-sante-test-root.pem --ca igc-sante-test-org-ca.pem \
    --at 2026-03-17T14:46:08Z --max-age 0 --no-revocation-check LISTEBLANCHE_DRIM-M_SIGNEE_TEST.2026.06.01.xml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.file = args[0]
			return runWhitelistVerify(cmd.Context(), opts)
		},
	}
	opts.policy.register(cmd)
	cmd.Flags().StringVar(&opts.state, "state", "", "state file: the last list accepted; refused if older, updated on success")
	cmd.Flags().StringVar(&opts.at, "at", "", "verification time, RFC 3339 (default: now)")
	cmd.Flags().StringVar(&opts.format, "format", "text", "output: text or json")
	return cmd
}

// options turn the flags into verification options at time at, with the
// defaults of --trust-space for what the command line does not say, and
// the last state accepted from stateFile when not empty.
func (p *policyFlags) options(env *Env, at time.Time, stateFile string) (whitelist.VerifyOptions, error) {
	if p.trustSpace != "" {
		if err := p.applyTrustSpace(); err != nil {
			return whitelist.VerifyOptions{}, err
		}
	}
	sigOpts, err := p.trust.options(env, at)
	if err != nil {
		return whitelist.VerifyOptions{}, err
	}
	vopts := whitelist.VerifyOptions{Signature: sigOpts, Namespace: p.namespace, MaxAge: p.maxAge}
	if p.maxAge == 0 {
		vopts.MaxAge = -1
		fmt.Fprintln(env.Stderr, "drimm: warning: the list's age is not checked (--max-age 0)")
	}
	if p.trust.noRevocation {
		fmt.Fprintln(env.Stderr, "drimm: warning: revocation is not checked (--no-revocation-check): a revoked signer would be accepted")
	}
	if stateFile != "" {
		if vopts.Last, err = whitelist.ReadState(stateFile); err != nil {
			return vopts, envError("remove or repair the state file only if you know why it is broken", err)
		}
	}
	return vopts, nil
}

// applyTrustSpace takes max_age, the namespace and the signer's names from
// a trust-space.yaml, for the flags not given.
func (o *policyFlags) applyTrustSpace() error {
	data, err := os.ReadFile(o.trustSpace)
	if err != nil {
		return envError("--trust-space names the registry's trust-space.yaml", err)
	}
	var ts registry.TrustSpace
	if _, findings := registry.DecodeRecord(o.trustSpace, registry.KindTrustSpace, data, &ts); len(findings) > 0 {
		return withHint(findingsError("%s", findings[0].String()), "--trust-space names the registry's trust-space.yaml")
	}
	set := func(flag string, dst *string, v string) {
		if v != "" && !o.trust.changed(flag) {
			*dst = v
		}
	}
	set("namespace", &o.namespace, ts.Whitelist.Namespace)
	set("signer-cn", &o.trust.signerCN, ts.Signer.CN)
	set("signer-ou", &o.trust.signerOU, ts.Signer.OU)
	set("signer-o", &o.trust.signerO, ts.Signer.O)
	if ts.Whitelist.MaxAge.Duration > 0 && !o.trust.changed("max-age") {
		o.maxAge = ts.Whitelist.MaxAge.Duration
	}
	return nil
}

// check refuses flag values that mean nothing. runWhitelistVerify calls it
// first, so that no caller reaches the work without it.
func (opts *whitelistVerifyOptions) check() error {
	if opts.format != "text" && opts.format != "json" {
		return usageError("use --format text or json", "unknown format %q", opts.format)
	}
	if err := opts.policy.check(); err != nil {
		return err
	}
	return nil
}

func runWhitelistVerify(_ context.Context, opts *whitelistVerifyOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	at, err := parseAt(opts.env, opts.at)
	if err != nil {
		return err
	}
	vopts, err := opts.policy.options(opts.env, at, opts.state)
	if err != nil {
		return err
	}
	data, err := readWhitelistFile(opts.file)
	if err != nil {
		return err
	}
	v, verr := whitelist.Verify(data, vopts)
	if verr != nil {
		if opts.format == "json" {
			writeWhitelistJSON(opts.env.Stdout, map[string]any{"verified": false, "file": opts.file, "reason": verr.Error()})
		}
		return withHint(findingsError("%s refused: %v", opts.file, verr), whitelistRefusalHint(verr))
	}
	for _, w := range v.Signed.Warnings {
		fmt.Fprintf(opts.env.Stderr, "drimm: warning: %s\n", w)
	}
	if opts.state != "" {
		if err := whitelist.WriteState(opts.state, v.State); err != nil {
			return envError("the list verified but the state was not saved; check the state file's folder", err)
		}
	}
	if opts.format == "json" {
		return writeWhitelistJSON(opts.env.Stdout, verifiedJSON{
			Verified:    true,
			File:        opts.file,
			Generated:   whitelist.FormatTime(v.List.Generated),
			SigningTime: whitelist.FormatTime(v.Signed.SigningTime),
			Signer:      v.Signed.Signer.Subject.String(),
			Warnings:    v.Signed.Warnings,
			Entries:     whitelistJSONEntries(v.List),
		})
	}
	fmt.Fprintf(opts.env.Stderr, "drimm: %s verified: %d DRIMbox(es), generated %s, signed by %q at %s\n",
		opts.file, len(v.List.Domains), whitelist.FormatTime(v.List.Generated), v.Signed.Signer.Subject.CommonName, whitelist.FormatTime(v.Signed.SigningTime))
	return writeWhitelistEntries(opts.env.Stdout, v.List)
}

// readBounded reads a list, refusing files over the verifier's size limit
// before reading them whole.
func readWhitelistFile(path string) ([]byte, error) {
	data, err := readWhole(path, xades.DefaultLimits.MaxBytes)
	if err != nil {
		return nil, envError("check the file path", err)
	}
	return data, nil
}
