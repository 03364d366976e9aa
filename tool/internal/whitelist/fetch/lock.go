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
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening the lock %s: %w", path, err)
	}
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				f.Close()
			}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("%w (%s held for more than %s)", ErrBusy, path, wait)
		case <-time.After(lockPoll):
		}
	}
}
