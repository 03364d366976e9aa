//go:build !unix

package fetch

import (
	"context"
	"errors"
	"os"
	"time"
)

// LockFile is the file in the output folder that one run at a time holds
// locked.
const LockFile = "fetch.lock"

// ErrBusy: another run holds the output folder.
var ErrBusy = errors.New("another drimm whitelist fetch is running on this folder")

// lockDir refuses: fetch keeps a DRIMbox's list on Unix, where flock(2)
// makes one run at a time; elsewhere two runs could roll the list back.
func lockDir(context.Context, string, time.Duration) (func(), func() error, error) {
	return nil, nil, errors.New("drimm whitelist fetch runs on Unix only (it locks its folder with flock)")
}

// readKept reads a file a run left in the folder; Run does not reach it
// where lockDir refuses.
func readKept(path string, _ int64) ([]byte, error) { return os.ReadFile(path) }
