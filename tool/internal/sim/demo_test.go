package sim

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
)

// TestDemo runs the demo for real on loopback and checks every simulated
// trouble got its verdict and reached the page.
func TestDemo(t *testing.T) {
	out := t.TempDir()
	res, err := Demo(context.Background(), DemoOptions{Out: out, HistoryDays: 5,
		Now: func() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	want := map[Kind]probe.Verdict{Healthy: probe.Up, Slow: probe.Degraded, Down: probe.Down, Expiring: probe.Degraded,
		PACSDown: probe.Degraded, NoStatus: probe.Up, DNMismatch: probe.Degraded}
	for i, r := range res.Run.Results {
		kind := res.Boxes[i].Kind
		if r.Verdict != want[kind] {
			t.Errorf("DRIMbox %d (%s): %s %v, want %s", r.ID, kind, r.Verdict, r.Reasons, want[kind])
		}
	}
	page, err := os.ReadFile(filepath.Join(res.Site, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Hors service", "Dégradé", "Mise à jour du DRIMbox 3 (démonstration)"} {
		if !strings.Contains(string(page), s) {
			t.Errorf("index.html lacks %q", s)
		}
	}
}

func TestMix(t *testing.T) {
	n := map[Kind]int{}
	for _, k := range Mix(10000, 0.02, 0.05) {
		n[k]++
	}
	if n[Down] != 200 || n[Slow] != 500 || n[Healthy] != 9300 {
		t.Errorf("mix = %v, want 200 down, 500 slow, 9300 healthy", n)
	}
}
