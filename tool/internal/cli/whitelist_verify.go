package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/whitelist"
	"github.com/drim-m/trust-space/tool/internal/xades"
)

type whitelistVerifyOptions struct {
	env       *Env
	file      string
	trust     trustFlags
	state     string
	maxAge    time.Duration
	at        string
	namespace string
	format    string
}

func newWhitelistVerifyCmd(env *Env) *cobra.Command {
	opts := &whitelistVerifyOptions{env: env}
	cmd := &cobra.Command{
		Use:   "verify FILE",
		Short: "Verify a signed Liste Blanche as a DRIMbox does",
		Long: `Verify a signed Liste Blanche as DRIMbox software must before trusting it:
exactly one signature, in the ANS profile; both digests and the signature
value; SigningCertificateV2 naming the signer; a chain from the signer to a
pinned root (--trust-anchor), through the certificates in the list and --ca;
the signer's key usage, its validity at the signing time, its CN and OU;
revocation when --crl is given; the format; freshness (--max-age); and, with
--state, that the list is not older than the last one accepted. DOCTYPEs,
entities and comments are refused.

On success the entries are printed and the state file updated; otherwise the
reason is printed and the exit status is 1.`,
		Example: `  drimm whitelist verify --trust-anchor igc-sante-test-root.pem --ca igc-sante-test-org-ca.pem \
    --at 2026-03-17T14:46:08Z LISTEBLANCHE_DRIM-M_SIGNEE_TEST.2026.06.01.xml
  drimm whitelist verify --trust-anchor root.pem --crl ac-org.crl --state /var/lib/drimbox/lb.state \
    --max-age 72h --format json liste-blanche.xml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.file = args[0]
			if opts.format != "text" && opts.format != "json" {
				return usageError("use --format text or json", "unknown format %q", opts.format)
			}
			if opts.maxAge < 0 {
				return usageError("give a positive duration such as 72h", "--max-age is negative")
			}
			return runWhitelistVerify(cmd.Context(), opts)
		},
	}
	opts.trust.register(cmd)
	cmd.Flags().StringVar(&opts.state, "state", "", "state file: the last list accepted; refused if older, updated on success")
	cmd.Flags().DurationVar(&opts.maxAge, "max-age", 0, "refuse a list generated longer ago than this, e.g. 72h (default: not checked)")
	cmd.Flags().StringVar(&opts.at, "at", "", "verification time, RFC 3339 (default: now)")
	cmd.Flags().StringVar(&opts.namespace, "namespace", whitelist.DefaultNamespace, "expected XML namespace of the list")
	cmd.Flags().StringVar(&opts.format, "format", "text", "output: text or json")
	return cmd
}

func runWhitelistVerify(_ context.Context, opts *whitelistVerifyOptions) error {
	at, err := parseAt(opts.env, opts.at)
	if err != nil {
		return err
	}
	sigOpts, err := opts.trust.options(at)
	if err != nil {
		return err
	}
	vopts := whitelist.VerifyOptions{Signature: sigOpts, Namespace: opts.namespace, MaxAge: opts.maxAge}
	if opts.state != "" {
		if vopts.Last, err = whitelist.ReadState(opts.state); err != nil {
			return envError("remove or repair the state file only if you know why it is broken", err)
		}
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
	f, err := os.Open(path)
	if err != nil {
		return nil, envError("check the file path", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(xades.DefaultLimits.MaxBytes)+1))
	if err != nil {
		return nil, envError("", fmt.Errorf("reading %s: %w", path, err))
	}
	return data, nil
}

func whitelistRefusalHint(err error) string {
	switch {
	case errors.Is(err, xades.ErrUnsigned):
		return "a DRIMbox only trusts a signed list; download the signed one"
	case errors.Is(err, xades.ErrDigest), errors.Is(err, xades.ErrSignature):
		return "the file is not the one the ANS signed; download it again and keep the previous list"
	case errors.Is(err, xades.ErrCertificate):
		return "check --trust-anchor and --ca: the list must chain to the pinned IGC Santé root"
	case errors.Is(err, xades.ErrRevoked):
		return "the signer is revoked: keep the previous list and alert the ANS"
	case errors.Is(err, whitelist.ErrStale):
		return "the list is too old: fetch the current one; keep the previous list meanwhile"
	case errors.Is(err, whitelist.ErrRollback):
		return "an older list was served: keep the list already accepted"
	}
	return "keep the previous list; do not trust this one"
}

func writeWhitelistEntries(w io.Writer, l *whitelist.List) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "IDENTIFIANT\tDB\tVI\tDENOMINATION\tDATEMAJ")
	for _, d := range l.Domains {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", d.ID, d.DB, dashIfEmpty(d.VI), d.Denomination, whitelist.FormatTime(d.Updated))
	}
	return tw.Flush()
}

// verifiedJSON is what verify --format json prints for an accepted list.
type verifiedJSON struct {
	Verified    bool        `json:"verified"`
	File        string      `json:"file"`
	Generated   string      `json:"date_de_generation"`
	SigningTime string      `json:"signing_time"`
	Signer      string      `json:"signer"`
	Entries     []entryJSON `json:"entries"`
}

type entryJSON struct {
	ID             int    `json:"identifiant"`
	DB             string `json:"db"`
	VI             string `json:"vi"`
	Denomination   string `json:"denomination"`
	CertDN         string `json:"dn_certificat_operateur"`
	SupportContact string `json:"support_contact"`
	Updated        string `json:"date_maj"`
}

func whitelistJSONEntries(l *whitelist.List) []entryJSON {
	out := make([]entryJSON, 0, len(l.Domains))
	for _, d := range l.Domains {
		out = append(out, entryJSON{d.ID, d.DB, d.VI, d.Denomination, d.CertDN, d.SupportContact, whitelist.FormatTime(d.Updated)})
	}
	return out
}

// writeWhitelistJSON writes v as one line of JSON: lists of ten thousand
// entries are read by programs, and indenting them costs more than the
// verification.
func writeWhitelistJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
