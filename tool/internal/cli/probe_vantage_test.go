package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/sim"
	"github.com/drim-m/trust-space/tool/internal/zone"
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
		s := recordedState(t, data, 4)
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

// recordedState reads DRIMbox id's state in data's latest/ as JSON.
func recordedState(t *testing.T, data string, id int) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(data, "latest", fmt.Sprintf("%03d.json", id/100)))
	if err != nil {
		t.Fatal(err)
	}
	var states []map[string]any
	if err := json.Unmarshal(raw, &states); err != nil {
		t.Fatal(err)
	}
	for _, s := range states {
		if s["id"] == float64(id) {
			return s
		}
	}
	t.Fatalf("no state for DRIMbox %d", id)
	return nil
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

// TestProbeDNSMismatch probes the sample registry's operational DRIMboxes
// (simulated) with the CNAME checks answered by a local DNS server serving
// the registry's zone export, except for DRIMbox 7's db name, which points
// elsewhere: DRIMbox 7 is degraded for dns-mismatch, and its page says
// where the name points.
func TestProbeDNSMismatch(t *testing.T) {
	repo := sampleRoot(t)
	_, args := probeFleet(t, repo, nil)
	reg, _, err := registry.Load(filepath.Join(repo, "registry"))
	if err != nil {
		t.Fatal(err)
	}
	z, _, err := zone.Build(reg, nil)
	if err != nil {
		t.Fatal(err)
	}
	records := map[string]string{}
	for _, r := range z.Records {
		records[r.Name+"."+z.Origin] = r.Target
	}
	hijacked := "db7." + z.Origin
	if _, ok := records[hijacked]; !ok {
		t.Fatalf("the zone export has no %s", hijacked)
	}
	records[hijacked] = "serveur.ailleurs.example."
	dns, err := sim.StartDNS(records)
	if err != nil {
		t.Fatal(err)
	}
	defer dns.Close()
	data := filepath.Join(t.TempDir(), "status")
	env, stdout, stderr := testEnv(t, repo)
	if code := Run(context.Background(), env, append([]string{"probe", "--out", data, "--dns", dns.Addr}, args...)); code != ExitOK {
		t.Fatalf("probe: exit %d\n%s", code, stderr)
	}
	var seven, others string
	for _, line := range strings.Split(stdout.String(), "\n") {
		if strings.HasPrefix(line, "7 ") {
			seven = line
		} else if strings.Contains(line, "dns-mismatch") {
			others += line + "\n"
		}
	}
	if !strings.Contains(seven, "degraded") || !strings.Contains(seven, "dns-mismatch") || others != "" {
		t.Fatalf("probe output: DRIMbox 7 %q, others with dns-mismatch %q\n%s", seven, others, stdout)
	}
	env, _, stderr = testEnv(t, repo)
	out := filepath.Join(t.TempDir(), "site")
	if code := Run(context.Background(), env, []string{"status", "build", "--data", data, "--out", out}); code != ExitOK {
		t.Fatalf("status build: exit %d\n%s", code, stderr)
	}
	page, _ := os.ReadFile(filepath.Join(out, "drimbox", "7.html"))
	for _, want := range []string{"nom national ne pointant pas vers le point d&#39;accès enregistré (DNS)", "le nom pointe vers <code>serveur.ailleurs.example</code>"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("drimbox/7.html lacks %q", want)
		}
	}
}
