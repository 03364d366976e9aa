package gitrepo

import (
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// packedThenLoose makes a repository whose base commit is packed and
// whose head commit, changing every file, is loose, as after a gc and a
// new commit; it returns the repository's folder.
func packedThenLoose(t *testing.T, files int) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is required: apt-get install git")
	}
	root := t.TempDir()
	run(t, root, "init", "-q", "-b", "main", ".")
	run(t, root, "config", "gc.auto", "0")
	m := map[string]string{}
	for i := range files {
		m[fmt.Sprintf("registry/operators/op-%d/drimboxes/%d.yaml", i%10, i)] = fmt.Sprintf("identifiant: %d\n", i)
	}
	write(t, root, m)
	run(t, root, "add", "-A")
	run(t, root, "commit", "-q", "-m", "base")
	run(t, root, "gc", "-q")
	for p, s := range m {
		m[p] = s + "status: declared\n"
	}
	write(t, root, m)
	run(t, root, "commit", "-q", "-am", "head")
	return root
}

// readChange reads a change's files and paths as validate does.
func readChange(r *Repo, base, head *object.Commit) (files []registry.File, paths []PathChange, err error) {
	_, files, err = r.FilesPair(base, head, "registry")
	if err != nil {
		return nil, nil, err
	}
	slices.SortFunc(files, func(a, b registry.File) int { return strings.Compare(a.Path, b.Path) })
	paths, err = r.Diff(base, head)
	return files, paths, err
}

// TestReadAfterRepack: git packs the loose objects and deletes the pack
// the repository was opened with, between opening and reading; the read
// finds every object in the new pack.
func TestReadAfterRepack(t *testing.T) {
	root := packedThenLoose(t, 200)
	r, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	base, head, err := r.Range("HEAD~1", "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	wantFiles, wantPaths, err := readChange(r, base, head)
	if err != nil || len(wantFiles) != 200 || len(wantPaths) != 200 {
		t.Fatalf("before the repack: %d files, %d paths, %v", len(wantFiles), len(wantPaths), err)
	}
	r, err = Open(root)
	if err != nil {
		t.Fatal(err)
	}
	if base, head, err = r.Range("HEAD~1", "HEAD"); err != nil {
		t.Fatal(err)
	}
	run(t, root, "repack", "-q", "-a", "-d")
	if n := run(t, root, "count-objects"); !strings.HasPrefix(n, "0 objects") {
		t.Fatalf("the repack left loose objects: %s", n)
	}
	files, paths, err := readChange(r, base, head)
	if err != nil {
		t.Fatalf("reading after a repack: %v", err)
	}
	if !slices.EqualFunc(files, wantFiles, func(a, b registry.File) bool { return a.Path == b.Path && string(a.Data) == string(b.Data) }) || !slices.Equal(paths, wantPaths) {
		t.Fatal("the change reads differently after a repack")
	}
}

// TestReadDuringRepack: git repacks a repository of a few thousand loose
// objects while the change is read, again and again; every read succeeds
// and reads the same.
func TestReadDuringRepack(t *testing.T) {
	root := packedThenLoose(t, 1500)
	r, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	base, head, err := r.Range("HEAD~1", "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := readChange(r, base, head)
	if err != nil {
		t.Fatal(err)
	}
	// A reader opened before the repack, as drimm is when git gc --auto
	// starts after a commit.
	if r, err = Open(root); err != nil {
		t.Fatal(err)
	}
	if base, head, err = r.Range("HEAD~1", "HEAD"); err != nil {
		t.Fatal(err)
	}
	repack := exec.Command("git", "repack", "-q", "-a", "-d")
	repack.Dir = root
	if err := repack.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- repack.Wait() }()
	reads := 0
	for finished := false; !finished; reads++ {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("git repack: %v", err)
			}
			finished = true
		default:
		}
		files, _, err := readChange(r, base, head)
		if err != nil {
			<-done
			t.Fatalf("read %d during a repack: %v", reads, err)
		}
		if len(files) != len(want) {
			t.Fatalf("read %d: %d files, want %d", reads, len(files), len(want))
		}
	}
	if n := run(t, root, "count-objects"); !strings.HasPrefix(n, "0 objects") {
		t.Fatalf("the repack left loose objects: %s", n)
	}
	t.Logf("%d reads during the repack", reads)
}
