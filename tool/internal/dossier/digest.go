package dossier

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
)

// digestBufferSize is the read size when hashing: large enough that the
// hash, not the system calls, bounds throughput.
const digestBufferSize = 1 << 20

// digester streams files of a container through SHA-256 with one reused
// buffer, so memory stays the same whatever the files' size.
type digester struct {
	root *os.Root
	buf  []byte
}

func newDigester(root *os.Root) *digester {
	return &digester{root: root, buf: make([]byte, digestBufferSize)}
}

// sum is a file's digest and size, and its content when it was no larger
// than the keep limit given to digest.
type sum struct {
	hex  string
	size int64
	data []byte
}

var errNotRegular = errors.New("not a regular file")

// digest hashes the regular file at rel. The file is opened inside the
// root (no path escapes it) and must be the very file Lstat saw: a file
// swapped for a link or a pipe between the walk and the read is refused.
func (d *digester) digest(ctx context.Context, rel string, keep int64) (sum, error) {
	return d.digestScan(ctx, rel, keep, nil)
}

// digestScan is digest that also passes each chunk read to scan.
func (d *digester) digestScan(ctx context.Context, rel string, keep int64, scan *sigScan) (sum, error) {
	before, err := d.root.Lstat(rel)
	if err != nil {
		return sum{}, err
	}
	if !before.Mode().IsRegular() {
		return sum{}, errNotRegular
	}
	f, err := d.root.OpenFile(rel, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return sum{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return sum{}, err
	}
	if !st.Mode().IsRegular() || !os.SameFile(before, st) {
		return sum{}, fmt.Errorf("%w: it changed while being read", errNotRegular)
	}
	h := sha256.New()
	var kept bytes.Buffer
	var size int64
	for {
		if err := ctx.Err(); err != nil {
			return sum{}, err
		}
		n, err := f.Read(d.buf)
		h.Write(d.buf[:n])
		if scan != nil && n > 0 {
			scan.Write(d.buf[:n])
		}
		if size+int64(n) <= keep {
			kept.Write(d.buf[:n])
		}
		size += int64(n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return sum{}, err
		}
	}
	s := sum{hex: hex.EncodeToString(h.Sum(nil)), size: size}
	if size <= keep {
		s.data = kept.Bytes()
	}
	return s, nil
}
