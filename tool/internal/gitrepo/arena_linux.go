package gitrepo

import (
	"syscall"
	"unsafe"
)

// hugePage is the size of a transparent huge page on the machines drimm
// runs on (x86-64 and arm64 with 4 KiB pages).
const hugePage = 2 << 20

// hugeBuffer returns an empty buffer of capacity n that the kernel backs
// with transparent huge pages where they are enabled for madvise, as
// cli's largeBuffer does for the lists: a huge page backs only a whole,
// aligned 2 MiB, so the buffer starts on a boundary, and the few bytes
// before it are never touched. Any failure of the advice gives ordinary
// pages.
func hugeBuffer(n int) []byte {
	raw := make([]byte, n+hugePage)
	// The address only serves to align the start; no pointer is made
	// from an integer.
	off := (hugePage - int(uintptr(unsafe.Pointer(unsafe.SliceData(raw)))%hugePage)) % hugePage
	syscall.Madvise(raw, syscall.MADV_HUGEPAGE)
	return raw[off : off : off+n]
}
