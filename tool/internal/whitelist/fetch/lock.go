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
//
// stillHeld tells whether the folder still names the file locked: a
// cleaner that removes fetch.lock, or anyone who replaces it, lets the
// next run lock a new file while this one works, and this run must then
// write nothing.
func lockDir(ctx context.Context, dir string, wait time.Duration) (unlock func(), stillHeld func() error, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("creating %s: %w", dir, err)
	}
	path := filepath.Join(dir, LockFile)
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	for {
		f, err := tryLock(path)
		if err != nil {
			return nil, nil, err
		}
		if f != nil {
			unlock := func() {
				syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				f.Close()
			}
			stillHeld := func() error {
				if !namesFile(path, f) {
					return fmt.Errorf("%w: %s was removed or replaced while this run held it; nothing was written, run again", ErrBusy, path)
				}
				return nil
			}
			return unlock, stillHeld, nil
		}
		select {
		case <-ctx.Done():
			return nil, nil, fmt.Errorf("%w (%s held for more than %s)", ErrBusy, path, wait)
		case <-time.After(lockPoll):
		}
	}
}

// tryLock takes the lock if it is free: the file locked, or nil and no
// error when another run holds it. The lock file is not followed if it is a link (as
// root, a link planted there would create a file where it points), and
// the lock counts only if the file locked is still the one the folder
// names: a run that removes or replaces it would otherwise let the next
// run lock a new file while the first still works.
func tryLock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening the lock %s: %w (if it is a link or not a file, remove it)", path, err)
	}
	// flock needs only a file open for reading: any local user who could
	// read the lock could hold it, and keep every run from updating the
	// list until the DRIMbox stops trusting. Only its owner may open it
	// (a lock left readable by an older drimm is made so).
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, fmt.Errorf("making the lock %s private: %w", path, err)
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
	if !namesFile(path, f) {
		// Replaced or removed since it was opened: try again on what the
		// folder names now.
		f.Close()
		return nil, nil
	}
	return f, nil
}

// namesFile tells whether path is, without following a link, the file f
// has open.
func namesFile(path string, f *os.File) bool {
	held, err := f.Stat()
	if err != nil {
		return false
	}
	named, err := os.Lstat(path)
	return err == nil && os.SameFile(held, named)
}
