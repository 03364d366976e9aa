package xades

import (
	"crypto/x509"
	"fmt"

	"github.com/drim-m/trust-space/tool/listeblanche/dn"
)

// checkSignerName compares the signer's CN, OU and O with those expected,
// reading its subject as encoded (package dn), not through pkix.Name: Go's
// pkix.Name keeps the last of two CNs and any of several OUs, so a
// certificate naming "Liste Blanche DRIM-M" beside another CN, or in one
// RDN joined to something else, would pass for a name it only contains.
// A signer's subject has one attribute per RDN and each attribute once,
// as the ANS's ORG SIGN certificates have; anything else is refused.
func checkSignerName(signer *x509.Certificate, opts VerifyOptions) error {
	name, err := dn.FromDER(signer.RawSubject)
	if err != nil {
		return fmt.Errorf("%w: the signer's subject cannot be read: %v", ErrCertificate, err)
	}
	count := map[string]int{}
	value := map[string]string{}
	for _, rdn := range name {
		if len(rdn) > 1 {
			return fmt.Errorf("%w: the signer's subject %q has the multi-valued RDN %q; an ORG SIGN certificate has one attribute per RDN",
				ErrCertificate, name, dn.Name{rdn})
		}
		a := rdn[0]
		count[a.Type]++
		if count[a.Type] > 1 {
			return fmt.Errorf("%w: the signer's subject %q has %s more than once; an ORG SIGN certificate has each attribute once",
				ErrCertificate, name, a.Type)
		}
		if !a.Binary {
			value[a.Type] = a.Value
		}
	}
	for _, want := range []struct{ typ, value string }{
		{"CN", opts.SignerCN}, {"OU", opts.SignerOU}, {"O", opts.SignerO},
	} {
		if want.value == "" {
			continue
		}
		got, ok := value[want.typ]
		if !ok {
			return fmt.Errorf("%w: the signer's subject %q has no %s as text, expected %q", ErrCertificate, name, want.typ, want.value)
		}
		if got != want.value {
			return fmt.Errorf("%w: the signer's %s is %q, expected %q", ErrCertificate, want.typ, got, want.value)
		}
	}
	return nil
}
