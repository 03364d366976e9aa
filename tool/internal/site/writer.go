package site

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/drim-m/trust-space/tool/internal/atomicfile"
	"github.com/drim-m/trust-space/tool/internal/buildid"
)

// manifestName is the file in the output folder that records which drimm
// made the last build and, for each of its files, the hash of its bytes
// and, for DRIMbox pages, the hash of what they were rendered from. It is removed while a build
// writes and put back at its end, so a build that stopped half-way is
// followed by a full one.
const manifestName = ".drimm-site"

// entry is one file of the manifest.
type entry struct {
	sum uint64 // of the bytes
	key uint64 // of the inputs (DRIMbox pages), 0 otherwise
}

// writer writes the files of the site.
type writer struct {
	out string
	dir string // where files go: out itself, or a new folder to swap in
	// full is true when every file is written into a new folder.
	full bool
	prev map[string]entry

	mu   sync.Mutex
	next map[string]entry
	// Written counts the files actually written, for tests and figures.
	written int
}

func newWriter(out string) (*writer, error) {
	out = filepath.Clean(out)
	w := &writer{out: out, next: map[string]entry{}}
	prev, err := readManifest(filepath.Join(out, manifestName))
	switch {
	case err == nil:
		w.prev, w.dir = prev, out
		// From here until finish, out holds a build in progress.
		if err := os.Remove(filepath.Join(out, manifestName)); err != nil {
			return nil, fmt.Errorf("starting the build in %s: %w", out, err)
		}
	case errors.Is(err, fs.ErrNotExist):
		parent := filepath.Dir(out)
		if err := os.MkdirAll(parent, 0o755); err != nil {
			return nil, fmt.Errorf("creating %s: %w", parent, err)
		}
		tmp, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".tmp-")
		if err != nil {
			return nil, fmt.Errorf("creating a build folder: %w", err)
		}
		w.dir, w.full, w.prev = tmp, true, map[string]entry{}
	default:
		return nil, err
	}
	return w, nil
}

func readManifest(path string) (map[string]entry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]entry{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	// The first line names the drimm that built the folder: another one
	// may render any file differently, so it builds everything again.
	if id := buildid.Digest(); !sc.Scan() || id == "" || sc.Text() != "drimm "+id {
		return nil, fmt.Errorf("%s: built by another drimm: %w", path, fs.ErrNotExist)
	}
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 {
			return nil, fmt.Errorf("%s: malformed line %q: %w", path, sc.Text(), fs.ErrNotExist)
		}
		sum, err1 := strconv.ParseUint(f[1], 16, 64)
		key, err2 := strconv.ParseUint(f[2], 16, 64)
		if err1 != nil || err2 != nil || !fs.ValidPath(f[0]) {
			return nil, fmt.Errorf("%s: malformed line %q: %w", path, sc.Text(), fs.ErrNotExist)
		}
		out[f[0]] = entry{sum, key}
	}
	return out, nil
}

// sum is the first eight bytes of the SHA-256 of data: a full build
// hashes 140 MB at 5,000 DRIMboxes, which the CPU's SHA instructions do
// several times faster than FNV.
func sum(data []byte) uint64 {
	s := sha256.Sum256(data)
	return binary.BigEndian.Uint64(s[:8])
}

// put writes name (a slash path from the site's root) unless the last
// build wrote the same bytes.
func (w *writer) put(name string, data []byte) error {
	return w.putKeyed(name, data, 0)
}

func (w *writer) putKeyed(name string, data []byte, key uint64) error {
	e := entry{sum(data), key}
	old, had := w.prev[name]
	w.mu.Lock()
	w.next[name] = e
	w.mu.Unlock()
	if had && old.sum == e.sum && !w.full {
		return nil
	}
	p := filepath.Join(w.dir, filepath.FromSlash(name))
	if err := w.writeFile(p, data); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	w.mu.Lock()
	w.written++
	w.mu.Unlock()
	return nil
}

// keep records that name was not rendered again: its inputs are those of
// the last build, so are its bytes.
func (w *writer) keep(name string, key uint64) bool {
	old, ok := w.prev[name]
	if w.full || !ok || old.key != key || key == 0 {
		return false
	}
	w.mu.Lock()
	w.next[name] = old
	w.mu.Unlock()
	return true
}

func (w *writer) writeFile(p string, data []byte) error {
	if w.full {
		err := writeFile(p, data)
		if errors.Is(err, fs.ErrNotExist) {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			err = writeFile(p, data)
		}
		return err
	}
	// In place: a reader sees the old file or the new one. Without a sync:
	// a crash before finish leaves no manifest, so the next build is full.
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	tmp := p + ".tmp"
	if err := writeFile(tmp, data); err != nil {
		return err
	}
	return os.Rename(tmp, p)
}

func (w *writer) abort() {
	if w.full {
		os.RemoveAll(w.dir)
	}
}

// finish removes what the last build wrote and this one did not, records
// the manifest and, for a full build, swaps the new folder in.
func (w *writer) finish() error {
	if !w.full {
		for name := range w.prev {
			if _, ok := w.next[name]; !ok {
				if err := os.Remove(filepath.Join(w.dir, filepath.FromSlash(name))); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return fmt.Errorf("removing %s: %w", name, err)
				}
			}
		}
	}
	names := make([]string, 0, len(w.next))
	for n := range w.next {
		names = append(names, n)
	}
	sort.Strings(names)
	var b bytes.Buffer
	fmt.Fprintf(&b, "drimm %s\n", buildid.Digest())
	for _, n := range names {
		e := w.next[n]
		fmt.Fprintf(&b, "%s %x %x\n", n, e.sum, e.key)
	}
	if err := atomicfile.Write(filepath.Join(w.dir, manifestName), b.Bytes(), 0o644); err != nil {
		w.abort()
		return err
	}
	if !w.full {
		return nil
	}
	if err := os.Chmod(w.dir, 0o755); err != nil {
		w.abort()
		return err
	}
	if err := swap(w.dir, w.out); err != nil {
		w.abort()
		return err
	}
	return nil
}

// swap puts the built folder in place of out.
func swap(built, out string) error {
	old := ""
	if _, err := os.Stat(out); err == nil {
		old = built + ".old"
		if err := os.Rename(out, old); err != nil {
			return fmt.Errorf("moving the previous site away: %w", err)
		}
	}
	if err := os.Rename(built, out); err != nil {
		if old != "" {
			os.Rename(old, out)
		}
		return fmt.Errorf("putting the new site in place: %w", err)
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// each runs fn on every box, on every CPU (writing waits on the file
// system as much as on the CPU), and returns the first error.
func each(boxes []*box, fn func(*box, *bytes.Buffer) error) error {
	jobs := make(chan *box)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for i := 0; i < 2*runtime.GOMAXPROCS(0); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for b := range jobs {
				buf.Reset()
				if err := fn(b, &buf); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, b := range boxes {
		jobs <- b
	}
	close(jobs)
	wg.Wait()
	return first
}
