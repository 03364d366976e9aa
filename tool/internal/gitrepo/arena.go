package gitrepo

import "sync"

// arenaChunk is the memory an arena takes at a time: four huge pages.
const arenaChunk = 8 << 20

// arena hands out the buffers blobs are inflated into from large chunks
// backed by huge pages where the system has them (hugeBuffer). On the
// virtual machines drimm runs on, the first touch of each 4 KiB page of
// fresh memory costs more than inflating into it, and a registry's records
// are tens of megabytes, all kept until the check ends, as the chunks are.
type arena struct {
	mu  sync.Mutex
	cur []byte
}

// alloc returns n zero bytes, capped so that an append cannot reach the
// next buffer.
func (a *arena) alloc(n int) []byte {
	if a == nil || n > arenaChunk/8 {
		return make([]byte, n)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if cap(a.cur)-len(a.cur) < n {
		a.cur = hugeBuffer(arenaChunk)
	}
	at := len(a.cur)
	a.cur = a.cur[:at+n]
	return a.cur[at : at+n : at+n]
}
