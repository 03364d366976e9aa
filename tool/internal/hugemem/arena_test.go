package hugemem

import (
	"bytes"
	"testing"
)

// TestArenaBuffersAreApart: each buffer is zero, of the length asked, and
// an append to one never writes into the next.
func TestArenaBuffersAreApart(t *testing.T) {
	var a Arena
	var bufs [][]byte
	for i := range 3000 {
		n := 1 + i*37%5000
		b := a.Alloc(n)
		if len(b) != n || cap(b) != n {
			t.Fatalf("Alloc(%d): len %d cap %d", n, len(b), cap(b))
		}
		if !bytes.Equal(b, make([]byte, n)) {
			t.Fatalf("Alloc(%d) is not zero", n)
		}
		for j := range b {
			b[j] = byte(i)
		}
		bufs = append(bufs, b)
	}
	for i, b := range bufs {
		grown := append(b, 0xff)
		if &grown[0] == &b[0] {
			t.Fatalf("buffer %d grew in place", i)
		}
		if !bytes.Equal(b, bytes.Repeat([]byte{byte(i)}, len(b))) {
			t.Fatalf("buffer %d was written by another", i)
		}
	}
}

// TestLargeAndNil: a buffer over an eighth of a chunk, or from a nil
// arena, is ordinary memory of the length asked; Buffer gives an empty
// buffer of the capacity asked, small or large.
func TestLargeAndNil(t *testing.T) {
	var nilArena *Arena
	for _, b := range [][]byte{(&Arena{}).Alloc(chunk), nilArena.Alloc(100)} {
		if !bytes.Equal(b, make([]byte, len(b))) || len(b) != cap(b) {
			t.Fatalf("len %d cap %d, or not zero", len(b), cap(b))
		}
	}
	for _, n := range []int{0, 1, 2<<20 - 1, 2 << 20, 3*(2<<20) + 5} {
		b := Buffer(n)
		if len(b) != 0 || cap(b) != n {
			t.Fatalf("Buffer(%d): len %d cap %d", n, len(b), cap(b))
		}
		b = b[:n]
		for i := range b {
			b[i] = 1
		}
	}
}
