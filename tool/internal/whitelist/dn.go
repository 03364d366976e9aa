package whitelist

import (
	"fmt"

	"github.com/drim-m/trust-space/tool/listeblanche/dn"
)

// serverDN reads an entry's DNCertificatOperateur with the reader the
// registry rule (DN-FORMAT, DN-CN) and the probe use: a list built from
// the registry publishes only a DN of the one shape the lists use, naming
// the entry's own db name. Entries kept from a published list are not
// read again: they were published already.
func serverDN(d Domain) error {
	srv, err := dn.ParseServer(d.CertDN)
	if err != nil {
		return fmt.Errorf("DNCertificatOperateur: %w", err)
	}
	if srv.CN != d.DB {
		return fmt.Errorf("DNCertificatOperateur: the CN %q is not the db name %s", srv.CN, d.DB)
	}
	return nil
}
