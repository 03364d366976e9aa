package dn_test

import (
	"os"
	"strings"
	"testing"

	"github.com/drim-m/trust-space/tool/internal/anchors"
	"github.com/drim-m/trust-space/tool/listeblanche/dn"
)

// TestServerAnchors reads the DNs of the ANS's published test lists (from
// the folder package anchors finds): ParseServer accepts every one of them.
func TestServerAnchors(t *testing.T) {
	dir := anchors.Require(t)
	names, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	for _, e := range names {
		if !strings.HasSuffix(e.Name(), ".xml") {
			continue
		}
		b, err := os.ReadFile(dir + "/" + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, part := range strings.Split(string(b), "<DNCertificatOperateur>")[1:] {
			s, _, _ := strings.Cut(part, "</DNCertificatOperateur>")
			if _, err := dn.ParseServer(s); err != nil {
				// The names are real: say which entry, not what it holds.
				t.Errorf("%s: entry %d of the ANS's list is refused", e.Name(), count)
			}
			count++
		}
	}
	if count == 0 {
		t.Fatalf("no DNCertificatOperateur in %s", dir)
	}
}
