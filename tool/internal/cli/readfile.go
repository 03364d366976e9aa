package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/drim-m/trust-space/tool/internal/hugemem"
)

// readWhole reads the file at path whole, and at most max+1 bytes of it,
// so that a caller refuses a file over its limit (max) without reading it
// all. It reads into one buffer of the file's size, in huge pages where the
// system has them (hugemem.Buffer): on the virtual machines CI runs on, the
// first touch of each 4 KiB page of a fresh buffer costs more than copying
// the list into it, and a list of 10,000 entries spans 1,300 of them.
func readWhole(path string, max int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := 0
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		size = int(min(st.Size(), int64(max)))
	}
	// One byte more than the file, to meet the end without growing.
	buf := hugemem.Buffer(size + 1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := f.Read(buf[len(buf):min(cap(buf), max+1)])
		buf = buf[:len(buf)+n]
		switch {
		case len(buf) > max, err == io.EOF:
			return buf, nil
		case err != nil:
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
	}
}
