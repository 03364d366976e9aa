package cli

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/whitelist"
	"github.com/drim-m/trust-space/tool/internal/whitelist/fetch"
	"github.com/drim-m/trust-space/tool/listeblanche"
)

// DefaultListDir is where the manual's units keep the list on a DRIMbox.
const DefaultListDir = "/var/lib/drimbox/liste-blanche"

type whitelistPeerOptions struct {
	env    *Env
	cert   string
	host   string
	list   string
	maxAge time.Duration
	format string
}

const whitelistPeerLong = `Tell whether a peer's certificate is in the Liste Blanche the DRIMbox holds,
for shell integrations: the entry whose DNCertificatOperateur is the
certificate's subject, attribute for attribute as the ANS writes it, and,
with --host, whose db or vi name is the host the DRIMbox called.

The list is read from the entries.json that drimm whitelist fetch wrote
after verifying it (--list names its folder or the file), never from the
XML. This checks listing only: the TLS handshake must still verify the
peer's chain to the IGC Santé roots.

  0  listed: the entry is printed
  1  not listed
  2  usage error
  3  environment: the certificate or the list cannot be read
  4  stop trusting: the list held is older than --max-age, or its signer
     has expired`

func newWhitelistPeerCmd(env *Env) *cobra.Command {
	opts := &whitelistPeerOptions{env: env}
	cmd := &cobra.Command{
		Use:   "peer --cert FILE [--host NAME] [--list DIR]",
		Short: "Tell whether a peer's certificate is in the Liste Blanche held (exit 0 listed, 1 not)",
		Long:  whitelistPeerLong,
		Example: `  drimm whitelist peer --cert peer.pem --host db12.mesimagesmedicales.fr \
    --list /var/lib/drimbox/liste-blanche`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runWhitelistPeer(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.cert, "cert", "", "the peer's certificate, PEM (its first certificate) or DER")
	cmd.Flags().StringVar(&opts.host, "host", "", "the name the DRIMbox called; empty for a peer that called it")
	cmd.Flags().StringVar(&opts.list, "list", DefaultListDir, "folder drimm whitelist fetch keeps, or its entries.json")
	cmd.Flags().DurationVar(&opts.maxAge, "max-age", whitelist.DefaultMaxAge, "age of the list beyond which no peer is trusted")
	cmd.Flags().StringVar(&opts.format, "format", "text", "output: text or json")
	return cmd
}

func runWhitelistPeer(_ context.Context, opts *whitelistPeerOptions) error {
	switch {
	case opts.cert == "":
		return usageError("give the peer's certificate with --cert FILE", "--cert is required")
	case opts.format != "text" && opts.format != "json":
		return usageError("use --format text or json", "unknown format %q", opts.format)
	case opts.maxAge <= 0:
		return usageError("a DRIMbox always checks the list's age: give a positive --max-age", "--max-age must be positive")
	}
	cert, err := readPeerCert(opts.env.Path(opts.cert))
	if err != nil {
		return envError("--cert must be a PEM or DER certificate", err)
	}
	path := opts.env.Path(opts.list)
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, fetch.EntriesFile)
	}
	held, err := fetch.ReadEntries(path)
	if err != nil {
		return envError("--list names the folder drimm whitelist fetch keeps (it writes entries.json there once a list verified)", err)
	}
	now := opts.env.Now()
	switch {
	case now.Sub(held.Generated) > opts.maxAge:
		return &exitError{code: ExitStopTrusting, err: fmt.Errorf("the list held was generated %s, more than %s ago", whitelist.FormatTime(held.Generated), opts.maxAge),
			hint: "trust no peer until drimm whitelist fetch gets a current list"}
	case now.After(held.SignerNotAfter):
		return &exitError{code: ExitStopTrusting, err: fmt.Errorf("the signer of the list held expired on %s", whitelist.FormatTime(held.SignerNotAfter)),
			hint: "trust no peer until drimm whitelist fetch gets a list signed by a current key"}
	}
	list := &listeblanche.List{Generated: held.Generated, Entries: make([]listeblanche.Entry, len(held.Entries))}
	for i, e := range held.Entries {
		list.Entries[i] = listeblanche.Entry{ID: e.ID, DB: e.DB, VI: e.VI, Denomination: e.Denomination, CertDN: e.CertDN, SupportContact: e.SupportContact, Updated: e.Updated}
	}
	entry, err := list.Peer(cert, opts.host)
	if errors.Is(err, listeblanche.ErrNotListed) {
		return &exitError{code: ExitFindings, err: err, hint: "refuse this peer: the ANS does not list it (or lists it under another certificate)"}
	}
	if err != nil {
		return err
	}
	if opts.format == "json" {
		var e fetch.Entry
		for i := range list.Entries {
			if &list.Entries[i] == entry {
				e = held.Entries[i]
			}
		}
		return writeWhitelistJSON(opts.env.Stdout, struct {
			Listed bool        `json:"listed"`
			Entry  fetch.Entry `json:"entry"`
		}{true, e})
	}
	_, err = fmt.Fprintf(opts.env.Stdout, "listed: Identifiant %d, %s (%s)\n", entry.ID, entry.DB, entry.Denomination)
	return err
}

// readPeerCert reads the first certificate of a PEM file, or a DER one.
func readPeerCert(path string) (*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type == "CERTIFICATE" {
			return x509.ParseCertificate(block.Bytes)
		}
	}
	c, err := x509.ParseCertificate(data)
	if err != nil {
		return nil, fmt.Errorf("%s holds no PEM certificate and is not a DER one: %w", path, err)
	}
	return c, nil
}
