package testpki

import (
	"fmt"
	"os"
	"path/filepath"
)

// Files names the PEM files WriteFiles writes.
type Files struct {
	Root      string // the root certificate: the trust anchor to pin
	OrgCA     string // the ORGANISATIONS CA certificate
	Signer    string // the ORG SIGN certificate
	SignerKey string // the signer's private key, PKCS#8 (mode 0600)
	Chain     string // signer, ORGANISATIONS CA, root: for --cert-chain
}

// WriteFiles writes the hierarchy to dir as root.pem, org-ca.pem, signer.pem,
// signer-key.pem and chain.pem. The key file is readable by its owner only.
func (p *PKI) WriteFiles(dir string) (Files, error) {
	f := Files{
		Root:      filepath.Join(dir, "root.pem"),
		OrgCA:     filepath.Join(dir, "org-ca.pem"),
		Signer:    filepath.Join(dir, "signer.pem"),
		SignerKey: filepath.Join(dir, "signer-key.pem"),
		Chain:     filepath.Join(dir, "chain.pem"),
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return f, fmt.Errorf("creating %s: %w", dir, err)
	}
	for _, w := range []struct {
		path string
		data []byte
		mode os.FileMode
	}{
		{f.Root, p.Root.CertPEM(), 0o644},
		{f.OrgCA, p.OrgCA.CertPEM(), 0o644},
		{f.Signer, p.Signer.CertPEM(), 0o644},
		{f.SignerKey, p.Signer.KeyPEM(), 0o600},
		{f.Chain, p.Signer.ChainPEM(), 0o644},
	} {
		if err := os.WriteFile(w.path, w.data, w.mode); err != nil {
			return f, fmt.Errorf("writing %s: %w", w.path, err)
		}
	}
	return f, nil
}
