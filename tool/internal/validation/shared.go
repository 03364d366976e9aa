package validation

import (
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// shared refuses two DRIMboxes with one server certificate or one host.
// A server certificate names one DRIMbox (its CN is the db name), and the
// probe takes the certificate a host serves as that DRIMbox's: a record
// that copies another's certificate digest, or points its db or vi name
// at another's host, would have the weather page and the ANS reviewer
// vouch for the other's machine. Each record of a shared key gets the
// finding, naming the others, in whole-registry and pull-request mode
// alike (the index reader reads both fields): the change that made them
// equal may be in either. A withdrawn DRIMbox frees its host (a
// replacement may take it) but not its certificate.
func (c *checker) shared() {
	type use struct {
		d     *registry.DRIMbox
		field string
	}
	certs := map[string][]use{}
	hosts := map[string][]use{}
	for _, d := range c.r.DRIMboxes {
		if d.Source == nil {
			continue
		}
		if digest := strings.ToLower(d.Certificates.Server.SHA256); digest != "" {
			certs[digest] = append(certs[digest], use{d, "sha256"})
		}
		if d.Status == registry.StatusWithdrawn {
			continue
		}
		for _, e := range []struct{ name, host string }{{"db", d.Endpoints.DB}, {"vi", d.Endpoints.VI}} {
			if key := hostKey(e.host); key != "" {
				hosts[key] = append(hosts[key], use{d, e.name})
			}
		}
	}
	for _, d := range c.r.DRIMboxes {
		if d.Source == nil {
			continue
		}
		for _, other := range certs[strings.ToLower(d.Certificates.Server.SHA256)] {
			if other.d != d {
				c.add(d.Source, "CERT-UNIQUE", f("certificates", "server", "sha256"),
					"server certificate %s is also the server certificate of DRIMbox %d (%s); each DRIMbox has its own IGC Santé server certificate, whose CN is its db name: record this DRIMbox's own",
					d.Certificates.Server.SHA256, other.d.Identifiant, other.d.Source.Path)
			}
		}
		if d.Status == registry.StatusWithdrawn {
			continue
		}
		for _, e := range []struct{ name, host string }{{"db", d.Endpoints.DB}, {"vi", d.Endpoints.VI}} {
			uses := hosts[hostKey(e.host)]
			for i, other := range uses {
				// Once per other record, whether it uses the host as db,
				// vi or both.
				if other.d != d && !slices.ContainsFunc(uses[:i], func(u use) bool { return u.d == other.d }) {
					c.add(d.Source, "ENDPOINT-UNIQUE", f("endpoints", e.name),
						"host %s is also endpoints.%s of DRIMbox %d (%s); each DRIMbox's national names point at its own host: give this DRIMbox its own, or withdraw the DRIMbox it replaces first",
						e.host, other.field, other.d.Identifiant, other.d.Source.Path)
				}
			}
		}
	}
}

// hostKey is the name DNS resolves a host as: case and a trailing dot set
// aside, a non-ASCII name as its A-label (the schema asks for A-labels,
// but a record that fails it is still compared).
func hostKey(host string) string {
	key := strings.TrimSuffix(strings.ToLower(host), ".")
	for i := 0; i < len(key); i++ {
		if key[i] >= utf8.RuneSelf {
			if a, err := idna.Lookup.ToASCII(key); err == nil {
				return a
			}
			break
		}
	}
	return key
}
