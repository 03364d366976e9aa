package zone

import (
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// namedCheckzone runs BIND's zone checker on a zone file with every check
// that can fail set to fail, and returns the serial it loaded.
func namedCheckzone(t *testing.T, origin string, data []byte) uint32 {
	t.Helper()
	bin, err := exec.LookPath("named-checkzone")
	if err != nil {
		t.Fatalf("named-checkzone not found: install bind9-utils (apt-get install bind9-utils)")
	}
	p := filepath.Join(t.TempDir(), "zone")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-k", "fail", "-n", "fail", "-m", "fail", "-M", "fail", "-S", "fail", "-i", "full", origin, p).CombinedOutput()
	if err != nil {
		t.Fatalf("named-checkzone refused the zone: %v\n%s\n%s", err, out, data)
	}
	m := regexp.MustCompile(`loaded serial (\d+)`).FindSubmatch(out)
	if m == nil || !strings.Contains(string(out), "OK") {
		t.Fatalf("named-checkzone did not load the zone:\n%s", out)
	}
	var serial uint32
	fmt.Sscan(string(m[1]), &serial)
	return serial
}

func sample(t *testing.T) *registry.Registry {
	t.Helper()
	r, fs, err := registry.Load("../../testdata/registry")
	if err != nil || len(fs) > 0 {
		t.Fatalf("loading the sample registry: %v %v", err, fs)
	}
	return r
}

func TestSampleZonePassesNamedCheckzone(t *testing.T) {
	r := sample(t) // its trust-space.yaml gives the nameservers' addresses
	z, fs, err := Build(r, nil)
	if err != nil || len(fs) > 0 {
		t.Fatalf("Build: %v %v", err, fs)
	}
	const serial = 2026113003
	data := z.Render(serial)
	if got := namedCheckzone(t, r.TrustSpace.Zone, data); got != serial {
		t.Errorf("named-checkzone loaded serial %d, want %d", got, serial)
	}
	text := string(data)
	for _, d := range r.DRIMboxes {
		db := fmt.Sprintf("\ndb%d\tIN\tCNAME\t%s.\n", d.Identifiant, d.Endpoints.DB)
		vi := fmt.Sprintf("\nvi%d\tIN\tCNAME\t%s.\n", d.Identifiant, d.Endpoints.VI)
		if got := strings.Contains(text, db) && strings.Contains(text, vi); got != Published(d) {
			t.Errorf("DRIMbox %d (%s): names published = %v, want %v", d.Identifiant, d.Status, got, Published(d))
		}
		if !Published(d) && strings.Contains(text, fmt.Sprintf("\ndb%d\t", d.Identifiant)) {
			t.Errorf("DRIMbox %d is %s but has a record", d.Identifiant, d.Status)
		}
	}
	for _, want := range []string{"ns1\tIN\tA\t192.0.2.53\n", "ns1\tIN\tAAAA\t2001:db8::53\n", "ns2\tIN\tA\t198.51.100.53\n", "@\tIN\tNS\tns2.test.mesimagesmedicales.fr.\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("zone lacks %q:\n%s", want, text)
		}
	}
}

// A DRIMbox without a viewer has a db name only; nameservers outside the
// zone need no address.
func TestZoneWithoutViewerAndOutsideNameservers(t *testing.T) {
	r := sample(t)
	r.TrustSpace.DNS.Nameservers = []string{"ns-a.dns.ans.example.", "ns-b.dns.ans.example."}
	r.TrustSpace.DNS.Primary = "ns-a.dns.ans.example."
	r.TrustSpace.DNS.Addresses = nil
	r.DRIMbox(1).Endpoints.VI = ""
	z, fs, err := Build(r, nil)
	if err != nil || len(fs) > 0 {
		t.Fatalf("Build: %v %v", err, fs)
	}
	data := z.Render(1)
	namedCheckzone(t, r.TrustSpace.Zone, data)
	if strings.Contains(string(data), "\nvi1\t") || !strings.Contains(string(data), "\ndb1\t") {
		t.Errorf("DRIMbox 1 without viewer:\n%s", data)
	}
}

func TestNameserverInsideZoneNeedsAddress(t *testing.T) {
	r := sample(t)
	r.TrustSpace.DNS.Addresses = nil
	_, fs, err := Build(r, map[string][]netip.Addr{"ns1.test.mesimagesmedicales.fr.": {netip.MustParseAddr("192.0.2.53")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Rule != RuleGlue || !strings.Contains(fs[0].Msg, "ns2.test.mesimagesmedicales.fr") || fs[0].Line < 2 {
		t.Fatalf("want one %s finding on ns2 at its line in trust-space.yaml, got %v", RuleGlue, fs)
	}
	if _, _, err := Build(r, map[string][]netip.Addr{"www.example.org": {netip.MustParseAddr("192.0.2.1")}}); err == nil {
		t.Error("an address for a name that is no nameserver of the zone was accepted")
	}
}

func TestNextSerial(t *testing.T) {
	r := sample(t)
	z, _, err := Build(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 11, 30, 15, 4, 5, 0, time.UTC)
	other, _, _ := Build(r, nil)
	other.Records = other.Records[1:]

	tests := []struct {
		name        string
		previous    []byte
		now         time.Time
		want        uint32
		wantChanged bool
	}{
		{"first export", nil, day, 2026113000, true},
		{"nothing changed", z.Render(2026112901), day, 2026112901, false},
		{"changed on a new day", other.Render(2026112901), day, 2026113000, true},
		{"changed again the same day", other.Render(2026113000), day, 2026113001, true},
		{"previous ahead of the date", other.Render(2026120507), day, 2026120508, true},
		{"previous a small counter", other.Render(41), day, 2026113000, true},
		{"previous at the top of the range wraps", other.Render(4294967295), day, 2026113000, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed, err := NextSerial(z, tt.previous, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want || changed != tt.wantChanged {
				t.Errorf("NextSerial = %d, %v; want %d, %v", got, changed, tt.want, tt.wantChanged)
			}
			if tt.previous != nil && changed {
				prev, _ := ParseSerial(tt.previous)
				if !Greater(got, prev) {
					t.Errorf("serial %d is not greater than %d for secondaries", got, prev)
				}
			}
		})
	}
}

func TestParseSerial(t *testing.T) {
	tests := []struct {
		zone string
		want uint32
		ok   bool
	}{
		{"$TTL 300\nexample. IN SOA ns.example. host.example. 2024010101 3600 900 604800 300\n", 2024010101, true},
		{"@ 3600 IN SOA ns.example. host.example. ( ; comment (\n  7 ; serial\n 1 2 3 4 )\n", 7, true},
		{"@ IN soa a. b. (99999999999 1 2 3 4)", 0, false},
		{"@ IN NS ns.example.\n", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseSerial([]byte(tt.zone))
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseSerial(%q) = %d, %v; want %d, ok %v", tt.zone, got, err, tt.want, tt.ok)
		}
	}
}

func FuzzParseSerial(f *testing.F) {
	f.Add([]byte("@ IN SOA ns.example. host.example. ( 2026113000 1 2 3 4 )"))
	f.Add([]byte("; only a comment\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ParseSerial(data)
	})
}
