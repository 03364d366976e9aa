package whitelist

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/gitrepo"
)

// gitRepo is a real repository in a temporary folder holding a copy of the
// test registry under registry/.
type gitRepo struct {
	t   *testing.T
	dir string
}

func newGitRepo(t *testing.T) *gitRepo {
	t.Helper()
	requireTool(t, "git", "git")
	g := &gitRepo{t: t, dir: t.TempDir()}
	if err := os.CopyFS(filepath.Join(g.dir, "registry"), os.DirFS(filepath.Join("testdata", "registry"))); err != nil {
		t.Fatal(err)
	}
	g.git("", "init", "-q", "-b", "main")
	return g
}

func (g *gitRepo) git(date string, args ...string) string {
	g.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = g.dir
	cmd.Env = []string{
		"HOME=" + g.dir, "GIT_CONFIG_NOSYSTEM=1", "PATH=" + os.Getenv("PATH"),
		"GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.invalid",
		"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.invalid",
	}
	if date != "" {
		cmd.Env = append(cmd.Env, "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		g.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// edit replaces old by new in a registry file.
func (g *gitRepo) edit(rel, old, new string) {
	g.t.Helper()
	p := filepath.Join(g.dir, "registry", filepath.FromSlash(rel))
	b, err := os.ReadFile(p)
	if err != nil {
		g.t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		g.t.Fatalf("%q not in %s", old, rel)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		g.t.Fatal(err)
	}
}

func (g *gitRepo) commit(date, msg string) {
	g.t.Helper()
	g.git(date, "add", "-A")
	g.git(date, "commit", "-q", "-m", msg)
}

// dates runs Dates on the work tree's registry.
func (g *gitRepo) dates() map[int]time.Time {
	g.t.Helper()
	repo, err := gitrepo.Open(g.dir)
	if err != nil {
		g.t.Fatal(err)
	}
	dir := filepath.Join(g.dir, "registry")
	entries, err := Entries(loadTestRegistry(g.t, dir))
	if err != nil {
		g.t.Fatal(err)
	}
	d, err := Dates(repo, dir, entries)
	if err != nil {
		g.t.Fatal(err)
	}
	return d
}

func TestDatesFromHistory(t *testing.T) {
	g := newGitRepo(t)
	const (
		box3  = "operators/imagerie-fictive/drimboxes/3.yaml"
		box12 = "operators/teleradio-exemple/drimboxes/12.yaml"
	)
	g.commit("2025-01-10T09:00:00Z", "registry")
	g.edit(box3, "OU=391230001900017", "OU=391230001900018")
	g.commit("2025-03-01T09:00:00Z", "new certificate for 3")
	g.edit(box12, "pacs: []", "pacs:\n  - {id: pacs-a, label: PACS A}")
	g.commit("2025-04-01T09:00:00Z", "a PACS behind 12 (not published)")
	g.edit("operators/teleradio-exemple/operator.yaml", "TÉLÉRADIO D'EXEMPLE", "TÉLÉRADIO D'EXEMPLE SAS")
	g.commit("2025-05-01T09:00:00Z", "operator renamed: 12 changes")
	g.edit("operators/imagerie-fictive/drimboxes/20.yaml", "declared_on: 2025-01-01", "declared_on: 2025-01-02")
	g.commit("2025-06-01T09:00:00Z", "a declared DRIMbox (not in the list)")

	want := map[int]string{3: "2025-03-01T09:00:00Z", 12: "2025-05-01T09:00:00Z"}
	check := func(got map[int]time.Time, want map[int]string) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("dates for %d entries, want %d: %v", len(got), len(want), got)
		}
		for id, w := range want {
			if FormatTime(got[id]) != w {
				t.Errorf("DateMAJ of %d = %s, want %s", id, FormatTime(got[id]), w)
			}
		}
	}
	check(g.dates(), want)

	// A change merged from a branch dates from the merge.
	g.git("", "checkout", "-q", "-b", "pr")
	g.edit(box3, "OU=391230001900018", "OU=391230001900019")
	g.commit("2025-07-01T09:00:00Z", "new certificate for 3, in a pull request")
	g.git("", "checkout", "-q", "main")
	g.git("2025-07-05T16:30:00Z", "merge", "-q", "--no-ff", "-m", "Merge pull request", "pr")
	want[3] = "2025-07-05T16:30:00Z"
	check(g.dates(), want)

	// A change not yet committed has no date from history.
	g.edit(box3, "support@imagerie-fictive.example", "drimbox@imagerie-fictive.example")
	delete(want, 3)
	check(g.dates(), want)
}
