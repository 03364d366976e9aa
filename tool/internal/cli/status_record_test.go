package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drim-m/trust-space/tool/internal/sim"
)

// TestStatusRecordTogether: three vantage points save their runs, one sees
// DRIMbox 4 up and two see it down; drimm status record records the three
// in one go, and the state decided is down, with each view.
func TestStatusRecordTogether(t *testing.T) {
	repo := sampleRoot(t)
	_, healthy := probeFleet(t, repo, nil)
	_, broken := probeFleet(t, repo, map[int]sim.Kind{4: sim.Down})
	dir := t.TempDir()
	data := filepath.Join(dir, "status")
	var files []string
	for _, step := range []struct {
		vantage string
		args    []string
	}{{"eu-west", healthy}, {"eu-north", broken}, {"eu-south", broken}} {
		file := filepath.Join(dir, "run-"+step.vantage+".json")
		env, _, stderr := testEnv(t, repo)
		args := append([]string{"probe", "--out", data, "--vantage", step.vantage, "--save-run", file}, step.args...)
		if code := Run(context.Background(), env, args); code != ExitOK {
			t.Fatalf("probe from %s: exit %d\n%s", step.vantage, code, stderr)
		}
		files = append(files, file)
	}
	if _, err := os.Stat(data); err == nil {
		t.Fatal("probe --save-run recorded the run in --out")
	}
	env, _, stderr := testEnv(t, repo)
	if code := Run(context.Background(), env, append([]string{"status", "record", "--out", data}, files...)); code != ExitOK {
		t.Fatalf("status record: exit %d\n%s", code, stderr)
	}
	four := recordedState(t, data, 4)
	if four["verdict"] != "down" {
		t.Fatalf("DRIMbox 4 is %v after the three runs, want down: %v", four["verdict"], four)
	}
	if views, _ := four["vantages"].([]any); len(views) != 3 {
		t.Errorf("%d vantage views, want 3", len(views))
	}
	samples, _ := filepath.Glob(filepath.Join(data, "samples", "*", "*.txt"))
	if len(samples) != 3 {
		t.Errorf("%d sample files, want one per vantage point: %v", len(samples), samples)
	}
}

// A saved run cannot put on the page a DRIMbox the registry does not
// have in operation.
func TestStatusRecordOnlyOperational(t *testing.T) {
	repo := sampleRoot(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "run.json")
	run := `{"format":"drimm-probe-run/1","vantage":"a","run":{"start":"2026-11-30T09:00:00Z","end":"2026-11-30T09:00:10Z","network_ok":true,"complete":true,` +
		`"results":[{"id":1,"verdict":"up"},{"id":987654,"verdict":"up"}]}}`
	if err := os.WriteFile(file, []byte(run), 0o644); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "status")
	env, _, stderr := testEnv(t, repo)
	if code := Run(context.Background(), env, []string{"status", "record", "--out", data, file}); code != ExitOK {
		t.Fatalf("status record: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr.String(), "DRIMbox 987654 is not operational in the registry") {
		t.Errorf("stderr %q does not say DRIMbox 987654 was left out", stderr)
	}
	shards, _ := filepath.Glob(filepath.Join(data, "latest", "*.json"))
	for _, s := range shards {
		raw, _ := os.ReadFile(s)
		if strings.Contains(string(raw), "987654") {
			t.Errorf("%s records DRIMbox 987654", s)
		}
	}
	if len(shards) == 0 {
		t.Error("nothing was recorded of DRIMbox 1")
	}
}

// Saved runs are checked before anything is recorded.
func TestStatusRecordRefuses(t *testing.T) {
	repo := sampleRoot(t)
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	run := `{"start":"2026-11-30T09:00:00Z","end":"2026-11-30T09:00:10Z","network_ok":true,"complete":true,"results":[{"id":1,"verdict":"up"}]}`
	good := write("a.json", `{"format":"drimm-probe-run/1","vantage":"a","run":`+run+`}`)
	for _, tc := range []struct {
		name  string
		files []string
		want  string
	}{
		{"not a saved run", []string{write("x.json", `{"hello":1}`)}, "unknown field"},
		{"another format", []string{write("f.json", `{"format":"drimm-probe-run/9","run":`+run+`}`)}, "format"},
		{"a vantage name with a path", []string{write("v.json", `{"format":"drimm-probe-run/1","vantage":"../x","run":`+run+`}`)}, "not a valid name"},
		{"a DRIMbox twice", []string{write("d.json", `{"format":"drimm-probe-run/1","vantage":"b","run":`+strings.Replace(run, `"results":[`, `"results":[{"id":1,"verdict":"down"},`, 1)+`}`)}, "twice"},
		{"the same vantage point twice", []string{good, good}, "both from"},
		{"no vantage point among several", []string{good, write("n.json", `{"format":"drimm-probe-run/1","run":`+run+`}`)}, "no vantage point"},
		{"missing", []string{filepath.Join(dir, "absent.json")}, "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "status")
			env, _, stderr := testEnv(t, repo)
			code := Run(context.Background(), env, append([]string{"status", "record", "--out", data}, tc.files...))
			if code != ExitUsage || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want a usage error saying %q", code, stderr, tc.want)
			}
			if _, err := os.Stat(data); err == nil {
				t.Error("something was recorded")
			}
		})
	}
	env, _, stderr := testEnv(t, repo)
	if code := Run(context.Background(), env, []string{"status", "record", "--commit", good}); code != ExitUsage || !strings.Contains(stderr.String(), "in a clone of the trust space's repository") {
		t.Errorf("status record --commit outside a repository: exit %d, stderr %q; want a usage error", code, stderr)
	}
	env, _, stderr = testEnv(t, repo)
	if code := Run(context.Background(), env, []string{"probe", "--trust-anchor", "x.pem", "--save-run", "r.json", "--commit"}); code != ExitUsage || !strings.Contains(stderr.String(), "status record --commit") {
		t.Errorf("probe --save-run --commit: exit %d, stderr %q; want a usage error", code, stderr)
	}
}
