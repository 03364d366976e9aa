package hugemem

import (
	"syscall"
	"unsafe"
)

// hugePage is the size of a transparent huge page on the machines drimm
// runs on (x86-64 and arm64 with 4 KiB pages).
const hugePage = 2 << 20

// Buffer returns an empty buffer of capacity n, which the kernel backs
// with transparent huge pages where they are enabled for madvise (the
// default of many distributions). A huge page backs only a whole, aligned
// 2 MiB of the advised range, so the buffer starts on a boundary, in an
// allocation large enough to hold whole huge pages to its end; what is
// left over is never touched and costs no memory. Small buffers, and any
// failure of the advice, get ordinary pages.
func Buffer(n int) []byte {
	if n < hugePage {
		return make([]byte, 0, n)
	}
	raw := make([]byte, n+2*hugePage)
	// The address only serves to align the start; no pointer is made
	// from an integer.
	off := (hugePage - int(uintptr(unsafe.Pointer(unsafe.SliceData(raw)))%hugePage)) % hugePage
	syscall.Madvise(raw, syscall.MADV_HUGEPAGE)
	return raw[off : off : off+n]
}
