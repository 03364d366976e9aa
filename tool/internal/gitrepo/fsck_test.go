package gitrepo

import (
	"bytes"
	"encoding/hex"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

func TestTreeProblem(t *testing.T) {
	h := plumbing.NewHash("1111111111111111111111111111111111111111")
	blob := func(name string) rawEntry { return rawEntry{mode: "100644", name: name, hash: h} }
	dir := func(name string) rawEntry { return rawEntry{mode: "40000", name: name, hash: h} }
	link := func(name string) rawEntry { return rawEntry{mode: "120000", name: name, hash: h} }
	for _, tt := range []struct {
		name    string
		entries []rawEntry
		want    string
	}{
		{"ordered", []rawEntry{blob("a.yaml"), dir("a"), blob("b.yaml"), link("c")}, ""},
		{"gitignore as a file", []rawEntry{blob(".gitignore"), blob(".gitmodules")}, ""},
		{"dotted names", []rawEntry{blob(".github"), dir(".gitx"), blob("git~2")}, ""},
		{"duplicate", []rawEntry{blob("a.yaml"), blob("a.yaml")}, `two entries are named "a.yaml"`},
		{"file and folder of one name", []rawEntry{blob("a"), dir("a")}, `two entries are named "a"`},
		{"out of order", []rawEntry{blob("b.yaml"), blob("a.yaml")}, "out of git's order"},
		{"folder sorts with a slash", []rawEntry{dir("a"), blob("a.yaml")}, "out of git's order"},
		{"empty name", []rawEntry{blob("")}, "empty name"},
		{"dot", []rawEntry{dir(".")}, `named "."`},
		{"dot dot", []rawEntry{dir("..")}, `named ".."`},
		{"slash", []rawEntry{blob("a/b.yaml")}, "holds a '/'"},
		{".git", []rawEntry{dir(".git")}, "read as .git"},
		{".GIT", []rawEntry{dir(".GIT")}, "read as .git"},
		{"GIT~1", []rawEntry{dir("GIT~1")}, "read as .git"},
		{".git with a trailing space", []rawEntry{dir(".git ")}, "read as .git"},
		{".git with trailing periods", []rawEntry{dir(".git..")}, "read as .git"},
		{".git data stream", []rawEntry{dir(".git::$INDEX_ALLOCATION")}, "read as .git"},
		{".git with a zero-width joiner", []rawEntry{dir(".g\u200dit")}, "read as .git"},
		{".git with a byte-order mark", []rawEntry{dir("\ufeff.Git")}, "read as .git"},
		{".gitmodules link", []rawEntry{link(".gitmodules")}, "symbolic link read as .gitmodules"},
		{"GITMOD~1 link", []rawEntry{link("GITMOD~1")}, "symbolic link read as .gitmodules"},
		{"gi7eba~9 link", []rawEntry{link("gi7eba~9")}, "symbolic link read as .gitmodules"},
		{".gitattributes link", []rawEntry{link(".gitattributes ")}, "symbolic link read as .gitattributes"},
		{"group-writable mode", []rawEntry{{mode: "100664", name: "a", hash: h}}, "mode 100664"},
		{"zero-padded mode", []rawEntry{{mode: "040000", name: "a", hash: h}}, "mode 040000"},
		{"null object", []rawEntry{{mode: "100644", name: "a"}}, "null object"},
		{"malformed", []rawEntry{{mode: "malformed"}}, "malformed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := treeProblem(tt.entries)
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// writeTree writes a tree object as given, in its order, as git itself
// never would, and returns its hash.
func writeTree(t *testing.T, dir string, entries ...string) string {
	t.Helper()
	var raw bytes.Buffer
	for _, e := range entries {
		// "mode name hash"
		f := strings.SplitN(e, " ", 3)
		h, err := hex.DecodeString(f[2])
		if err != nil {
			t.Fatal(err)
		}
		raw.WriteString(f[0] + " " + f[1] + "\x00")
		raw.Write(h)
	}
	cmd := exec.Command("git", "hash-object", "-t", "tree", "--literally", "-w", "--stdin")
	cmd.Dir, cmd.Stdin, cmd.Stderr = dir, &raw, os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

// TestCheckTrees: trees git refuses, written as objects and committed,
// are found where drimm reads and where the change brings them; an
// unchanged tree drimm does not read is not looked at.
func TestCheckTrees(t *testing.T) {
	root := t.TempDir()
	run(t, root, "init", "-q", "-b", "main", ".")
	write(t, root, map[string]string{"registry/a.yaml": "a: 1\n", "registry/b.yaml": "b: 1\n", "docs/x.md": "x\n"})
	run(t, root, "add", "-A")
	run(t, root, "commit", "-q", "-m", "base")
	a, b := run(t, root, "rev-parse", "HEAD:registry/a.yaml"), run(t, root, "rev-parse", "HEAD:registry/b.yaml")
	docs := run(t, root, "rev-parse", "HEAD:docs")
	commit := func(registry, docs string) string {
		top := writeTree(t, root, "40000 docs "+docs, "40000 registry "+registry)
		return run(t, root, "commit-tree", top, "-p", "HEAD", "-m", "head")
	}
	r := func() *Repo {
		g, err := Open(root)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}()
	check := func(head string, read ...string) []TreeProblem {
		t.Helper()
		base, err := r.Commit("HEAD")
		if err != nil {
			t.Fatal(err)
		}
		h, err := r.Commit(head)
		if err != nil {
			t.Fatal(err)
		}
		problems, err := r.CheckTrees(base, h, read)
		if err != nil {
			t.Fatal(err)
		}
		return problems
	}
	if p := check(commit(writeTree(t, root, "100644 a.yaml "+a, "100644 b.yaml "+b), docs), "registry"); len(p) != 0 {
		t.Fatalf("a clean tree: %v", p)
	}
	dup := writeTree(t, root, "100644 a.yaml "+a, "100644 a.yaml "+b)
	if p := check(commit(dup, docs), "registry"); len(p) != 1 || p[0].Path != "registry" || !strings.Contains(p[0].Msg, "two entries") {
		t.Fatalf("a duplicate in the registry: %v", p)
	}
	unordered := writeTree(t, root, "100644 b.yaml "+b, "100644 a.yaml "+a)
	if p := check(commit(unordered, docs), "registry"); len(p) != 1 || !strings.Contains(p[0].Msg, "out of git's order") {
		t.Fatalf("entries out of order: %v", p)
	}
	clean := writeTree(t, root, "100644 a.yaml "+a, "100644 b.yaml "+b)
	dotgit := writeTree(t, root, "100644 x.md "+a, "40000 GIT~1 "+clean)
	if p := check(commit(clean, dotgit), "registry"); len(p) != 1 || p[0].Path != "docs" || !strings.Contains(p[0].Msg, "read as .git") {
		t.Fatalf("a changed tree outside what drimm reads: %v", p)
	}
	// The base's own trees are not the change's: an unchanged folder
	// drimm does not read is not looked at.
	run(t, root, "update-ref", "HEAD", commit(clean, dotgit))
	if p := check(commit(clean, dotgit), "registry"); len(p) != 0 {
		t.Fatalf("an unchanged tree outside what drimm reads: %v", p)
	}
	if p := check(commit(clean, dotgit), "docs"); len(p) != 1 {
		t.Fatalf("an unchanged tree drimm reads: %v", p)
	}
}
