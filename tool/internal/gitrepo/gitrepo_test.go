package gitrepo

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// repo is a real git repository in a temporary folder.
type repo struct {
	t   *testing.T
	dir string
	// date is the commit date of the next commit, in seconds, so that
	// tests can order (or skew) commits.
	date int
}

func newRepo(t *testing.T) *repo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git not found: install the Debian package git")
	}
	r := &repo{t: t, dir: t.TempDir(), date: 1_700_000_000}
	r.git("init", "-q", "-b", "main")
	return r
}

func (r *repo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	d := strconv.Itoa(r.date) + " +0000"
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+r.dir,
		"GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.invalid", "GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.invalid",
		"GIT_AUTHOR_DATE="+d, "GIT_COMMITTER_DATE="+d)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// commit writes a file and commits it, one second after the previous commit.
func (r *repo) commit(name, content string) string {
	r.t.Helper()
	r.date += 1
	p := filepath.Join(r.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
	r.git("add", "-A")
	r.git("commit", "-q", "-m", name+": "+content)
	return r.git("rev-parse", "HEAD")
}

func (r *repo) open() *Repo {
	r.t.Helper()
	g, err := Open(r.dir)
	if err != nil {
		r.t.Fatal(err)
	}
	return g
}

func TestMergeBase(t *testing.T) {
	r := newRepo(t)
	fork := r.commit("a", "1")
	r.git("checkout", "-q", "-b", "pr")
	r.commit("b", "pr")
	r.git("checkout", "-q", "main")
	for i := range 20 {
		r.commit("status/run.json", strconv.Itoa(i))
	}
	g := r.open()
	mb, head, err := g.Range("main", "pr")
	if err != nil {
		t.Fatal(err)
	}
	if mb.Hash.String() != fork || head.Hash.String() != r.git("rev-parse", "pr") {
		t.Fatalf("merge-base %s head %s, want %s", mb.Hash, head.Hash, fork)
	}
	if want := r.git("merge-base", "main", "pr"); mb.Hash.String() != want {
		t.Fatalf("merge-base %s, git says %s", mb.Hash, want)
	}

	// The head merges main: the merge-base is main's tip it merged.
	r.git("checkout", "-q", "pr")
	r.date++
	r.git("merge", "-q", "--no-edit", "main")
	merged := r.git("rev-parse", "main")
	r.git("checkout", "-q", "main")
	r.commit("status/run.json", "after")
	mb, _, err = r.open().Range("main", "pr")
	if err != nil {
		t.Fatal(err)
	}
	if mb.Hash.String() != merged {
		t.Fatalf("merge-base %s, want %s (main as merged)", mb.Hash, merged)
	}

	// A base that is the head's ancestor is its own merge-base.
	mb, _, err = r.open().Range(fork, "pr")
	if err != nil || mb.Hash.String() != fork {
		t.Fatalf("merge-base %v %v, want %s", mb, err, fork)
	}
}

// TestMergeBaseClockSkew: a fork commit dated after its descendants does
// not stop the walk early.
func TestMergeBaseClockSkew(t *testing.T) {
	r := newRepo(t)
	r.commit("a", "1")
	r.date += 10_000
	fork := r.commit("a", "2")
	r.date -= 20_000
	r.git("checkout", "-q", "-b", "pr")
	r.commit("b", "pr")
	r.git("checkout", "-q", "main")
	r.commit("c", "main")
	mb, _, err := r.open().Range("main", "pr")
	if err != nil {
		t.Fatal(err)
	}
	if mb.Hash.String() != fork {
		t.Fatalf("merge-base %s, want %s", mb.Hash, fork)
	}
}

func TestMergeBaseRefused(t *testing.T) {
	r := newRepo(t)
	r.commit("a", "1")
	r.git("checkout", "-q", "-b", "x")
	r.commit("x", "1")
	r.git("checkout", "-q", "main")
	r.commit("m", "1")
	// Criss-cross: each branch merges the other's tip.
	mainTip, xTip := r.git("rev-parse", "main"), r.git("rev-parse", "x")
	r.date++
	r.git("merge", "-q", "--no-edit", xTip)
	r.git("checkout", "-q", "x")
	r.date++
	r.git("merge", "-q", "--no-edit", mainTip)
	r.git("checkout", "-q", "main")
	r.commit("m", "2")
	r.git("checkout", "-q", "x")
	r.commit("x", "2")
	_, _, err := r.open().Range("main", "x")
	if !errors.Is(err, ErrNoMergeBase) || !strings.Contains(err.Error(), "2 best common ancestors") {
		t.Fatalf("criss-cross: %v, want ErrNoMergeBase with 2 best common ancestors", err)
	}

	r.git("checkout", "-q", "--orphan", "lone")
	r.commit("lone", "1")
	_, _, err = r.open().Range("main", "lone")
	if !errors.Is(err, ErrNoMergeBase) || !strings.Contains(err.Error(), "no common history") {
		t.Fatalf("unrelated: %v, want ErrNoMergeBase", err)
	}
}

func TestCommitStrict(t *testing.T) {
	r := newRepo(t)
	c1 := r.commit("a", "1")
	c2 := r.commit("a", "2")
	r.git("checkout", "-q", "-b", "side", c1)
	side := r.commit("s", "1")
	r.git("checkout", "-q", "main")
	r.date++
	r.git("merge", "-q", "--no-edit", "side")
	merge := r.git("rev-parse", "HEAD")
	r.git("tag", "-a", "-m", "v1", "v1", c2)
	r.git("tag", "both", c1)
	r.git("branch", "both", c2)
	r.git("update-ref", "refs/remotes/origin/main", c2)
	g := r.open()
	for _, tc := range []struct{ rev, want string }{
		{"HEAD", merge}, {"main", merge}, {"refs/heads/main", merge}, {merge, merge},
		{"HEAD~1", c2}, {"HEAD^", c2}, {"HEAD^2", side}, {"HEAD^2~1", c1}, {"HEAD~2", c1}, {"HEAD^0", merge},
		{"v1", c2}, {"origin/main", c2}, {"refs/tags/both", c1}, {"refs/heads/both", c2},
	} {
		c, err := g.Commit(tc.rev)
		if err != nil {
			t.Errorf("%s: %v", tc.rev, err)
			continue
		}
		if c.Hash.String() != tc.want {
			t.Errorf("%s = %s, want %s", tc.rev, c.Hash, tc.want)
		}
	}
	for _, tc := range []struct {
		rev  string
		want error
		msg  string
	}{
		{"both", ErrAmbiguous, `"both" matches refs/tags/both, refs/heads/both`},
		{merge[:12], ErrAmbiguous, "abbreviated SHA, which is never guessed"},
		{"nosuch", ErrUnknown, `no ref or commit named "nosuch"`},
		{strings.Repeat("0", 40), ErrUnknown, "no object 0000000000000000000000000000000000000000"},
		{"HEAD~9", ErrUnknown, "has no parent"},
		{"HEAD^3", ErrUnknown, "has no parent 3"},
		{"main..side", ErrUnknown, "give a full SHA or a ref name"},
		{"main@{1}", ErrUnknown, "give a full SHA or a ref name"},
		{":/a", ErrUnknown, "give a full SHA or a ref name"},
	} {
		_, err := g.Commit(tc.rev)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v, want %v with %q", tc.rev, err, tc.want, tc.msg)
		}
	}
}

func TestDiffModes(t *testing.T) {
	r := newRepo(t)
	r.commit("tool/run.sh", "echo\n")
	r.commit("registry/x.yaml", "a: 1\n")
	base := r.git("rev-parse", "HEAD")
	r.git("update-index", "--chmod=+x", "registry/x.yaml")
	if err := os.Symlink("x.yaml", filepath.Join(r.dir, "registry", "link.yaml")); err != nil {
		t.Fatal(err)
	}
	r.git("add", "registry/link.yaml")
	r.git("update-index", "--add", "--cacheinfo", "160000,"+base+",registry/sub")
	r.git("rm", "-q", "tool/run.sh")
	r.date++
	r.git("commit", "-q", "-m", "modes")
	g := r.open()
	bc, _ := g.Commit(base)
	hc, _ := g.Commit("HEAD")
	got, err := g.Diff(bc, hc)
	if err != nil {
		t.Fatal(err)
	}
	want := []PathChange{
		{"registry/link.yaml", ModeAbsent, ModeSymlink},
		{"registry/sub", ModeAbsent, ModeSubmodule},
		{"registry/x.yaml", ModeRegular, ModeExecutable},
		{"tool/run.sh", ModeRegular, ModeAbsent},
	}
	if len(got) != len(want) {
		t.Fatalf("diff %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("diff[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	files, err := g.Files(hc, "registry")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, f := range files {
		switch {
		case f.Symlink:
			kinds[f.Path] = "symlink"
		case f.Submodule:
			kinds[f.Path] = "submodule"
		case f.Executable:
			kinds[f.Path] = "executable"
		}
	}
	if kinds["link.yaml"] != "symlink" || kinds["sub"] != "submodule" || kinds["x.yaml"] != "executable" {
		t.Fatalf("files flagged %v", kinds)
	}
}

// BenchmarkMergeBase measures the merge-base of a pull request forked
// before 10,000 probe commits on main (35 days of five-minute runs), in a
// packed repository written by git fast-import.
func BenchmarkMergeBase(b *testing.B) {
	dir := b.TempDir()
	var script strings.Builder
	date := 1_700_000_000
	commit := func(ref string, mark, parent int, content string) {
		date += 300
		fmt.Fprintf(&script, "blob\nmark :%d\ndata %d\n%s\n", mark+1_000_000, len(content), content)
		fmt.Fprintf(&script, "commit %s\nmark :%d\ncommitter T <t@example.invalid> %d +0000\ndata 1\nc\n", ref, mark, date)
		if parent > 0 {
			fmt.Fprintf(&script, "from :%d\n", parent)
		}
		fmt.Fprintf(&script, "M 100644 :%d status/run.json\n\n", mark+1_000_000)
	}
	commit("refs/heads/main", 1, 0, "fork")
	commit("refs/heads/pr", 2, 1, "pr")
	for i := 3; i < 10_003; i++ {
		commit("refs/heads/main", i, i-1, strconv.Itoa(i))
	}
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"fast-import", "--quiet"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		if args[0] == "fast-import" {
			cmd.Stdin = strings.NewReader(script.String())
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	g, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, _, err := g.Range("main", "pr"); err != nil {
			b.Fatal(err)
		}
	}
}
