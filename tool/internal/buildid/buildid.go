// Package buildid identifies the running drimm by the SHA-256 of its
// executable, so that what one build wrote for itself (a cache, a site's
// manifest) is never taken as written by another, even at the same path.
// Built with -trimpath -buildvcs=false, the same sources give the same
// executable, hence the same digest.
package buildid

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"sync"
)

// Digest is the hex SHA-256 of the running executable, read once; "" when
// the executable cannot be read.
var Digest = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
})
