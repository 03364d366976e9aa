package status

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The data files come back through git, where a pull request could have
// changed them: their parsers must refuse garbage without panicking, and
// what they accept must survive a round trip.

func FuzzParseSample(f *testing.F) {
	f.Add([]byte("drimm-samples 2\nrun 2026-03-02T00:00:00Z network=ok complete=yes\n.+~!?\nMN\n"))
	f.Add([]byte("drimm-samples 2\nrun 2026-03-02T00:05:00Z network=failed complete=no ref=000000.txt phase=1\n.+~!?\nG\n"))
	ref := []byte(".MN!?")
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseSample(data, func(string) ([]byte, error) { return ref, nil })
		if err != nil || s.Ref != "" {
			return
		}
		back, err := ParseSample(s.Marshal(nil), nil)
		if err != nil {
			t.Fatalf("re-reading a sample: %v", err)
		}
		if !cmp.Equal(back, s) {
			t.Errorf("round trip changed the sample:\n%+v\n%+v", s, back)
		}
	})
}

func FuzzParseRollup(f *testing.F) {
	f.Add([]byte(rollupHeader + "\n1,2,2,0,0,0,108,108,108,N2\n2,288,280,6,2,0,84,120,240,F3G270H10\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseRollup(data)
		if err != nil {
			return
		}
		back, err := ParseRollup(r.Marshal())
		if err != nil {
			t.Fatalf("re-reading a rollup: %v", err)
		}
		if !cmp.Equal(back, r) {
			t.Errorf("round trip changed the rollup")
		}
	})
}
