// Package status keeps the probe results in status/ so that five-minute runs
// over years keep the repository small, and reads them back for the weather
// page.
//
// Layout, under the data folder (status/ in the repository):
//
//	run.json                        when the last run started and how it went
//	latest/NNN.json                 the state of every DRIMbox after the last run,
//	                                100 Identifiants per file (000.json: 0–99)
//	events/YYYY/MM/YYYY-MM-DD.jsonl append-only state changes, one JSON per line
//	samples/YYYY-MM-DD/HHMMSS.txt   one file per run of the current day: one
//	                                character per DRIMbox (verdict + latency bucket);
//	                                HHMMSS-<vantage>.txt from a named vantage point
//	vantages/<vantage>/             each vantage point's own run.json and latest/,
//	                                from which latest/ is decided by quorum
//	rollups/YYYY/YYYY-MM-DD.csv     one line per DRIMbox per finished day: checks,
//	                                outcomes, latency percentiles and histogram
//	notices/*.yaml                  incidents and maintenance, added by pull request
//
// A run writes one small sample file and run.json, rewrites a latest/ file
// only when a state in it changed, and appends events for changes only:
// what changes from one run to the next is a few kilobytes. No file grows
// all day long, so git's delta chains never have to store a large file
// whole again and again.
// Once a day is over, its samples are folded into a rollup and removed
// from the tree (history keeps them).
package status

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/drim-m/trust-space/tool/internal/atomicfile"
)

// FS is the storage the data is read from and written to: a folder on
// disk, or a git tree being edited for a commit. Names are slash-separated
// and relative to the data folder. Its methods may be called from several
// goroutines at once (ReadHistory reads the days in parallel).
type FS interface {
	// ReadFile returns fs.ErrNotExist (wrapped) for a missing file.
	ReadFile(name string) ([]byte, error)
	// ReadDir lists the names in a folder, sorted; none for a missing one.
	ReadDir(name string) ([]string, error)
	WriteFile(name string, data []byte) error
	Remove(name string) error
}

// Dir is an FS over a folder on disk. Writes are atomic.
type Dir string

// ReadFile reads a file under the folder.
func (d Dir) ReadFile(name string) ([]byte, error) {
	return os.ReadFile(d.path(name))
}

// ReadDir lists a folder, without hidden names.
func (d Dir) ReadDir(name string) ([]string, error) {
	entries, err := os.ReadDir(d.path(name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out, nil
}

// WriteFile replaces a file atomically, creating its folders.
func (d Dir) WriteFile(name string, data []byte) error {
	return atomicfile.Write(d.path(name), data, 0o644)
}

// Remove deletes a file and the folders it leaves empty.
func (d Dir) Remove(name string) error {
	if err := os.Remove(d.path(name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	for dir := filepath.Dir(name); dir != "." && dir != "/"; dir = filepath.Dir(dir) {
		if os.Remove(d.path(dir)) != nil {
			break
		}
	}
	return nil
}

func (d Dir) path(name string) string {
	return filepath.Join(string(d), filepath.FromSlash(name))
}

// errNotExist builds the error FS.ReadFile returns for a missing file.
func errNotExist(name string) error {
	return fmt.Errorf("%s: %w", name, fs.ErrNotExist)
}
