package validation

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/synth"
)

// BenchmarkCheckPerRecord applies every cross-record rule to a registry of
// b.N operational DRIMboxes with complete dossiers: ns/op is per record.
func BenchmarkCheckPerRecord(b *testing.B) {
	conds, err := registry.LoadConditions(catalogue)
	if err != nil {
		b.Fatal(err)
	}
	raw, _ := os.ReadFile(catalogue)
	dir := filepath.Join(b.TempDir(), "registry")
	if err := synth.Write(dir, synth.Options{Operators: 20, DRIMboxes: b.N, Conditions: conds, ConditionsYAML: raw}); err != nil {
		b.Fatal(err)
	}
	r, fs, err := registry.Load(dir)
	if err != nil || len(fs) > 0 {
		b.Fatal(err, fs)
	}
	b.ResetTimer()
	if fs := Check(r); len(fs) > 0 {
		b.Fatal(fs)
	}
}
