//go:build unix

package fetch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// LockFile is the file in the output folder that one run at a time holds
// locked: two runs writing one folder would each read a state the other
// is about to replace, and the later one could put an older list back.
const LockFile = "fetch.lock"

// ErrBusy: another run holds the output folder.
var ErrBusy = errors.New("another drimm whitelist fetch is running on this folder")

// lockPoll is how often a run waiting for the folder tries the lock again.
const lockPoll = 50 * time.Millisecond

// lockDir takes the folder's lock, waiting up to wait (and no longer than
// ctx allows) while another run holds it. The lock is flock(2)'s, so it
// goes with the process: a run killed midway leaves no lock behind, only a
// file.
func lockDir(ctx context.Context, dir string, wait time.Duration) (unlock func(), err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", dir, err)
	}
	path := filepath.Join(dir, LockFile)
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	for {
		unlock, err := tryLock(path)
		if unlock != nil || err != nil {
			return unlock, err
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%w (%s held for more than %s)", ErrBusy, path, wait)
		case <-time.After(lockPoll):
		}
	}
}

// tryLock takes the lock if it is free: unlock, or nil and no error when
// another run holds it. The lock file is not followed if it is a link (as
// root, a link planted there would create a file where it points), and
// the lock counts only if the file locked is still the one the folder
// names: a run that removes or replaces it would otherwise let the next
// run lock a new file while the first still works.
func tryLock(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening the lock %s: %w (if it is a link or not a file, remove it)", path, err)
	}
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) || errors.Is(err, syscall.EINTR) {
		f.Close()
		return nil, nil
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	held, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	if !held.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("the lock %s is not a regular file (%s); remove it", path, held.Mode().Type())
	}
	named, err := os.Lstat(path)
	if err != nil || !os.SameFile(held, named) {
		// Replaced or removed since it was opened: try again on what the
		// folder names now.
		f.Close()
		return nil, nil
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
