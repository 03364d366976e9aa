package site

import (
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/drim-m/trust-space/tool/internal/status"
)

// TestModelFirstDay checks when a DRIMbox's days start to count: from the
// first day of the window for one with a state, from its first checked
// day for one without (days in its rollups before that, with runs that
// reached no verdict, show no data), and never for one never checked.
func TestModelFirstDay(t *testing.T) {
	checked := func(id int) *status.Day {
		d := &status.Day{ID: id, Checks: 10, Up: 10}
		d.Hist[3] = 10
		return d
	}
	unchecked := func(id int) *status.Day { return &status.Day{ID: id, Unknown: 4} }
	h := &status.History{
		Latest: &status.Latest{Run: time.Date(2026, 3, 4, 11, 0, 0, 0, time.UTC), Interval: 300,
			DRIMboxes: []*status.State{{ID: 1, Verdict: probe.Up}}},
		Days: []status.DayRollup{
			{Day: "2026-03-01", Rollup: status.Rollup{1: unchecked(1), 2: unchecked(2), 3: unchecked(3)}},
			{Day: "2026-03-02", Rollup: status.Rollup{1: checked(1), 2: unchecked(2), 3: unchecked(3)}},
			{Day: "2026-03-03", Rollup: status.Rollup{1: checked(1), 2: checked(2)}},
			{Day: "2026-03-04", Rollup: status.Rollup{2: unchecked(2), 3: unchecked(3)}},
		},
	}
	boxes := model(h, nil, nil, time.Date(2026, 3, 4, 11, 2, 0, 0, time.UTC), false)
	if len(boxes) != 2 || boxes[0].ID != 1 || boxes[1].ID != 2 {
		t.Fatalf("DRIMboxes %v, want 1 and 2 (3 was never checked)", ids(boxes))
	}
	for _, c := range []struct {
		id, day int
		counts  bool
	}{{1, 0, true}, {1, 1, true}, {2, 0, false}, {2, 1, false}, {2, 2, true}, {2, 3, true}} {
		d := boxes[c.id-1].Days[c.day]
		if (d.D != nil) != c.counts {
			t.Errorf("DRIMbox %d, %s: rollup counted %v, want %v", c.id, d.Day, d.D != nil, c.counts)
		}
		if !c.counts && d.Class != stateNoData {
			t.Errorf("DRIMbox %d, %s: class %q, want %q", c.id, d.Day, d.Class, stateNoData)
		}
	}
	if d := boxes[1].Days[2]; d.P50 == 0 || d.Checks != 10 {
		t.Errorf("DRIMbox 2's checked day: %d checks, median %v; want 10 and a latency", d.Checks, d.P50)
	}
}

func ids(boxes []*box) []int {
	out := make([]int, len(boxes))
	for i, b := range boxes {
		out[i] = b.ID
	}
	return out
}
