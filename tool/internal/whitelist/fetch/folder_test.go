//go:build unix

package fetch

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runOrHang runs fetch, and fails the test if the run does not return
// long after its own deadline: a read of a FIFO has no deadline.
func (fx *fixture) runOrHang(t *testing.T, now time.Time) (*Result, error) {
	t.Helper()
	type outcome struct {
		res *Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		opts := fx.options(now)
		opts.Timeout = 5 * time.Second
		res, err := Run(context.Background(), opts)
		done <- outcome{res, err}
	}()
	select {
	case o := <-done:
		return o.res, o.err
	case <-time.After(2 * time.Minute):
		// Unblock the reader so that the test binary can end.
		for _, name := range []string{CurrentFile, PreviousFile, MetaFile, "state.json"} {
			p := filepath.Join(fx.dir, name)
			if fi, err := os.Lstat(p); err == nil && fi.Mode()&os.ModeNamedPipe != 0 {
				if f, err := os.OpenFile(p, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
					f.Close()
				}
			}
		}
		t.Fatal("the run is stuck on a file of the folder, past its deadline")
		return nil, nil
	}
}

// Whoever can write the output folder can put a FIFO, a device or a link
// to one where a run reads back what it kept: the run still ends, without
// reading it, and without taking it for the list or the state.
func TestFetchKeptFilesThatAreNotFiles(t *testing.T) {
	fx := newFixture(t)
	first := fx.list(t, t0, 3, nil)
	second := fx.list(t, t0.Add(time.Hour), 4, nil)
	setUp := func() {
		t.Helper()
		fx.dir = t.TempDir()
		for _, l := range [][]byte{first, second} {
			fx.srv.serve(l)
			if res := fx.run(t, t0.Add(2*time.Hour)); res.Status != Updated {
				t.Fatalf("setting up: %+v", res)
			}
		}
	}
	fifo := func(name string) {
		t.Helper()
		p := filepath.Join(fx.dir, name)
		os.Remove(p)
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	zero := func(name string) {
		t.Helper()
		p := filepath.Join(fx.dir, name)
		os.Remove(p)
		if err := os.Symlink("/dev/zero", p); err != nil {
			t.Fatal(err)
		}
	}
	state := "state.json"

	for _, tc := range []struct {
		name  string
		plant func()
		says  string // the run's error, "" when it goes on
	}{
		{"the state a FIFO", func() { fifo(state) }, "not a regular file"},
		{"the state a link to /dev/zero", func() { zero(state) }, "not a regular file"},
		{"fetch.json a FIFO", func() { fifo(MetaFile) }, ""},
		{"the list held a FIFO", func() { fifo(CurrentFile) }, ""},
		{"the list held a link to /dev/zero", func() { zero(CurrentFile) }, ""},
		{"the state lost, the list held a FIFO", func() { os.Remove(filepath.Join(fx.dir, state)); fifo(CurrentFile) }, ""},
		{"the state lost, both lists FIFOs", func() {
			os.Remove(filepath.Join(fx.dir, state))
			fifo(CurrentFile)
			fifo(PreviousFile)
		}, ErrStateLost.Error()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setUp()
			tc.plant()
			fx.srv.serve(second)
			res, err := fx.runOrHang(t, t0.Add(2*time.Hour))
			if tc.says != "" {
				if err == nil || !strings.Contains(err.Error(), tc.says) {
					t.Fatalf("got %+v, %v; want an error saying %q", res, err, tc.says)
				}
				return
			}
			if err != nil {
				t.Fatalf("the run failed: %v", err)
			}
			// The list served is the one accepted last: never older.
			if res.Held == nil || !res.Held.Generated.Equal(t0.Add(time.Hour)) {
				t.Fatalf("the run holds %+v", res)
			}
			if fi, err := os.Lstat(filepath.Join(fx.dir, CurrentFile)); err != nil || !fi.Mode().IsRegular() {
				t.Errorf("the list held is not a file after the run: %v", err)
			}
		})
	}
}

// A link planted as the lock file is not followed: a run as root would
// create the file it points to.
func TestFetchLockIsNotALink(t *testing.T) {
	fx := newFixture(t)
	fx.srv.serve(fx.list(t, t0, 3, nil))
	target := filepath.Join(t.TempDir(), "created-by-fetch")
	if err := os.Symlink(target, filepath.Join(fx.dir, LockFile)); err != nil {
		t.Fatal(err)
	}
	_, err := Run(context.Background(), fx.options(t0.Add(time.Hour)))
	if err == nil || !strings.Contains(err.Error(), "remove it") {
		t.Errorf("a run with a link as its lock: %v, want an error asking to remove it", err)
	}
	if _, err := os.Lstat(target); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the run created the file the lock's link points to: %v", err)
	}
}

// A lock file removed while a run holds it (a cleaner of old files, or
// anyone who can write the folder) lets the next run lock a new file and
// work beside the first: the first then writes nothing.
func TestFetchLockRemovedWhileHeld(t *testing.T) {
	fx := newFixture(t)
	first := fx.list(t, t0, 3, nil)
	fx.srv.serve(first)
	if res := fx.run(t, t0.Add(time.Hour)); res.Status != Updated {
		t.Fatalf("setting up: %+v", res)
	}
	stateBefore, err := os.ReadFile(filepath.Join(fx.dir, "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	fx.srv.serve(fx.list(t, t0.Add(30*time.Minute), 4, nil))
	h := &held{arrived: make(chan struct{}, 4), release: make(chan struct{})}
	fx.srv.mu.Lock()
	fx.srv.hold = h.wait
	fx.srv.mu.Unlock()
	run := fx.runAsync(t0.Add(time.Hour))
	<-h.arrived
	if err := os.Remove(filepath.Join(fx.dir, LockFile)); err != nil {
		t.Fatal(err)
	}
	close(h.release)
	if err := <-run; !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), "removed or replaced") {
		t.Fatalf("a run whose lock was removed: %v, want ErrBusy saying so", err)
	}
	if after, err := os.ReadFile(filepath.Join(fx.dir, "state.json")); err != nil || string(after) != string(stateBefore) {
		t.Errorf("the run wrote the state after losing its lock (%v)", err)
	}
	if got := fx.current(t); string(got) != string(first) {
		t.Error("the run wrote the list after losing its lock")
	}
}

// Only the user fetch runs as may open the lock: flock needs only a file
// open for reading, so anyone who could read it could hold the folder.
func TestFetchLockIsPrivate(t *testing.T) {
	fx := newFixture(t)
	fx.srv.serve(fx.list(t, t0, 3, nil))
	lock := filepath.Join(fx.dir, LockFile)
	// As an older drimm left it.
	if err := os.WriteFile(lock, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if res := fx.run(t, t0.Add(time.Hour)); res.Status != Updated {
		t.Fatalf("%+v", res)
	}
	fi, err := os.Stat(lock)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("the lock's mode is %v, want -rw-------", perm)
	}
}
