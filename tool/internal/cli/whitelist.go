package cli

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/hsm"
	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/whitelist"
	"github.com/drim-m/trust-space/tool/listeblanche/crl"
	"github.com/drim-m/trust-space/tool/listeblanche/xades"
)

// pinEnv is the only place the HSM PIN is read from.
const pinEnv = "DRIMM_PKCS11_PIN"

func newWhitelistCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "whitelist",
		Short: "Build, sign, verify and publish the Liste Blanche",
		Long: `The Liste Blanche DRIM-M is the signed XML list of the DRIMboxes that are
operational in the trust space, in the ANS format (versionFormat 1.0.0),
signed with an enveloped XAdES-BASELINE-B signature by the ANS's
"Liste Blanche DRIM-M" certificate, whose key stays in an HSM.

The HSM PIN is read from the environment variable ` + pinEnv + ` only.`,
	}
	cmd.AddCommand(
		newWhitelistBuildCmd(env),
		newWhitelistCSRCmd(env),
		newWhitelistDiffCmd(env),
		newWhitelistFetchCmd(env),
		newWhitelistImportCmd(env),
		newWhitelistPeerCmd(env),
		newWhitelistPublishCmd(env),
		newWhitelistSignCmd(env),
		newWhitelistTestPKICmd(env),
		newWhitelistTestvectorsCmd(env),
		newWhitelistVerifyCmd(env),
	)
	return cmd
}

// signerFlags say where the signing key and its certificates are.
type signerFlags struct {
	module, token, keyLabel string
	devKey                  string
	certChain               string
}

func (s *signerFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&s.certChain, "cert-chain", "", "PEM file: the signer certificate, then its CA and root (all go into the signature)")
	cmd.Flags().StringVar(&s.module, "pkcs11-module", "", "PKCS#11 module of the HSM, e.g. /usr/lib/softhsm/libsofthsm2.so")
	cmd.Flags().StringVar(&s.token, "token-label", "", "label of the HSM token holding the key")
	cmd.Flags().StringVar(&s.keyLabel, "key-label", "", "label of the signing key pair in the token")
	cmd.Flags().StringVar(&s.devKey, "dev-key", "", "PEM private key file, for the demo only: a published list is signed in an HSM")
}

func (s *signerFlags) check() error {
	if s.certChain == "" {
		return usageError("give the signer's certificate chain with --cert-chain PEM", "--cert-chain is required")
	}
	hsmGiven := s.module != "" || s.token != "" || s.keyLabel != ""
	switch {
	case s.devKey != "" && hsmGiven:
		return usageError("sign either in the HSM or, for the demo, with --dev-key", "--dev-key cannot be used with the PKCS#11 flags")
	case s.devKey == "" && (s.module == "" || s.token == "" || s.keyLabel == ""):
		return usageError("give --pkcs11-module, --token-label and --key-label (and set "+pinEnv+")", "the signing key is not named")
	}
	return nil
}

// open returns the signing key and the certificate chain, and a function
// that releases the key.
func (s *signerFlags) open(env *Env, at time.Time) (crypto.Signer, []*x509.Certificate, func(), error) {
	chain, err := readPEMCerts(s.certChain)
	if err != nil {
		return nil, nil, nil, envError("--cert-chain must be a PEM file of certificates, the signer's first", err)
	}
	// Every DRIMbox refuses a list whose signer is not valid when it
	// verifies; signing one is publishing nothing.
	if c := chain[0]; at.Before(c.NotBefore) || at.After(c.NotAfter) {
		return nil, nil, nil, withHint(findingsError("the signer certificate %q is not valid at the signing time %s (valid from %s to %s)",
			c.Subject.CommonName, whitelist.FormatTime(at), whitelist.FormatTime(c.NotBefore), whitelist.FormatTime(c.NotAfter)),
			"sign with a current Liste Blanche DRIM-M certificate (--cert-chain)")
	}
	if s.devKey != "" {
		fmt.Fprintf(env.Stderr, "drimm: warning: signing with the software key %s: for the demo only; a published Liste Blanche is signed with a key in an HSM\n", s.devKey)
		key, err := readPEMKey(s.devKey)
		if err != nil {
			return nil, nil, nil, envError("--dev-key must be a PEM private key (PKCS#8 or PKCS#1)", err)
		}
		return key, chain, func() {}, nil
	}
	pin := env.Getenv(pinEnv)
	if pin == "" {
		return nil, nil, nil, envError("set the token's user PIN in the environment variable "+pinEnv+" (never on the command line)",
			fmt.Errorf("no HSM PIN: %s is not set", pinEnv))
	}
	key, err := hsm.Open(hsm.Config{Module: s.module, Token: s.token, KeyLabel: s.keyLabel, PIN: pin})
	if err != nil {
		return nil, nil, nil, envError(whitelistHSMHint(s, err), err)
	}
	return key, chain, func() { key.Close() }, nil
}

func whitelistHSMHint(s *signerFlags, err error) string {
	switch {
	case errors.Is(err, hsm.ErrNoCgo):
		return "sign with a drimm built with cgo (a plain go build on a machine with a C compiler); verifying and fetching need no cgo"
	case errors.Is(err, hsm.ErrPIN):
		return "check " + pinEnv + "; the token locks after too many wrong PINs"
	case errors.Is(err, hsm.ErrToken):
		return fmt.Sprintf("list the tokens with: pkcs11-tool --module %s --list-token-slots", s.module)
	case errors.Is(err, hsm.ErrKey):
		return fmt.Sprintf("list the keys with: pkcs11-tool --module %s --token-label %q --login --list-objects", s.module, s.token)
	case errors.Is(err, hsm.ErrModule):
		return "check --pkcs11-module: the HSM vendor's PKCS#11 library (softhsm2 for tests)"
	}
	return ""
}

// trustFlags are a relying party's trust: pinned roots, extra CAs, CRLs,
// the expected signer, and what to do about revocation.
type trustFlags struct {
	anchors, cas, crls          []string
	signerCN, signerOU, signerO string
	noRevocation, crlSoftFail   bool
	crlCache                    string
	// changed tells whether a flag was given on the command line.
	changed func(name string) bool
}

func (t *trustFlags) register(cmd *cobra.Command) {
	t.changed = func(name string) bool { return cmd.Flags().Changed(name) }
	cmd.Flags().StringArrayVar(&t.anchors, "trust-anchor", nil, "PEM file of the pinned root certificate(s) (repeatable)")
	cmd.Flags().StringArrayVar(&t.cas, "ca", nil, "PEM file of intermediate CA certificates not carried in the list, e.g. the ORGANISATIONS CA (repeatable)")
	cmd.Flags().StringVar(&t.signerCN, "signer-cn", whitelist.SignerCN, "CN the signer certificate must have")
	cmd.Flags().StringVar(&t.signerOU, "signer-ou", whitelist.SignerOU, "OU the signer certificate must have")
	cmd.Flags().StringVar(&t.signerO, "signer-o", whitelist.SignerO, "O the signer certificate must have")
}

// registerRevocation adds the flags of a relying party that checks
// revocation: the command that publishes checks its own signature, not
// whether the CA revoked its key.
func (t *trustFlags) registerRevocation(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&t.crls, "crl", nil, "CRL file (DER or PEM) of the signer's CA, used instead of fetching it (repeatable)")
	cmd.Flags().BoolVar(&t.noRevocation, "no-revocation-check", false, "do not check whether the signer is revoked (says so on every run)")
	cmd.Flags().BoolVar(&t.crlSoftFail, "crl-soft-fail", false, "when no current CRL can be had, accept with a warning instead of refusing")
	cmd.Flags().StringVar(&t.crlCache, "crl-cache", "", "folder keeping fetched CRLs until their nextUpdate (default: drimm's cache folder)")
}

// options reads the trust files into verification options at time now.
// CRLs not given with --crl are fetched from the certificates'
// distribution points through env's HTTP client, and cached.
func (t *trustFlags) options(env *Env, now time.Time) (xades.VerifyOptions, error) {
	opts := xades.VerifyOptions{SignerCN: t.signerCN, SignerOU: t.signerOU, SignerO: t.signerO, Now: now}
	if len(t.anchors) == 0 {
		return opts, usageError("pin the root with --trust-anchor PEM (for IGC Santé TEST: igc-sante-test-root.pem)", "--trust-anchor is required")
	}
	// An empty name checks nothing: any certificate the CA issued, to any
	// organisation, could sign the list. An unset shell variable must not
	// turn the check off.
	for _, f := range []struct{ flag, value string }{{"signer-cn", t.signerCN}, {"signer-ou", t.signerOU}, {"signer-o", t.signerO}} {
		if f.value == "" {
			return opts, usageError("leave --"+f.flag+" out for the ANS's value, or give the signer's", "--%s is empty: a list signed by any certificate of the CA would be accepted", f.flag)
		}
	}
	if t.noRevocation && (t.crlSoftFail || len(t.crls) > 0) {
		return opts, usageError("either check revocation (--crl, --crl-soft-fail) or not (--no-revocation-check)", "--no-revocation-check cannot be used with --crl or --crl-soft-fail")
	}
	for _, f := range t.anchors {
		certs, err := readPEMCerts(f)
		if err != nil {
			return opts, envError("--trust-anchor must be a PEM file of certificates", err)
		}
		for _, c := range certs {
			if err := xades.CheckAnchor(c); err != nil {
				return opts, usageError("--trust-anchor takes the root CA certificate that issued the ORGANISATIONS CA (IGC Santé's root), not the signer's or a server's certificate",
					"--trust-anchor %s: %v", f, err)
			}
		}
		opts.Roots = append(opts.Roots, certs...)
	}
	for _, f := range t.cas {
		certs, err := readPEMCerts(f)
		if err != nil {
			return opts, envError("--ca must be a PEM file of certificates", err)
		}
		opts.Intermediates = append(opts.Intermediates, certs...)
	}
	for _, f := range t.crls {
		crl, err := readCRLFile(f)
		if err != nil {
			return opts, envError("--crl must be a CRL in DER or PEM", err)
		}
		opts.CRLs = append(opts.CRLs, crl)
	}
	switch {
	case t.noRevocation:
		opts.Revocation = xades.RevocationSkipped
	case t.crlSoftFail:
		opts.Revocation = xades.RevocationSoftFail
	}
	opts.FetchCRLs = t.crlFetcher(env, now).CRLs
	return opts, nil
}

// crlFetcher fetches the CRLs not given with --crl, through env's HTTP
// client, into --crl-cache.
func (t *trustFlags) crlFetcher(env *Env, now time.Time) *crl.Fetcher {
	cache := t.crlCache
	if cache == "" && env.CacheDir != "" {
		cache = filepath.Join(env.CacheDir, "crl")
	}
	return &crl.Fetcher{Client: env.HTTP, CacheDir: cache, Now: func() time.Time { return now }}
}

func readPEMCerts(path string) ([]*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []*x509.Certificate
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s holds no PEM certificate", path)
	}
	return out, nil
}

func readPEMKey(path string) (crypto.Signer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("%s holds no PEM block", path)
	}
	if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		if s, ok := k.(crypto.Signer); ok {
			return s, nil
		}
	}
	k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: not a PKCS#8 or PKCS#1 private key", path)
	}
	return k, nil
}

func readCRLFile(path string) (*x509.RevocationList, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if block, _ := pem.Decode(data); block != nil {
		data = block.Bytes
	}
	crl, err := x509.ParseRevocationList(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return crl, nil
}

// whitelistSettings reads the whitelist settings of a registry
// (namespace, signer), with the ANS values as defaults.
func whitelistSettings(reg *registry.Registry) (namespace, cn, ou string) {
	namespace = reg.TrustSpace.Whitelist.Namespace
	if namespace == "" {
		namespace = whitelist.DefaultNamespace
	}
	cn, ou = reg.TrustSpace.Signer.CN, reg.TrustSpace.Signer.OU
	if cn == "" {
		cn = whitelist.SignerCN
	}
	if ou == "" {
		ou = whitelist.SignerOU
	}
	return namespace, cn, ou
}
