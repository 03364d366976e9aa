//go:build !linux

package hugemem

// Buffer returns an empty buffer of capacity n.
func Buffer(n int) []byte { return make([]byte, 0, n) }
