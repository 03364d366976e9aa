// Package zone writes the DNS zone the ANS serves for the national names
// of the Registre National: a BIND zone file for the trust-space zone,
// with SOA and NS from trust-space.yaml and one CNAME per db and vi name
// of every DRIMbox that is integrating or operational, pointing at the
// endpoint hosts its record gives. Withdrawn and excluded DRIMboxes have
// no records; their names stay reserved in the registry for ever.
//
// The file is a function of the registry and the serial alone, so an
// export that changes nothing keeps the published serial, and any change
// gets a larger one.
package zone

import (
	"bytes"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// RuleGlue is the finding rule for a nameserver inside the zone that has
// no address to publish with it.
const RuleGlue = "ZONE-GLUE"

// Zone is the content of the zone file but for its serial.
type Zone struct {
	// Origin is the zone's name, fully qualified with its final dot.
	Origin      string
	DNS         registry.DNSSettings
	Nameservers []string
	// Glue are the addresses of the nameservers inside the zone, by
	// fully qualified name.
	Glue    map[string][]netip.Addr
	Records []Record
}

// Record is one CNAME of a national name.
type Record struct {
	// Name is relative to the origin, e.g. "db7".
	Name string
	// Target is the endpoint host, fully qualified.
	Target string
	// Comment says which DRIMbox the name belongs to.
	Comment string
}

// Published tells whether a DRIMbox's names resolve: only while it is
// integrating (so the ANS can test it) or operational.
func Published(d *registry.DRIMbox) bool {
	return d.Status == registry.StatusIntegrating || d.Status == registry.StatusOperational
}

// Build computes the zone of a registry. glue gives the addresses of the
// nameservers that lie inside the zone, which the zone must carry; a
// nameserver inside the zone without them is a finding on
// trust-space.yaml. An address for a name that is not such a nameserver
// is an error.
func Build(r *registry.Registry, glue map[string][]netip.Addr) (*Zone, []registry.Finding, error) {
	ts := r.TrustSpace
	z := &Zone{Origin: fqdn(ts.Zone), DNS: ts.DNS, Glue: map[string][]netip.Addr{}}
	if ts.Zone == "" {
		return nil, nil, fmt.Errorf("trust-space.yaml gives no zone")
	}
	for _, ns := range ts.DNS.Nameservers {
		z.Nameservers = append(z.Nameservers, fqdn(ns))
	}
	for name, addrs := range ts.DNS.Addresses {
		for _, a := range addrs {
			ip, err := netip.ParseAddr(a)
			if err != nil {
				return nil, nil, fmt.Errorf("trust-space.yaml dns.addresses: %q is not an IP address", a)
			}
			glue = maps.Clone(glue)
			if glue == nil {
				glue = map[string][]netip.Addr{}
			}
			glue[name] = append(glue[name], ip)
		}
	}
	for name, addrs := range glue {
		n := fqdn(name)
		if !slices.Contains(z.Nameservers, n) || !z.inside(n) {
			return nil, nil, fmt.Errorf("%s is not a nameserver inside %s; only those take an address in the zone", strings.TrimSuffix(n, "."), strings.TrimSuffix(z.Origin, "."))
		}
		z.Glue[n] = append(z.Glue[n], addrs...)
	}
	var findings []registry.Finding
	for i, ns := range z.Nameservers {
		if z.inside(ns) && len(z.Glue[ns]) == 0 {
			f := registry.Finding{Path: "trust-space.yaml", Line: 1, Col: 1}
			if src := r.TrustSpaceSource(); src != nil {
				f = src.Finding(RuleGlue, []string{"dns", "nameservers", strconv.Itoa(i)}, "")
			}
			f.Rule = RuleGlue
			f.Msg = fmt.Sprintf("nameserver %s lies inside the zone, which must then carry its address; give it in trust-space.yaml under dns.addresses, or with --ns-address %s=ADDRESS", ns, strings.TrimSuffix(ns, "."))
			findings = append(findings, f)
		}
	}
	for _, d := range r.DRIMboxes {
		if !Published(d) {
			continue
		}
		comment := fmt.Sprintf("DRIMbox %d, %s", d.Identifiant, d.Operator)
		id := strconv.Itoa(d.Identifiant)
		z.Records = append(z.Records, Record{Name: "db" + id, Target: fqdn(d.Endpoints.DB), Comment: comment})
		if d.Endpoints.VI != "" {
			z.Records = append(z.Records, Record{Name: "vi" + id, Target: fqdn(d.Endpoints.VI), Comment: comment})
		}
	}
	return z, findings, nil
}

// inside tells whether a fully qualified name is the origin or below it.
func (z *Zone) inside(name string) bool {
	return name == z.Origin || strings.HasSuffix(name, "."+z.Origin)
}

// relative writes a name inside the zone relative to the origin.
func (z *Zone) relative(name string) string {
	if name == z.Origin {
		return "@"
	}
	return strings.TrimSuffix(name, "."+z.Origin)
}

// Render writes the zone file with a serial.
func (z *Zone) Render(serial uint32) []byte {
	var b bytes.Buffer
	zone := strings.TrimSuffix(z.Origin, ".")
	fmt.Fprintf(&b, "; Zone %s: the national names of the DRIM-M Registre National.\n", zone)
	fmt.Fprintf(&b, "; Exported from the registry by drimm zone export; change the registry, not this file.\n")
	fmt.Fprintf(&b, "$ORIGIN %s\n$TTL %d\n", z.Origin, z.DNS.TTL)
	fmt.Fprintf(&b, "@\tIN\tSOA\t%s %s (\n", fqdn(z.DNS.Primary), fqdn(z.DNS.Hostmaster))
	fmt.Fprintf(&b, "\t\t%d\t; serial\n\t\t%d\t; refresh\n\t\t%d\t; retry\n\t\t%d\t; expire\n\t\t%d )\t; minimum\n",
		serial, z.DNS.Refresh, z.DNS.Retry, z.DNS.Expire, z.DNS.Minimum)
	for _, ns := range z.Nameservers {
		fmt.Fprintf(&b, "@\tIN\tNS\t%s\n", ns)
	}
	for _, ns := range z.Nameservers {
		addrs := slices.Clone(z.Glue[ns])
		slices.SortFunc(addrs, func(a, b netip.Addr) int { return a.Compare(b) })
		for _, a := range slices.Compact(addrs) {
			typ := "A"
			if a.Is6() && !a.Is4In6() {
				typ = "AAAA"
			}
			fmt.Fprintf(&b, "%s\tIN\t%s\t%s\n", z.relative(ns), typ, a.Unmap())
		}
	}
	last := ""
	for _, r := range z.Records {
		if r.Comment != last {
			fmt.Fprintf(&b, "\n; %s\n", r.Comment)
			last = r.Comment
		}
		fmt.Fprintf(&b, "%s\tIN\tCNAME\t%s\n", r.Name, r.Target)
	}
	return b.Bytes()
}

// fqdn lower-cases a name and ends it with a dot.
func fqdn(name string) string {
	name = strings.ToLower(strings.TrimSpace(name))
	if !strings.HasSuffix(name, ".") {
		name += "."
	}
	return name
}
