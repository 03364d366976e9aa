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
	n := len(c.r.DRIMboxes)
	certs, hosts := newKeys(n), newKeys(2*n)
	for _, d := range c.r.DRIMboxes {
		if d.Source == nil {
			continue
		}
		if digest := strings.ToLower(d.Certificates.Server.SHA256); digest != "" {
			certs.add(digest, use{d, "sha256"})
		}
		if d.Status == registry.StatusWithdrawn {
			continue
		}
		for _, e := range endpointsOf(d) {
			if key := hostKey(e.host); key != "" {
				hosts.add(key, use{d, e.name})
			}
		}
	}
	if len(certs.shared) == 0 && len(hosts.shared) == 0 {
		return
	}
	for _, d := range c.r.DRIMboxes {
		if d.Source == nil {
			continue
		}
		for _, other := range certs.others(strings.ToLower(d.Certificates.Server.SHA256), d) {
			c.add(d.Source, "CERT-UNIQUE", f("certificates", "server", "sha256"),
				"server certificate %s is also the server certificate of DRIMbox %d (%s); each DRIMbox has its own IGC Santé server certificate, whose CN is its db name: record this DRIMbox's own",
				d.Certificates.Server.SHA256, other.d.Identifiant, other.d.Source.Path)
		}
		if d.Status == registry.StatusWithdrawn {
			continue
		}
		for _, e := range endpointsOf(d) {
			for _, other := range hosts.others(hostKey(e.host), d) {
				c.add(d.Source, "ENDPOINT-UNIQUE", f("endpoints", e.name),
					"host %s is also endpoints.%s of DRIMbox %d (%s); each DRIMbox's national names point at its own host: give this DRIMbox its own, or withdraw the DRIMbox it replaces first",
					e.host, other.field, other.d.Identifiant, other.d.Source.Path)
			}
		}
	}
}

// use is a record's use of a key: its certificate digest, or its db or vi
// host.
type use struct {
	d     *registry.DRIMbox
	field string
}

// keys holds the first use of each key, and all the uses of the keys used
// more than once: a registry where every key is its own costs one map.
type keys struct {
	first  map[string]use
	shared map[string][]use
}

func newKeys(n int) *keys {
	return &keys{first: make(map[string]use, n), shared: map[string][]use{}}
}

func (k *keys) add(key string, u use) {
	prev, ok := k.first[key]
	if !ok {
		k.first[key] = u
		return
	}
	if k.shared[key] == nil {
		k.shared[key] = []use{prev}
	}
	k.shared[key] = append(k.shared[key], u)
}

// others returns the uses of key by other records than d, one per record
// (a record may use a host as both db and vi).
func (k *keys) others(key string, d *registry.DRIMbox) []use {
	var out []use
	for _, u := range k.shared[key] {
		if u.d != d && !slices.ContainsFunc(out, func(o use) bool { return o.d == u.d }) {
			out = append(out, u)
		}
	}
	return out
}

type endpoint struct{ name, host string }

func endpointsOf(d *registry.DRIMbox) [2]endpoint {
	return [2]endpoint{{"db", d.Endpoints.DB}, {"vi", d.Endpoints.VI}}
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
