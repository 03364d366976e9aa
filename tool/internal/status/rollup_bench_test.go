package status

import "testing"

// BenchmarkParseRollup parses one day of 5,000 DRIMboxes, as a build of
// the weather page does for each of the 89 finished days it shows.
//
//	go test -run XXX -bench ParseRollup ./tool/internal/status
func BenchmarkParseRollup(b *testing.B) {
	r := Rollup{}
	for id := 1; id <= 5000; id++ {
		d := &Day{ID: id, Checks: 288, Up: 280, Degraded: 6, Down: 2}
		d.Hist[12], d.Hist[13] = 259, 27
		r[id] = d
	}
	data := r.Marshal()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ParseRollup(data); err != nil {
			b.Fatal(err)
		}
	}
}
