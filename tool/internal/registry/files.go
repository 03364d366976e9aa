package registry

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/drim-m/trust-space/tool/internal/hugemem"
)

var (
	operatorDirRe = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$`)
	drimboxFileRe = regexp.MustCompile(`^([0-9]+)\.yaml$`)
)

// File is one file of a registry tree, read from disk or from a git tree.
// Path is slash-separated and relative to the registry folder.
type File struct {
	Path    string
	Data    []byte
	Symlink bool
	// Submodule is set for a git submodule link (read from git only).
	Submodule bool
	// Executable is set for a file git records as executable (read from
	// git only: a working tree's mode bits depend on the file system).
	Executable bool
	// Special is set for anything on disk that is neither a regular file,
	// a folder nor a symlink (a FIFO, a device, a socket).
	Special bool
	// TooLarge is set, and Data left empty, when the file exceeds MaxFileSize.
	TooLarge bool
	Size     int64
}

// ReadDir reads every file under a registry folder, hidden ones included
// (only a nested .git folder is left out), without following symlinks;
// files over MaxFileSize and special files are flagged, not read.
func ReadDir(dir string) ([]File, error) {
	var files []File
	var toRead []int // indexes in files of the regular files, in walk order
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && d.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		f := File{Path: rel}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			f.Symlink = true
		case !d.Type().IsRegular():
			f.Special = true
		default:
			toRead = append(toRead, len(files))
		}
		files = append(files, f)
		return nil
	})
	if err == nil {
		err = readFiles(dir, files, toRead)
	}
	if err != nil {
		return nil, fmt.Errorf("reading registry %s: %w", dir, err)
	}
	return files, nil
}

// readFiles reads the files at the given indexes on all cores: thousands
// of small reads are mostly system calls, which need not wait for one
// another. The error returned is that of the first file in walk order.
func readFiles(dir string, files []File, toRead []int) error {
	errs := make([]error, len(toRead))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(1, len(toRead)/64)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				j := int(next.Add(1)) - 1
				if j >= len(toRead) {
					return
				}
				f := &files[toRead[j]]
				data, err := readFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
				if err != nil {
					errs[j] = err
					continue
				}
				f.Size = int64(len(data))
				if len(data) > MaxFileSize {
					f.TooLarge, data = true, nil
				}
				f.Data = data
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// fileArena holds the records read: they are kept until the command ends.
var fileArena hugemem.Arena

// readFile reads at most MaxFileSize+1 bytes of a file into a buffer
// sized from its length, rather than one grown step by step.
func readFile(p string) ([]byte, error) {
	fh, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	size := 512
	if st, err := fh.Stat(); err == nil && st.Size() < MaxFileSize {
		// One byte more, so that the end of the file is seen without
		// growing the buffer.
		size = int(st.Size()) + 1
	}
	data := fileArena.Alloc(size)[:0]
	r := io.LimitReader(fh, MaxFileSize+1)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", p, err)
		}
	}
}

// classify names the record kind a registry path holds, or "" when the path
// is outside the layout.
func classify(p string) (kind, op, id string) {
	parts := strings.Split(p, "/")
	switch {
	case len(parts) == 1 && parts[0] == "trust-space.yaml":
		return KindTrustSpace, "", ""
	case len(parts) == 1 && parts[0] == "conditions.yaml":
		return KindConditions, "", ""
	case len(parts) == 3 && parts[0] == "operators" && parts[2] == "operator.yaml" && operatorDirRe.MatchString(parts[1]):
		return KindOperator, parts[1], ""
	case len(parts) == 4 && parts[0] == "operators" && parts[2] == "drimboxes" && operatorDirRe.MatchString(parts[1]):
		if m := drimboxFileRe.FindStringSubmatch(parts[3]); m != nil {
			return KindDRIMbox, parts[1], m[1]
		}
	}
	return "", "", ""
}

// DRIMboxPath is where the record of a DRIMbox lives, relative to the registry folder.
func DRIMboxPath(operator string, identifiant int) string {
	return "operators/" + operator + "/drimboxes/" + strconv.Itoa(identifiant) + ".yaml"
}

// OperatorPath is where the record of an operator lives, relative to the registry folder.
func OperatorPath(operator string) string {
	return "operators/" + operator + "/operator.yaml"
}
