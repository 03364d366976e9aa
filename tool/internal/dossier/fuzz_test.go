package dossier

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzTemplates feeds arbitrary bytes to each template's reader and
// rules: they never panic, and every finding points at a place in the
// file with a rule and a message.
func FuzzTemplates(f *testing.F) {
	files, _ := filepath.Glob("testdata/templates/*.csv")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for i := range Templates() {
			f.Add(uint8(i), data)
		}
	}
	for i, tpl := range Templates() {
		f.Add(uint8(i), []byte(tpl.Example))
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		tpls := Templates()
		tpl := tpls[int(which)%len(tpls)]
		for _, sub := range []bool{false, true} {
			for _, fd := range tpl.Check("f.csv", data, Context{Subcontracting: sub}) {
				if fd.Path != "f.csv" || fd.Line < 1 || fd.Col < 1 || fd.Rule == "" || fd.Msg == "" {
					t.Fatalf("malformed finding %+v", fd)
				}
			}
		}
	})
}
