package status

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/go-git/go-git/v5/plumbing/object"
)

func requireTool(t testing.TB, name, pkg string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s not found: install %s", name, pkg)
	}
}

func runGit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.invalid",
		"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.invalid", "GIT_CONFIG_GLOBAL=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// originWithClones makes a bare origin holding one commit and n clones of it.
func originWithClones(t *testing.T, n int) (string, []string) {
	t.Helper()
	requireTool(t, "git", "git")
	dir := t.TempDir()
	origin := filepath.Join(dir, "origin.git")
	runGit(t, dir, "init", "-q", "--bare", "-b", "main", origin)
	seed := filepath.Join(dir, "seed")
	runGit(t, dir, "init", "-q", "-b", "main", seed)
	os.WriteFile(filepath.Join(seed, "README.md"), []byte("trust space\n"), 0o644)
	runGit(t, seed, "add", "README.md")
	runGit(t, seed, "commit", "-q", "-m", "start")
	runGit(t, seed, "push", "-q", origin, "main")
	var clones []string
	for i := 0; i < n; i++ {
		c := filepath.Join(dir, "clone"+string(rune('a'+i)))
		runGit(t, dir, "clone", "-q", origin, c)
		clones = append(clones, c)
	}
	return origin, clones
}

func publisher(clone string, run *probe.Run) Publish {
	return Publish{
		Repo: clone, Dir: "status", Message: "probe: " + run.Start.Format(time.RFC3339),
		Author: object.Signature{Name: "drimm probe", Email: "probe@example.invalid", When: run.Start},
		Apply:  func(fsys FS) error { return Apply(fsys, run, 5*time.Minute) },
	}
}

// TestConcurrentCommitsKeepBothRuns races two runs, each in its own clone,
// pushing to the same bare repository: both samples must end up on main.
func TestConcurrentCommitsKeepBothRuns(t *testing.T) {
	origin, clones := originWithClones(t, 2)
	runs := []*probe.Run{
		fakeRun(t0, 50*time.Millisecond, map[int]probe.Verdict{1: probe.Up, 2: probe.Up}),
		fakeRun(t0.Add(time.Second), 60*time.Millisecond, map[int]probe.Verdict{1: probe.Up, 2: probe.Down}),
	}
	// The second run reads its base, then waits for the first to push:
	// its own first push is then refused and it must fetch and retry.
	firstDone, secondRead := make(chan struct{}), make(chan struct{})
	var calls atomic.Int32
	second := publisher(clones[1], runs[1])
	apply := second.Apply
	second.Apply = func(fsys FS) error {
		if calls.Add(1) == 1 {
			close(secondRead)
			<-firstDone
		}
		return apply(fsys)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(runs))
	wg.Add(2)
	go func() {
		defer wg.Done()
		_, errs[1] = second.Commit(context.Background())
	}()
	go func() {
		defer wg.Done()
		defer close(firstDone)
		<-secondRead
		_, errs[0] = publisher(clones[0], runs[0]).Commit(context.Background())
	}()
	wg.Wait()
	if n := calls.Load(); n < 2 {
		t.Errorf("the second run applied its change %d times, want a retry", n)
	}
	for i, err := range errs {
		if err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
	files := runGit(t, origin, "ls-tree", "-r", "--name-only", "main")
	for _, want := range []string{"status/samples/2026-03-02/235000.txt", "status/samples/2026-03-02/235001.txt", "status/run.json", "status/latest/000.json", "README.md"} {
		if !strings.Contains(files, want) {
			t.Errorf("origin main lacks %s; has:\n%s", want, files)
		}
	}
	if n := runGit(t, origin, "rev-list", "--count", "main"); n != "3" {
		t.Errorf("origin main has %s commits, want 3 (start + one per run)", n)
	}
	run := runGit(t, origin, "show", "main:status/run.json")
	if !strings.Contains(run, `"run":"2026-03-02T23:50:01Z"`) {
		t.Errorf("run.json is not the later run's:\n%s", run)
	}
	// Each clone's work tree moved to what it pushed, or later.
	for _, c := range clones {
		if _, err := os.Stat(filepath.Join(c, "status", "run.json")); err != nil {
			t.Errorf("%s: %v", c, err)
		}
		if st := runGit(t, c, "status", "--porcelain"); st != "" {
			t.Errorf("%s is not clean after publishing:\n%s", c, st)
		}
	}
}

func TestCommitRefusesDirtyWorkTree(t *testing.T) {
	_, clones := originWithClones(t, 1)
	// An untracked file, such as a freshly built binary, is no obstacle.
	os.WriteFile(filepath.Join(clones[0], "drimm"), []byte("binary"), 0o755)
	if _, err := publisher(clones[0], fakeRun(t0, time.Millisecond, map[int]probe.Verdict{1: probe.Up})).Commit(context.Background()); err != nil {
		t.Fatalf("with an untracked file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(clones[0], "drimm")); err != nil {
		t.Errorf("the untracked file is gone: %v", err)
	}
	os.WriteFile(filepath.Join(clones[0], "README.md"), []byte("edited\n"), 0o644)
	_, err := publisher(clones[0], fakeRun(t0.Add(5*time.Minute), time.Millisecond, map[int]probe.Verdict{1: probe.Up})).Commit(context.Background())
	if err != ErrDirty {
		t.Errorf("err = %v, want ErrDirty", err)
	}
}
