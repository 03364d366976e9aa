//go:build !linux

package cli

// largeBuffer returns an empty buffer of capacity n.
func largeBuffer(n int) []byte { return make([]byte, 0, n) }
