package gitrepo

import "github.com/drim-m/trust-space/tool/internal/hugemem"

// patch applies a git delta to its base, into a buffer of exactly the
// size the delta announces (go-git's PatchDelta grows a buffer as it goes,
// and a registry's records are nearly all deltas once packed). It refuses
// whatever git's patch_delta refuses, and more: a delta this reads, it
// reads as git and go-git do (FuzzPatch holds it to go-git's).
func patch(base, delta []byte, mem *hugemem.Arena) ([]byte, bool) {
	if len(base) == 0 {
		return nil, false
	}
	srcSize, n := deltaVarint(delta)
	if n == 0 || srcSize != uint64(len(base)) {
		return nil, false
	}
	delta = delta[n:]
	size, n := deltaVarint(delta)
	if n == 0 || size > uint64(maxObject) {
		return nil, false
	}
	delta = delta[n:]
	out := mem.Alloc(int(size))
	at := uint64(0)
	for len(delta) > 0 {
		cmd := delta[0]
		delta = delta[1:]
		switch {
		case cmd&0x80 != 0:
			// Copy from the base: up to four offset bytes and three
			// size bytes, each present if its bit is set.
			var off, sz uint64
			for i := range 7 {
				if cmd&(1<<i) == 0 {
					continue
				}
				if len(delta) == 0 {
					return nil, false
				}
				if i < 4 {
					off |= uint64(delta[0]) << (8 * i)
				} else {
					sz |= uint64(delta[0]) << (8 * (i - 4))
				}
				delta = delta[1:]
			}
			if sz == 0 {
				sz = 0x10000
			}
			if off+sz > uint64(len(base)) || sz > size-at {
				return nil, false
			}
			copy(out[at:], base[off:off+sz])
			at += sz
		case cmd != 0:
			// Insert the next cmd bytes of the delta.
			sz := uint64(cmd)
			if sz > uint64(len(delta)) || sz > size-at {
				return nil, false
			}
			copy(out[at:], delta[:sz])
			at += sz
			delta = delta[sz:]
		default:
			return nil, false
		}
	}
	if at != size {
		return nil, false
	}
	return out, true
}

// deltaVarint reads a size at the start of a delta: little-endian groups
// of seven bits; n is 0 when there is none.
func deltaVarint(b []byte) (v uint64, n int) {
	for shift := 0; n < len(b) && shift < 64; shift += 7 {
		c := b[n]
		n++
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return v, n
		}
	}
	return 0, 0
}
