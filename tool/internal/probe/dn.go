package probe

import (
	"crypto/x509"

	"github.com/drim-m/trust-space/tool/listeblanche/dn"
)

// MatchDN reads the served certificate's subject from its DER, every RDN
// as encoded (Go's pkix.Name folds a repeated CN into one), and tells
// whether it is the registered DN: both read by package dn, as the
// registry rules and the list builder read it, both of the one shape the
// lists publish, the same name, and its CN the DRIMbox's db name (when db
// is set), as the registry rule DN-CN and the list builder require.
// subject is the served name as dn writes it, for the record.
func MatchDN(leaf *x509.Certificate, registered, db string) (subject string, match bool) {
	served, err := dn.FromDER(leaf.RawSubject)
	if err != nil {
		return leaf.Subject.String(), false
	}
	want, err := dn.Parse(registered)
	if err != nil {
		return served.String(), false
	}
	srv, errServed := dn.ServerOf(served)
	_, errRegistered := dn.ParseServer(registered)
	return served.String(), errServed == nil && errRegistered == nil && served.Equal(want) && (db == "" || srv.CN == db)
}
