package xadestest

import (
	"crypto/x509"
	. "github.com/drim-m/trust-space/tool/listeblanche/xades"
	"strings"
	"testing"
)

// A leaf pinned as root is an error of the caller, not a verdict on the
// list: even the signer's own certificate is refused as anchor.
func TestTrustAnchorIsACA(t *testing.T) {
	p := pki(t)
	signed := signWith(t, unsigned(t), p.Signer, p.Now())
	noCertSign := *p.Root.Cert
	noCertSign.KeyUsage = x509.KeyUsageCRLSign
	for _, tc := range []struct {
		name string
		root *x509.Certificate
		says string
	}{
		{"the signer", p.Signer.Cert, "is not a CA certificate"},
		{"a CA without keyCertSign", &noCertSign, "without the keyCertSign key usage"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := options(p)
			opts.Roots = []*x509.Certificate{tc.root}
			_, err := Verify(signed, opts)
			if err == nil || !strings.Contains(err.Error(), tc.says) || !strings.Contains(err.Error(), "cannot be a trust anchor") {
				t.Errorf("got %v, want an error saying %q", err, tc.says)
			}
		})
	}
	if err := CheckAnchor(p.Root.Cert); err != nil {
		t.Errorf("the root refused as anchor: %v", err)
	}
}
