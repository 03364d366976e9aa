package gitrepo

import (
	"bytes"
	"compress/zlib"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/drim-m/trust-space/tool/internal/hugemem"
)

// objectStore reads blobs straight from the object folder, the way git
// does: the packs first (their indexes held in memory, each pack read once,
// delta bases kept), then the loose object file. go-git's store costs
// several times more per object (each loose file opened through a chroot
// that checks every folder on the way, each object copied three times),
// and a pull request's check reads every record of the registry.
//
// It reads only what it can read with certainty: anything unexpected (an
// object it cannot find, a pack index of another version, a header or a
// stream that is not exactly as git writes it) makes it decline, and the
// caller reads that object through go-git as before. Reads from several
// goroutines at once are safe.
type objectStore struct {
	dir string        // the objects folder
	mem hugemem.Arena // what the blobs are inflated into

	mu    sync.Mutex
	packs []*pack
	known map[string]bool // pack index files already listed
}

// newObjectStore returns the store of the git folder gitDir, following
// commondir as a linked worktree's git folder has it.
func newObjectStore(gitDir string) *objectStore {
	dir := gitDir
	if b, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		common := strings.TrimSpace(string(b))
		if !filepath.IsAbs(common) {
			common = filepath.Join(gitDir, common)
		}
		dir = common
	}
	s := &objectStore{dir: filepath.Join(dir, "objects"), known: map[string]bool{}}
	s.scan()
	return s
}

// scan adds the packs written since the last scan; it tells whether it
// found any. Packs git has deleted since stay: a pack read once is kept
// in memory or open, and its objects do not change.
func (s *objectStore) scan() bool {
	idxs, _ := filepath.Glob(filepath.Join(s.dir, "pack", "pack-*.idx"))
	s.mu.Lock()
	defer s.mu.Unlock()
	added := false
	for _, idx := range idxs {
		if s.known[idx] {
			continue
		}
		p, err := openPack(idx, &s.mem)
		if err != nil {
			// Not yet complete, or a version this reader does not
			// know: its objects are read through go-git.
			continue
		}
		s.known[idx] = true
		s.packs = append(s.packs, p)
		added = true
	}
	return added
}

// blob reads a blob's bytes, or only its size when it is over limit. ok
// is false when the store declines: the caller then reads the blob
// another way.
func (s *objectStore) blob(h plumbing.Hash, limit int64) (data []byte, size int64, ok bool) {
	for attempt := 0; attempt <= rescans; attempt++ {
		s.mu.Lock()
		packs := s.packs
		s.mu.Unlock()
		for _, p := range packs {
			if off, found := p.find(h); found {
				return p.blob(off, limit)
			}
		}
		data, size, found, ok := s.loose(h, limit)
		if found || !ok {
			return data, size, ok
		}
		// Neither in a pack nor loose: git may have packed it after
		// the packs were listed, and deleted the loose file.
		if !s.scan() {
			return nil, 0, false
		}
	}
	return nil, 0, false
}

// loose reads a loose object; found is false when there is no such file.
func (s *objectStore) loose(h plumbing.Hash, limit int64) (data []byte, size int64, found, ok bool) {
	hex := h.String()
	// The compressed bytes are read into a buffer kept for the next
	// object: only the inflated blob is allocated.
	bp := readBuffers.Get().(*[]byte)
	defer readBuffers.Put(bp)
	raw, err := readFile(filepath.Join(s.dir, hex[:2], hex[2:]), *bp)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, false, true
	}
	if err != nil {
		return nil, 0, true, false
	}
	*bp = raw
	data, size, ok = inflateLoose(raw, limit, &s.mem)
	return data, size, true, ok
}

var readBuffers = sync.Pool{New: func() any {
	b := make([]byte, 0, 64<<10)
	return &b
}}

// inflateLoose decodes a loose object file that holds a blob: a zlib
// stream of "blob <size>\x00" and exactly size bytes, nothing after.
func inflateLoose(raw []byte, limit int64, mem *hugemem.Arena) (data []byte, size int64, ok bool) {
	src := bytes.NewReader(raw)
	zr, err := inflater(src)
	if err != nil {
		return nil, 0, false
	}
	defer zlibPool.Put(zr)
	var hdr [32]byte
	n := 0
	for {
		if n == len(hdr) {
			return nil, 0, false
		}
		if _, err := io.ReadFull(zr, hdr[n:n+1]); err != nil {
			return nil, 0, false
		}
		if hdr[n] == 0 {
			break
		}
		n++
	}
	typ, num, found := strings.Cut(string(hdr[:n]), " ")
	if !found || typ != "blob" {
		return nil, 0, false
	}
	size, ok = canonicalSize(num)
	if !ok {
		return nil, 0, false
	}
	if size > maxObject {
		return nil, 0, false
	}
	// Read whole even over limit, as go-git does: a stream that does not
	// decode is an error, large or not.
	data = mem.Alloc(int(size))
	if _, err := io.ReadFull(zr, data); err != nil || !atEnd(zr) || src.Len() != 0 {
		return nil, 0, false
	}
	if size > limit {
		return nil, size, true
	}
	return data, size, true
}

// canonicalSize parses a size as git writes it: decimal digits, no sign,
// no leading zero.
func canonicalSize(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != s {
		return 0, false
	}
	return n, true
}

// atEnd tells whether a zlib stream ends here, its checksum verified.
func atEnd(zr io.Reader) bool {
	var one [1]byte
	n, err := zr.Read(one[:])
	return n == 0 && err == io.EOF
}

// zlibPool keeps inflaters: each holds a 32 KiB window that a new one
// would allocate and clear for every object.
var zlibPool sync.Pool

func inflater(src io.Reader) (io.ReadCloser, error) {
	if zr, _ := zlibPool.Get().(io.ReadCloser); zr != nil {
		if err := zr.(zlib.Resetter).Reset(src, nil); err != nil {
			zlibPool.Put(zr)
			return nil, err
		}
		return zr, nil
	}
	return zlib.NewReader(src)
}
