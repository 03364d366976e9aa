package validation

import (
	"regexp"

	"github.com/drim-m/trust-space/tool/internal/dn"
	"github.com/drim-m/trust-space/tool/internal/registry"
)

var (
	structureIDRe = regexp.MustCompile(`^[0-9][0-9A-Za-z]{5,20}$`)
	departmentRe  = regexp.MustCompile(`^.+ \((0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-8]|98[4-9])\)$`)
)

// dn checks DNCertificatOperateur: the IGC Santé server certificate's
// subject names the DRIMbox's own db name and has the IGC Santé shape.
func (c *checker) dn(d *registry.DRIMbox) {
	path := f("certificates", "server", "dn")
	value := d.Certificates.Server.DN
	attrs, err := dn.Parse(value)
	if err != nil {
		c.add(d.Source, "DN-FORMAT", path, "DN %q is not a distinguished name; write it as CN=…,OU=…,O=…,ST=…,C=FR, as in the certificate", value)
		return
	}
	got := map[string]string{}
	for _, a := range attrs {
		got[a.Type] = a.Value
	}
	want := d.DBName(c.r.TrustSpace.Zone)
	switch {
	case got["CN"] != want:
		c.add(d.Source, "DN-CN", path, "CN of the server certificate is %q but must be the DRIMbox's own db name %q; request a certificate for %s", got["CN"], want, want)
	case got["C"] != "FR":
		c.add(d.Source, "DN-FORMAT", path, "IGC Santé server certificates have C=FR; copy the DN from the certificate")
	case !structureIDRe.MatchString(got["OU"]):
		c.add(d.Source, "DN-FORMAT", path, "OU %q is not a structure identifier (a one-digit type then the identifier, e.g. 3 and a 14-digit SIRET); copy it from the certificate", got["OU"])
	case got["O"] == "":
		c.add(d.Source, "DN-FORMAT", path, "the DN has no O (organisation); copy the DN from the certificate")
	case got["ST"] != "" && !departmentRe.MatchString(got["ST"]):
		c.add(d.Source, "DN-FORMAT", path, "ST %q is not a département in the IGC Santé form \"Name (NN)\", e.g. \"Gironde (33)\"", got["ST"])
	}
}
