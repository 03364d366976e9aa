package status

import (
	"math/rand/v2"
	"testing"
)

// TestPercentilesMatchPercentile checks the one-pass percentiles against
// Percentile on random histograms, sparse and full.
func TestPercentilesMatchPercentile(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 500; n++ {
		var d Day
		for k := range d.Hist {
			if rng.IntN(3) == 0 {
				d.Hist[k] = rng.IntN(40)
			}
		}
		ps := []float64{1, 50, 95, 99, 100}
		got := d.Percentiles(ps...)
		for i, p := range ps {
			if want := d.Percentile(p); got[i] != want {
				t.Fatalf("hist %v: percentile %v = %v, want %v", d.Hist, p, got[i], want)
			}
		}
	}
}
