package registry

import (
	"os"
	"path/filepath"
	"testing"
)

// Benchmarks for loading records: b.N DRIMbox records parsed, checked
// against their schema and decoded, reported per record.

func benchFiles(b *testing.B, n int) []File {
	b.Helper()
	src := minimal()["operators/op-a/drimboxes/3.yaml"]
	files := filesOf(minimal())
	for i := range n {
		files = append(files, File{Path: DRIMboxPath("op-a", 100+i), Data: []byte(src)})
	}
	return files
}

func BenchmarkLoadPerRecord(b *testing.B) {
	files := benchFiles(b, b.N)
	b.ResetTimer()
	if _, _, err := FromFiles("registry", files); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkLoadPerRecordCached(b *testing.B) {
	files := benchFiles(b, b.N)
	path := filepath.Join(b.TempDir(), "c.gob")
	c := OpenCache(path, "bench")
	FromFilesCached("registry", files, c)
	if err := c.Save(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	if _, _, err := FromFilesCached("registry", files, OpenCache(path, "bench")); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkLoadSampleRegistry loads the repository's sample registry.
func BenchmarkLoadSampleRegistry(b *testing.B) {
	dir := "../../testdata/registry"
	if _, err := os.Stat(dir); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := Load(dir); err != nil {
			b.Fatal(err)
		}
	}
}
