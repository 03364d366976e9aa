package gitrepo

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/drim-m/trust-space/tool/internal/hugemem"
)

// Limits past which a pack is read through go-git rather than here.
var (
	// wholePack is the largest pack read into memory in one go; a
	// larger one is read object by object.
	wholePack int64 = 256 << 20
	// maxChain bounds a delta chain; git writes 50 at most by default.
	maxChain = 1000
	// maxObject bounds an object (a delta base, or a delta) inflated to
	// reach a blob: what a hostile pack could make drimm allocate.
	maxObject int64 = 64 << 20
	// baseBudget bounds the bytes of delta bases kept for reuse.
	baseBudget = 64 << 20
)

const (
	objBlob     = 3
	objOfsDelta = 6
	objRefDelta = 7
)

var errDecline = errors.New("declined")

// pack is one pack file and its index (version 2), held in memory.
type pack struct {
	hashes  []byte   // sorted object names, 20 bytes each
	offsets []int64  // offsets[i] is the object named hashes[i*20:]
	ends    []int64  // object starts, sorted, and the pack's checksum offset
	file    *os.File // read object by object when data is nil
	data    []byte   // the whole pack, when small enough
	once    sync.Once
	mem     *hugemem.Arena

	mu        sync.Mutex
	bases     map[int64]kept
	baseBytes int
}

// openPack reads a pack's index and opens the pack; it refuses what is
// not exactly git's index version 2.
func openPack(idxPath string, mem *hugemem.Arena) (*pack, error) {
	idx, err := os.ReadFile(idxPath)
	if err != nil {
		return nil, err
	}
	if len(idx) < 8+256*4+40 || string(idx[:8]) != "\xfftOc\x00\x00\x00\x02" {
		return nil, errDecline
	}
	fanout := idx[8 : 8+256*4]
	n := int(binary.BigEndian.Uint32(fanout[255*4:]))
	body := idx[8+256*4:]
	if n > len(body)/28 {
		return nil, errDecline
	}
	hashes := body[:n*20]
	small := body[n*24 : n*28]
	large := body[n*28:]
	p := &pack{hashes: hashes, offsets: make([]int64, n), mem: mem}
	for i := range n {
		o := binary.BigEndian.Uint32(small[i*4:])
		if o&0x80000000 == 0 {
			p.offsets[i] = int64(o)
			continue
		}
		j := int(o & 0x7fffffff)
		if (j+1)*8 > len(large)-40 {
			return nil, errDecline
		}
		p.offsets[i] = int64(binary.BigEndian.Uint64(large[j*8:]))
	}
	f, err := os.Open(strings.TrimSuffix(idxPath, ".idx") + ".pack")
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil || st.Size() < 12+20 {
		f.Close()
		return nil, errDecline
	}
	p.file = f
	p.ends = append(slices.Clone(p.offsets), st.Size()-20)
	slices.Sort(p.ends)
	return p, nil
}

// load reads a small pack whole, once, at its first object: the commands
// that open a repository only to resolve a revision read no pack.
func (p *pack) load() {
	p.once.Do(func() {
		size := p.ends[len(p.ends)-1] + 20
		if size > wholePack {
			return
		}
		data := hugemem.Buffer(int(size))[:size]
		if _, err := p.file.ReadAt(data, 0); err == nil {
			p.data = data
			p.file.Close()
		}
	})
}

// find returns the offset of an object in the pack.
func (p *pack) find(h plumbing.Hash) (int64, bool) {
	n := len(p.offsets)
	lo, hi := 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if bytes.Compare(p.hashes[m*20:m*20+20], h[:]) < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < n && bytes.Equal(p.hashes[lo*20:lo*20+20], h[:]) {
		return p.offsets[lo], true
	}
	return 0, false
}

// entry reads the raw bytes of the object at off, up to the next object.
func (p *pack) entry(off int64) ([]byte, error) {
	i, found := slices.BinarySearch(p.ends, off)
	if !found || i+1 >= len(p.ends) || off < 12 {
		return nil, errDecline
	}
	end := p.ends[i+1]
	if end-off > maxObject+1024 {
		return nil, errDecline
	}
	p.load()
	if p.data != nil {
		return p.data[off:end], nil
	}
	b := make([]byte, end-off)
	if _, err := p.file.ReadAt(b, off); err != nil {
		return nil, err
	}
	return b, nil
}

// header parses an object's type and size, and for a delta where its
// base is; it returns the rest of the entry (the zlib stream).
func (p *pack) header(off int64) (typ int, size int64, baseOff int64, baseRef plumbing.Hash, rest []byte, err error) {
	b, err := p.entry(off)
	if err != nil {
		return 0, 0, 0, baseRef, nil, err
	}
	i := 0
	next := func() (byte, bool) {
		if i >= len(b) {
			return 0, false
		}
		i++
		return b[i-1], true
	}
	c, ok := next()
	typ, size = int(c>>4)&7, int64(c&15)
	for shift := 4; ok && c&0x80 != 0; shift += 7 {
		if shift > 56 {
			return 0, 0, 0, baseRef, nil, errDecline
		}
		c, ok = next()
		size |= int64(c&0x7f) << shift
	}
	if !ok || size > maxObject {
		return 0, 0, 0, baseRef, nil, errDecline
	}
	switch typ {
	case objOfsDelta:
		c, ok = next()
		rel := int64(c & 0x7f)
		for ok && c&0x80 != 0 {
			if rel > 1<<48 {
				return 0, 0, 0, baseRef, nil, errDecline
			}
			c, ok = next()
			rel = (rel+1)<<7 | int64(c&0x7f)
		}
		if !ok || rel <= 0 || rel > off {
			return 0, 0, 0, baseRef, nil, errDecline
		}
		baseOff = off - rel
	case objRefDelta:
		if len(b)-i < 20 {
			return 0, 0, 0, baseRef, nil, errDecline
		}
		copy(baseRef[:], b[i:i+20])
		i += 20
	case 1, 2, objBlob, 4:
	default:
		return 0, 0, 0, baseRef, nil, errDecline
	}
	return typ, size, baseOff, baseRef, b[i:], nil
}

// inflate decodes an entry's zlib stream, which must give exactly size
// bytes.
func (p *pack) inflate(stream []byte, size int64) ([]byte, error) {
	return inflateInto(p.mem.Alloc(int(size)), stream)
}

// inflateInto is inflate into out, which has the size the entry gives.
func inflateInto(out, stream []byte) ([]byte, error) {
	zr, err := inflater(bytes.NewReader(stream))
	if err != nil {
		return nil, errDecline
	}
	defer zlibPool.Put(zr)
	if _, err := io.ReadFull(zr, out); err != nil || !atEnd(zr) {
		return nil, errDecline
	}
	return out, nil
}
