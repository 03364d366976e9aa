package xadestest

import (
	"bytes"
	"errors"
	. "github.com/drim-m/trust-space/tool/listeblanche/xades"
	"runtime"
	"strings"
	"testing"
)

// allocated returns the bytes f allocates, all of them, freed or not: a
// bound on its peak.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A hostile signature costs memory in proportion to the file, not to a
// tree of what it holds: a KeyInfo of 22 MB in 400,000 elements, or in one
// base64 text, is refused while it is scanned.
func TestHostileKeyInfoMemory(t *testing.T) {
	p := pki(t)
	signed := signWith(t, unsigned(t), p.Signer, p.Now())
	lim := DefaultLimits
	lim.MaxElements = 1 << 20
	many := bytes.Repeat([]byte("<ds:X509SubjectName>CN=abcdef,O=ghijkl</ds:X509SubjectName>"), 400_000)
	for _, tc := range []struct {
		name   string
		insert []byte
	}{
		{"400,000 elements", many},
		{"one text", bytes.Repeat([]byte("QUJD"), len(many)/4)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := bytes.Replace(signed, []byte("<ds:X509SubjectName>"), append(tc.insert, "<ds:X509SubjectName>"...), 1)
			if len(doc) < 20<<20 {
				t.Fatalf("the hostile file is only %d bytes", len(doc))
			}
			opts := options(p)
			opts.Limits = lim
			var err error
			n := allocated(func() { _, err = Verify(doc, opts) })
			if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "ds:Signature") {
				t.Fatalf("got %v, want a refusal of the signature's size", err)
			}
			t.Logf("a file of %.1f MB allocated %.1f MB (%.2f× the file)", float64(len(doc))/1e6, float64(n)/1e6, float64(n)/float64(len(doc)))
			if n > 3*uint64(len(doc)) {
				t.Errorf("verifying a file of %d bytes allocated %d bytes, more than 3× the file", len(doc), n)
			}
		})
	}
}
