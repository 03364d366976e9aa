package probe_test

import (
	"context"
	"net"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/drim-m/trust-space/tool/internal/sim"
)

// TestDNSMatchesZone probes three simulated DRIMboxes whose national names
// a local DNS server resolves: DRIMbox 1's as the zone export says,
// DRIMbox 2's db name to a host that is not its registered endpoint (a
// stale or hijacked record), DRIMbox 3's not at all. Only DRIMbox 2 gets
// the dns-mismatch reason, with what its name points to.
func TestDNSMatchesZone(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	fleet, err := sim.Start(sim.Options{Kinds: []sim.Kind{sim.Healthy, sim.Healthy, sim.Healthy}, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	defer fleet.Close()
	endpoint := func(id int) string { return "drimbox" + string(rune('0'+id)) + ".hebergeur.example." }
	dns, err := sim.StartDNS(map[string]string{
		fleet.DBName(1) + ".": endpoint(1),
		fleet.VIName(1) + ".": endpoint(1),
		fleet.DBName(2) + ".": "serveur.ailleurs.example.",
		fleet.VIName(2) + ".": endpoint(2),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer dns.Close()
	resolver := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", dns.Addr)
	}}
	targets := fleet.Targets()
	for i := range targets {
		targets[i].DBCNAME, targets[i].VICNAME = endpoint(targets[i].ID), endpoint(targets[i].ID)
	}
	p := probe.New(probe.Options{Roots: fleet.Roots(), Resolve: fleet.Resolve(), CNAMEs: resolver,
		Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, Canary: fleet.Canary, Timeout: 3 * time.Second,
		Now: func() time.Time { return now }})
	run := p.Run(context.Background(), targets)
	for _, r := range run.Results {
		mismatch := slices.Contains(r.Reasons, probe.ReasonDNSMismatch)
		switch r.ID {
		case 2:
			if r.Verdict != probe.Degraded || !mismatch || r.DB.CNAME != "serveur.ailleurs.example" || r.VI.CNAME != "" {
				t.Errorf("DRIMbox 2: %s %v, db CNAME %q, vi CNAME %q; want degraded for dns-mismatch on db only",
					r.Verdict, r.Reasons, r.DB.CNAME, r.VI.CNAME)
			}
		default:
			if r.Verdict != probe.Up || mismatch {
				t.Errorf("DRIMbox %d: %s %v, want up", r.ID, r.Verdict, r.Reasons)
			}
		}
	}
}
