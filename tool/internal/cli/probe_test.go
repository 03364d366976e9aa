package cli

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/sim"
	"github.com/drim-m/trust-space/tool/internal/testpki"
)

// probeFleet starts simulated DRIMboxes standing for the operational
// DRIMboxes of the sample registry, with their registered DNs and PACS,
// and returns the probe flags that reach them.
func probeFleet(t *testing.T, repo string, kinds map[int]sim.Kind) (*sim.Fleet, []string) {
	t.Helper()
	reg, _, err := registry.Load(filepath.Join(repo, "registry"))
	if err != nil {
		t.Fatal(err)
	}
	o := sim.Options{Now: testNow, Zone: reg.TrustSpace.Zone, Subjects: map[int]string{}, PACS: map[int][]string{}}
	for _, d := range reg.Operational() {
		o.IDs = append(o.IDs, d.Identifiant)
		k, ok := kinds[d.Identifiant]
		if !ok {
			k = sim.Healthy
		}
		o.Kinds = append(o.Kinds, k)
		o.Subjects[d.Identifiant] = d.Certificates.Server.DN
		for _, p := range d.PACS {
			o.PACS[d.Identifiant] = append(o.PACS[d.Identifiant], p.ID)
		}
	}
	fleet, err := sim.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fleet.Close)
	root := filepath.Join(t.TempDir(), "root.pem")
	if err := os.WriteFile(root, fleet.PKI.Root.CertPEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"--trust-anchor", root, "--canary", fleet.Canary, "--timeout", "3s"}
	for host, addr := range fleet.Resolve() {
		args = append(args, "--resolve", host+":"+addr)
	}
	return fleet, args
}

// sampleRoot is a repository root whose registry/ is the frozen sample
// registry.
func sampleRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Dir(sampleRegistry))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func TestProbeNeedsTrustAnchor(t *testing.T) {
	env, _, stderr := testEnv(t, sampleRoot(t))
	if code := Run(context.Background(), env, []string{"probe"}); code != ExitUsage {
		t.Errorf("exit %d, want %d", code, ExitUsage)
	}
	if !strings.Contains(stderr.String(), "--trust-anchor") {
		t.Errorf("stderr lacks the hint:\n%s", stderr)
	}
}

// TestProbeThenBuild probes simulated stand-ins of the sample registry's
// operational DRIMboxes, records the run, and builds the page from it.
func TestProbeThenBuild(t *testing.T) {
	repo := sampleRoot(t)
	_, args := probeFleet(t, repo, map[int]sim.Kind{2: sim.PACSDown, 4: sim.Down})
	work := t.TempDir()
	env, stdout, stderr := testEnv(t, repo)
	data := filepath.Join(work, "status")
	code := Run(context.Background(), env, append([]string{"probe", "--out", data}, args...))
	if code != ExitOK {
		t.Fatalf("probe: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"1   up", "2   degraded", "4   down", "7   up", "10  up", "pacs-down", "db-down,connect"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("probe output lacks %q:\n%s", want, stdout)
		}
	}
	if _, err := os.Stat(filepath.Join(data, "run.json")); err != nil {
		t.Fatal(err)
	}
	env, _, stderr = testEnv(t, repo)
	out := filepath.Join(work, "site")
	if code := Run(context.Background(), env, []string{"status", "build", "--data", data, "--out", out}); code != ExitOK {
		t.Fatalf("status build: exit %d\n%s", code, stderr)
	}
	page, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`lang="fr"`, "Perturbations en cours : 1 DRIMbox hors service (20\u00a0%), 1 dégradé, sur 5 DRIMbox suivis.", ">DRIMbox 4</a>"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	list, err := os.ReadFile(filepath.Join(out, "liste", "1.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(list), ">DRIMbox 10</a>") {
		t.Errorf("liste/1.html lacks DRIMbox 10")
	}
}

// TestProbeCommit records a run with --commit into a clone and pushes it
// to a bare repository on disk.
func TestProbeCommit(t *testing.T) {
	requireTool(t, "git", "git")
	repo := sampleRoot(t)
	_, args := probeFleet(t, repo, nil)
	dir := t.TempDir()
	git := func(dir string, args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.invalid", "GIT_COMMITTER_NAME=T",
			"GIT_COMMITTER_EMAIL=t@example.invalid", "GIT_CONFIG_GLOBAL=/dev/null")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	origin := filepath.Join(dir, "origin.git")
	git(dir, "init", "-q", "--bare", "-b", "main", origin)
	seed := filepath.Join(dir, "seed")
	git(dir, "init", "-q", "-b", "main", seed)
	if err := os.CopyFS(filepath.Join(seed, "registry"), os.DirFS(sampleRegistry)); err != nil {
		t.Fatal(err)
	}
	git(seed, "add", "registry")
	git(seed, "commit", "-q", "-m", "registry")
	git(seed, "push", "-q", origin, "main")
	clone := filepath.Join(dir, "clone")
	git(dir, "clone", "-q", origin, clone)

	env, _, stderr := testEnv(t, clone)
	if code := Run(context.Background(), env, append([]string{"probe", "--commit"}, args...)); code != ExitOK {
		t.Fatalf("probe --commit: exit %d\n%s", code, stderr)
	}
	files := git(origin, "ls-tree", "-r", "--name-only", "main", "status")
	if !strings.Contains(files, "status/run.json") || !strings.Contains(files, "status/latest/000.json") {
		t.Errorf("origin lacks the run:\n%s", files)
	}
	if log := git(origin, "log", "-1", "--format=%s", "main"); !strings.HasPrefix(log, "status: probe run 2026-11-30T09:00:00Z") {
		t.Errorf("last commit: %q", log)
	}
	// Every simulated DRIMbox is healthy: the recorded run says so, and the
	// commit is dated by the test's clock.
	if body := git(origin, "log", "-1", "--format=%b", "main"); !strings.Contains(body, "5 DRIMboxes: 5 up, 0 degraded, 0 down, 0 unknown") {
		t.Errorf("the pushed run is not the healthy fleet's:\n%s", body)
	}
	if date := strings.TrimSpace(git(origin, "log", "-1", "--format=%aI", "main")); date != "2026-11-30T09:00:00Z" && date != "2026-11-30T09:00:00+00:00" {
		t.Errorf("commit dated %s, want the test's clock", date)
	}
}

func TestProbeAndBuildUsage(t *testing.T) {
	repo := sampleRoot(t)
	bogus := filepath.Join(t.TempDir(), "bogus.pem")
	os.WriteFile(bogus, []byte("not a certificate"), 0o644)
	pki, err := testpki.New(testpki.Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	anchor := filepath.Join(t.TempDir(), "root.pem")
	os.WriteFile(anchor, pki.Root.CertPEM(), 0o644)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"trust anchor without certificate", []string{"probe", "--trust-anchor", bogus}, ExitEnv, "no PEM certificate"},
		{"bad --resolve", []string{"probe", "--trust-anchor", anchor, "--resolve", "db1.example:443"}, ExitUsage, "HOST:PORT:ADDR"},
		{"unknown format", []string{"probe", "--trust-anchor", anchor, "--format", "xml"}, ExitUsage, "--format text or json"},
		{"days out of range", []string{"status", "build", "--days", "0"}, ExitUsage, "--days between 1 and 366"},
		{"no data", []string{"status", "build", "--data", filepath.Join(t.TempDir(), "none")}, ExitEnv, "run drimm probe first"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env, _, stderr := testEnv(t, repo)
			if code := Run(context.Background(), env, tc.args); code != tc.code {
				t.Errorf("exit %d, want %d\n%s", code, tc.code, stderr)
			}
			if !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, stderr)
			}
		})
	}
}

// TestProbeNetworkDown: nothing answers and neither does the canary, so
// the run is recorded with every DRIMbox unknown and drimm exits 3.
func TestProbeNetworkDown(t *testing.T) {
	repo := sampleRoot(t)
	fleet, _ := probeFleet(t, repo, nil)
	root := filepath.Join(t.TempDir(), "root.pem")
	os.WriteFile(root, fleet.PKI.Root.CertPEM(), 0o644)
	closed := fleet.Canary
	fleet.Close() // the canary and every DRIMbox stop answering
	data := filepath.Join(t.TempDir(), "status")
	env, stdout, stderr := testEnv(t, repo)
	code := Run(context.Background(), env, []string{"probe", "--trust-anchor", root, "--canary", closed, "--timeout", "2s",
		"--resolve", "*:443:" + closed, "--out", data})
	if code != ExitEnv {
		t.Fatalf("exit %d, want %d\n%s", code, ExitEnv, stderr)
	}
	if strings.Contains(stdout.String(), " down ") || !strings.Contains(stdout.String(), "unknown") {
		t.Errorf("want every DRIMbox unknown:\n%s", stdout)
	}
	if _, err := os.Stat(filepath.Join(data, "run.json")); err != nil {
		t.Errorf("the run was not recorded: %v", err)
	}
}
