package gitrepo

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

func run(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.invalid", "GIT_COMMITTER_NAME=t",
		"GIT_COMMITTER_EMAIL=t@example.invalid", "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir, "GIT_CONFIG_GLOBAL=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func write(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for p, s := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFilesPairLooseAndPacked: both revisions read the same whether their
// objects are loose (a fresh commit), packed (after git gc), or reached
// from a linked worktree; a file both hold unchanged is read once.
func TestFilesPairLooseAndPacked(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is required: apt-get install git")
	}
	root := t.TempDir()
	run(t, root, "init", "-q", "-b", "main", ".")
	run(t, root, "config", "gc.auto", "0")
	base := map[string]string{"registry/a.yaml": "a: 1\n", "registry/sub/b.yaml": "b: 2\n", "registry/empty.yaml": "", "other.txt": "x\n"}
	for i := range 300 {
		base["registry/many/"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+strings.Repeat("y", i/26)+".yaml"] = strings.Repeat("line\n", i)
	}
	write(t, root, base)
	run(t, root, "add", "-A")
	run(t, root, "commit", "-q", "-m", "base")
	change := map[string]string{"registry/a.yaml": "a: 10\n", "registry/c.yaml": "c: 3\n"}
	write(t, root, change)
	run(t, root, "add", "-A")
	run(t, root, "commit", "-q", "-m", "head")

	// want is what a revision holds under registry/, as written.
	want := func(layers ...map[string]string) []registry.File {
		m := map[string]string{}
		for _, l := range layers {
			for p, v := range l {
				m[p] = v
			}
		}
		var out []registry.File
		for p, v := range m {
			if rel, ok := strings.CutPrefix(p, "registry/"); ok {
				out = append(out, registry.File{Path: rel, Data: []byte(v), Size: int64(len(v))})
			}
		}
		slices.SortFunc(out, func(a, b registry.File) int { return strings.Compare(a.Path, b.Path) })
		return out
	}
	wantBase, wantHead := want(base), want(base, change)
	check := func(t *testing.T, dir string) {
		r, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		bc, err := r.Commit("HEAD~1")
		if err != nil {
			t.Fatal(err)
		}
		hc, err := r.Commit("HEAD")
		if err != nil {
			t.Fatal(err)
		}
		gotBase, gotHead, err := r.FilesPair(bc, hc, "registry")
		if err != nil {
			t.Fatal(err)
		}
		for _, fs := range [][]registry.File{gotBase, gotHead} {
			slices.SortFunc(fs, func(a, b registry.File) int { return strings.Compare(a.Path, b.Path) })
		}
		opt := cmp.Comparer(func(a, b []byte) bool { return string(a) == string(b) })
		if diff := cmp.Diff(wantBase, gotBase, opt); diff != "" {
			t.Fatalf("base (-git +FilesPair):\n%s", diff)
		}
		if diff := cmp.Diff(wantHead, gotHead, opt); diff != "" {
			t.Fatalf("head (-git +FilesPair):\n%s", diff)
		}
	}
	t.Run("loose", func(t *testing.T) {
		if n := run(t, root, "count-objects"); strings.HasPrefix(n, "0 objects") {
			t.Fatalf("expected loose objects: %s", n)
		}
		check(t, root)
	})
	t.Run("packed", func(t *testing.T) {
		run(t, root, "gc", "-q")
		if n := run(t, root, "count-objects"); !strings.HasPrefix(n, "0 objects") {
			t.Fatalf("expected no loose objects after gc: %s", n)
		}
		check(t, root)
	})
	// What a revision holds is what was committed, whatever the work
	// tree holds: an edited, removed or replaced file changes nothing.
	t.Run("work tree edited, not committed", func(t *testing.T) {
		write(t, root, map[string]string{"registry/a.yaml": "a: 99\n", "registry/many/a.yaml": "edited\n"})
		if err := os.Remove(filepath.Join(root, "registry", "c.yaml")); err != nil {
			t.Fatal(err)
		}
		b := filepath.Join(root, "registry", "sub", "b.yaml")
		if err := os.Remove(b); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(root, "registry", "a.yaml"), b); err != nil {
			t.Fatal(err)
		}
		check(t, root)
		run(t, root, "checkout", "-q", "-f", "HEAD")
		check(t, root)
	})
	t.Run("packed and loose from a worktree", func(t *testing.T) {
		wt := filepath.Join(t.TempDir(), "wt")
		run(t, root, "worktree", "add", "-q", wt, "-b", "side")
		side := map[string]string{"registry/sub/b.yaml": "b: 20\n"}
		write(t, wt, side)
		run(t, wt, "commit", "-q", "-am", "side")
		wantBase, wantHead = want(base, change), want(base, change, side)
		check(t, wt)
	})
}
