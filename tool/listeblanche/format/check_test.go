package format

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
)

// hostnameBySplit is isHostname as first written, label by label with
// strings.Split: the reference for the version that does not allocate.
func hostnameBySplit(s string) bool {
	if len(s) > 253 || s == "" {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// FuzzHostname holds the entry checks' name tests to the plain versions.
func FuzzHostname(f *testing.F) {
	for _, seed := range []string{"db3.test.mesimagesmedicales.fr", "db3.", ".db3", "db3..fr", "-a.fr", "a-.fr", "A.fr", "vi12.x", "db", "db12", "db1.x"} {
		f.Add(seed, 3)
		f.Add(seed, 12)
	}
	f.Fuzz(func(t *testing.T, s string, id int) {
		if got, want := isHostname(s), hostnameBySplit(s); got != want {
			t.Fatalf("isHostname(%q) = %v, the split version says %v", s, got, want)
		}
		n := strconv.Itoa(id)
		for _, kind := range []string{"db", "vi"} {
			if got, want := hasLabel(s, kind, []byte(n)), strings.HasPrefix(s, kind+n+"."); got != want {
				t.Fatalf("hasLabel(%q, %q, %s) = %v, strings.HasPrefix says %v", s, kind, n, got, want)
			}
		}
	})
}

// FuzzTrimXMLSpace holds the reader's trimming to bytes.Trim with the XML
// white space characters.
func FuzzTrimXMLSpace(f *testing.F) {
	for _, seed := range []string{"", " ", " \t\r\n", " db3.x ", "\u00a0x\u00a0", "x", "\n  12\n  "} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := trimXMLSpace(b), bytes.Trim(b, " \t\r\n"); !bytes.Equal(got, want) {
			t.Fatalf("trimXMLSpace(%q) = %q, bytes.Trim gives %q", b, got, want)
		}
	})
}
