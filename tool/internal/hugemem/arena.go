// Package hugemem hands out buffers backed by transparent huge pages where
// the system has them. On the virtual machines drimm runs on, the first
// touch of each 4 KiB page of fresh memory costs more than filling it:
// reading a registry's tens of megabytes of records, or a list of
// megabytes, into ordinary pages is mostly page faults.
package hugemem

import "sync"

// chunk is the memory an arena takes at a time: four huge pages.
const chunk = 8 << 20

// Arena hands out buffers from large chunks backed by huge pages. Its
// buffers live as long as the arena's chunks, that is as long as any of
// them is referenced: it suits data kept until a command ends. The zero
// Arena is ready to use; a nil Arena gives ordinary memory.
type Arena struct {
	mu  sync.Mutex
	cur []byte
}

// Alloc returns n zero bytes, capped so that an append cannot reach the
// next buffer. Buffers over an eighth of a chunk get their own memory.
func (a *Arena) Alloc(n int) []byte {
	if a == nil || n > chunk/8 {
		return make([]byte, n)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if cap(a.cur)-len(a.cur) < n {
		a.cur = Buffer(chunk)
	}
	at := len(a.cur)
	a.cur = a.cur[:at+n]
	return a.cur[at : at+n : at+n]
}
