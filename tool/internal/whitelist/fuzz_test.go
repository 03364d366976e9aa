package whitelist

import (
	"path/filepath"
	"testing"

	"github.com/drim-m/trust-space/tool/internal/anchors"
	"github.com/google/go-cmp/cmp"
)

// FuzzParse feeds mutated lists to the reader: it must never panic, and a
// list it accepts must write back to the same list.
func FuzzParse(f *testing.F) {
	f.Add(readFile(f, filepath.Join("testdata", "golden", "unsigned.xml")))
	if ans := anchors.Optional(f, "LISTEBLANCHE_DRIM-M_NONSIGNEE_TEST.xml"); ans != nil {
		f.Add(ans)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Parse(data)
		if err != nil {
			return
		}
		out, err := Marshal(l)
		if err != nil {
			t.Fatalf("an accepted list does not write back: %v", err)
		}
		back, err := Parse(out)
		if err != nil {
			t.Fatalf("a written list does not read back: %v", err)
		}
		if diff := cmp.Diff(l, back); diff != "" {
			t.Fatalf("round trip changes the list (-read +written):\n%s", diff)
		}
	})
}
