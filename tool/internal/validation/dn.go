package validation

import (
	"regexp"
	"strings"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

var (
	structureIDRe = regexp.MustCompile(`^[0-9][0-9A-Za-z]{5,20}$`)
	departmentRe  = regexp.MustCompile(`^.+ \((0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-8]|98[4-9])\)$`)
)

// ParseDN splits an RFC 4514 distinguished name into its attributes in
// order, honouring backslash escapes. It reports false when an attribute
// has no "type=value" shape.
func ParseDN(dn string) ([][2]string, bool) {
	var attrs [][2]string
	var cur strings.Builder
	flush := func() bool {
		t, v, ok := strings.Cut(cur.String(), "=")
		cur.Reset()
		t, v = strings.TrimSpace(t), strings.TrimSpace(v)
		if !ok || t == "" || v == "" {
			return false
		}
		attrs = append(attrs, [2]string{strings.ToUpper(t), unescapeDN(v)})
		return true
	}
	esc := false
	for _, r := range dn {
		switch {
		case esc:
			cur.WriteRune('\\')
			cur.WriteRune(r)
			esc = false
		case r == '\\':
			esc = true
		case r == ',':
			if !flush() {
				return nil, false
			}
		default:
			cur.WriteRune(r)
		}
	}
	if esc || !flush() {
		return nil, false
	}
	return attrs, true
}

func unescapeDN(v string) string {
	if !strings.Contains(v, `\`) {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			i++
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// dn checks DNCertificatOperateur: the IGC Santé server certificate's
// subject names the DRIMbox's own db name and has the IGC Santé shape.
func (c *checker) dn(d *registry.DRIMbox) {
	path := f("certificates", "server", "dn")
	dn := d.Certificates.Server.DN
	attrs, ok := ParseDN(dn)
	if !ok {
		c.add(d.Source, "DN-FORMAT", path, "DN %q is not a distinguished name; write it as CN=…,OU=…,O=…,ST=…,C=FR, as in the certificate", dn)
		return
	}
	got := map[string]string{}
	for _, a := range attrs {
		got[a[0]] = a[1]
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
