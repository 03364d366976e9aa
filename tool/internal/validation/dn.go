package validation

import (
	"regexp"

	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/listeblanche/dn"
)

var (
	structureIDRe = regexp.MustCompile(`^[0-9][0-9A-Za-z]{5,20}$`)
	departmentRe  = regexp.MustCompile(`^.+ \((0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-8]|98[4-9])\)$`)
)

// dn checks DNCertificatOperateur: the IGC Santé server certificate's
// subject, read by the reader the list builder and the probe use, has the
// one shape the lists publish and names the DRIMbox's own db name.
func (c *checker) dn(d *registry.DRIMbox) {
	path := f("certificates", "server", "dn")
	value := d.Certificates.Server.DN
	srv, err := dn.ParseServer(value)
	if err != nil {
		c.add(d.Source, "DN-FORMAT", path, "%v; copy the DN from the certificate (openssl x509 -noout -subject -nameopt RFC2253) and write it as CN=…,OU=…,O=…,ST=…,C=FR", err)
		return
	}
	want := d.DBName(c.r.TrustSpace.Zone)
	switch {
	case srv.CN != want:
		c.add(d.Source, "DN-CN", path, "CN of the server certificate is %q but must be the DRIMbox's own db name %q; request a certificate for %s", srv.CN, want, want)
	case srv.C != "FR":
		c.add(d.Source, "DN-FORMAT", path, "IGC Santé server certificates have C=FR; copy the DN from the certificate")
	case !structureIDRe.MatchString(srv.OU):
		c.add(d.Source, "DN-FORMAT", path, "OU %q is not a structure identifier (a one-digit type then the identifier, e.g. 3 and a 14-digit SIRET); copy it from the certificate", srv.OU)
	case srv.ST != "" && !departmentRe.MatchString(srv.ST):
		c.add(d.Source, "DN-FORMAT", path, "ST %q is not a département in the IGC Santé form \"Name (NN)\", e.g. \"Gironde (33)\"", srv.ST)
	}
}
