package validation

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/synth"
)

// TestCheckRecordsInOrder breaks records spread over several workers' chunks
// and holds Check to the findings, in the order, of one worker alone.
func TestCheckRecordsInOrder(t *testing.T) {
	conds, err := registry.LoadConditions(catalogue)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(catalogue)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "registry")
	if err := synth.Write(dir, synth.Options{Operators: 7, DRIMboxes: 5 * recordChunk, Conditions: conds, ConditionsYAML: raw}); err != nil {
		t.Fatal(err)
	}
	r, fs, err := registry.Load(dir)
	if err != nil || len(fs) > 0 {
		t.Fatal(err, fs)
	}
	for i := 3; i < len(r.DRIMboxes); i += 37 {
		d := r.DRIMboxes[i]
		switch i % 3 {
		case 0:
			d.SupportContact = "jean.dupont@gmail.com"
		case 1:
			d.Certificates.Server.DN = "CN=other.example,C=FR"
		default:
			d.PACS = append(d.PACS, d.PACS...)
		}
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	alone := Check(r)
	if len(alone) < 8 {
		t.Fatalf("the broken records gave %d findings: %v", len(alone), alone)
	}
	for _, procs := range []int{2, 3, 8} {
		runtime.GOMAXPROCS(procs)
		if got := Check(r); !slices.Equal(got, alone) {
			t.Errorf("%d workers: findings\n%v\nwant\n%v", procs, got, alone)
		}
	}
}
