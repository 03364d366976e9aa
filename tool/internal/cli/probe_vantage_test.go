package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drim-m/trust-space/tool/internal/sim"
)

// TestProbeVantageQuorum probes simulated DRIMboxes from three vantage
// points into one data folder: DRIMbox 4 answers the first and not the
// next two. After the second, the vantage points disagree (degraded,
// vantage-split); after the third, a majority sees it down. The page
// shows each vantage point's view.
func TestProbeVantageQuorum(t *testing.T) {
	repo := sampleRoot(t)
	_, healthy := probeFleet(t, repo, nil)
	_, broken := probeFleet(t, repo, map[int]sim.Kind{4: sim.Down})
	data := filepath.Join(t.TempDir(), "status")
	state := func() map[string]any {
		t.Helper()
		raw, err := os.ReadFile(filepath.Join(data, "latest", "000.json"))
		if err != nil {
			t.Fatal(err)
		}
		var states []map[string]any
		if err := json.Unmarshal(raw, &states); err != nil {
			t.Fatal(err)
		}
		for _, s := range states {
			if s["id"] == float64(4) {
				return s
			}
		}
		t.Fatal("no state for DRIMbox 4")
		return nil
	}
	for i, step := range []struct {
		vantage string
		args    []string
		verdict string
		reason  string
	}{
		{"eu-west", healthy, "up", ""},
		{"eu-north", broken, "degraded", "vantage-split"},
		{"eu-south", broken, "down", "db-down"},
	} {
		env, _, stderr := testEnv(t, repo)
		args := append([]string{"probe", "--out", data, "--vantage", step.vantage}, step.args...)
		if code := Run(context.Background(), env, args); code != ExitOK {
			t.Fatalf("probe from %s: exit %d\n%s", step.vantage, code, stderr)
		}
		s := state()
		if s["verdict"] != step.verdict {
			t.Fatalf("after %s: DRIMbox 4 is %v, want %s", step.vantage, s["verdict"], step.verdict)
		}
		if step.reason != "" && !strings.Contains(strings.Join(anyStrings(s["reasons"]), ","), step.reason) {
			t.Errorf("after %s: reasons %v lack %s", step.vantage, s["reasons"], step.reason)
		}
		if views, _ := s["vantages"].([]any); len(views) != i+1 {
			t.Errorf("after %s: %d vantage views, want %d", step.vantage, len(views), i+1)
		}
		if _, err := os.Stat(filepath.Join(data, "vantages", step.vantage, "run.json")); err != nil {
			t.Errorf("vantage %s has no state of its own: %v", step.vantage, err)
		}
	}
	env, _, stderr := testEnv(t, repo)
	out := filepath.Join(t.TempDir(), "site")
	if code := Run(context.Background(), env, []string{"status", "build", "--data", data, "--out", out}); code != ExitOK {
		t.Fatalf("status build: exit %d\n%s", code, stderr)
	}
	page, err := os.ReadFile(filepath.Join(out, "drimbox", "4.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Points de mesure", "eu-west : Opérationnel", "eu-north : Hors service", "eu-south : Hors service"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("drimbox/4.html lacks %q", want)
		}
	}
}

func TestProbeVantageName(t *testing.T) {
	env, _, stderr := testEnv(t, sampleRoot(t))
	code := Run(context.Background(), env, []string{"probe", "--trust-anchor", "x.pem", "--vantage", "../etc"})
	if code != ExitUsage || !strings.Contains(stderr.String(), "lower-case letters, digits and dashes") {
		t.Errorf("exit %d, stderr %q; want a usage error naming the rule", code, stderr)
	}
}

func anyStrings(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, s := range list {
		if str, ok := s.(string); ok {
			out = append(out, str)
		}
	}
	return out
}
