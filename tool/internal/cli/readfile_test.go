package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestReadWhole(t *testing.T) {
	dir := t.TempDir()
	large := bytes.Repeat([]byte("<Domaine>0123456789</Domaine>\n"), 200_000) // 6 MB: huge pages
	for _, c := range []struct {
		name string
		data []byte
		max  int
		want []byte
	}{
		{"empty", nil, 100, nil},
		{"small", []byte("<a/>"), 100, []byte("<a/>")},
		{"at the limit", []byte("0123456789"), 10, []byte("0123456789")},
		{"over the limit: one byte more than it", []byte("0123456789ab"), 10, []byte("0123456789a")},
		{"large", large, len(large), large},
		{"large, over the limit", large, 3 << 20, large[:3<<20+1]},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, "f")
			if err := os.WriteFile(path, c.data, 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := readWhole(path, c.max)
			if err != nil || !bytes.Equal(got, c.want) {
				t.Fatalf("readWhole: %d bytes, %v; want %d bytes", len(got), err, len(c.want))
			}
		})
	}
	if _, err := readWhole(filepath.Join(dir, "missing"), 10); !os.IsNotExist(err) {
		t.Errorf("a missing file: %v, want not exist", err)
	}
	// A file that says nothing of its size is read as it comes.
	if got, err := readWhole("/dev/zero", 5000); err != nil || len(got) != 5001 {
		t.Errorf("/dev/zero: %d bytes, %v; want 5001", len(got), err)
	}
}
