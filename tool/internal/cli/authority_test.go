package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/drim-m/trust-space/tool/internal/plan"
)

// authorityRepo builds, in a real git repository, the history of
// testdata/script/validate_authority.txtar: op-a-old's branch "stale" cut
// while it maintained op-a and ans-old was an ANS reviewer, then main
// removing both.
func authorityRepo(t *testing.T) string {
	t.Helper()
	requireTool(t, "git", "git")
	ar, err := txtar.ParseFile("testdata/script/validate_authority.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, data []byte) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string][]byte{}
	for _, f := range ar.Files {
		files[f.Name] = f.Data
		if strings.HasPrefix(f.Name, "registry/") {
			write(f.Name, f.Data)
		}
	}
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.invalid", "GIT_COMMITTER_NAME=t",
			"GIT_COMMITTER_EMAIL=t@example.invalid", "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	git("init", "-q", "-b", "main", ".")
	git("add", "registry")
	git("commit", "-q", "-m", "base")
	git("checkout", "-q", "-b", "stale")
	write("registry/operators/op-a/drimboxes/3.yaml", files["updated.yaml"])
	git("commit", "-q", "-am", "update")
	git("checkout", "-q", "main")
	write("registry/operators/op-a/operator.yaml", files["operator-a-now.yaml"])
	write("registry/trust-space.yaml", files["trust-space-now.yaml"])
	git("commit", "-q", "-am", "op-a-old and ans-old leave")
	return dir
}

// TestApprovalAuthorityFromBaseTip: an approval counts only from a login
// main lists as an ANS reviewer now; the branch's fork point, where the
// login was still one, grants nothing.
func TestApprovalAuthorityFromBaseTip(t *testing.T) {
	dir := authorityRepo(t)
	env := &Env{Now: func() time.Time { return testNow }, Getenv: func(string) string { return "" }, Root: dir}
	g, err := loadChange(env, filepath.Join(dir, "registry"), "main", "stale", "op-a-ops")
	if err != nil {
		t.Fatal(err)
	}
	head := g.head.Hash.String()
	approve := func(login string) plan.Input {
		return plan.Input{Change: g.change, Now: testNow, BaseSHA: g.base.Hash.String(), HeadSHA: head, Files: g.paths(),
			RegistryDir: g.rel, ReviewsKnown: true, Reviews: []plan.Review{{Login: login, State: "APPROVED", CommitID: head}}}
	}
	a := plan.Make(approve("ans-old")).Approval
	if a.Met() || len(a.Approved) != 0 {
		t.Fatalf("ans-old, removed from the reviewers on main, still approves: %+v", a)
	}
	if strings.Join(a.Reviewers, ",") != "ans-reviewer" {
		t.Fatalf("reviewers = %v, want main's [ans-reviewer]", a.Reviewers)
	}
	if a := plan.Make(approve("ans-reviewer")).Approval; !a.Met() {
		t.Fatalf("an approval by a reviewer main lists is not met: %s", a.Status())
	}

	// Compared with the fork point as base, ans-old was a reviewer: the
	// base revision given is the authority, and the gate gives main's tip.
	fork, err := loadChange(env, filepath.Join(dir, "registry"), "main~1", "stale", "op-a-ops")
	if err != nil {
		t.Fatal(err)
	}
	in := approve("ans-old")
	in.Change = fork.change
	if a := plan.Make(in).Approval; !a.Met() {
		t.Fatalf("at the fork point ans-old was a reviewer, yet: %s", a.Status())
	}
}
