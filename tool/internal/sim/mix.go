package sim

import (
	"fmt"
	"hash/fnv"
	"time"

	"github.com/drim-m/trust-space/tool/internal/status"
)

// DemoKinds is the fleet of the demo: three healthy DRIMboxes and one of
// each trouble the page shows.
var DemoKinds = []Kind{Healthy, Healthy, Healthy, Slow, Down, Expiring, PACSDown, NoStatus, DNMismatch}

// Mix returns n kinds with the given shares of down and slow DRIMboxes,
// spread evenly, the rest healthy.
func Mix(n int, downShare, slowShare float64) []Kind {
	kinds := make([]Kind, n)
	for i := range kinds {
		kinds[i] = Healthy
	}
	place := func(kind Kind, count int, phase float64) {
		for k := 0; k < count; k++ {
			i := int((float64(k) + phase) * float64(n) / float64(count))
			for j := 0; j < n; j++ {
				if at := (i + j) % n; kinds[at] == Healthy {
					kinds[at] = kind
					break
				}
			}
		}
	}
	place(Down, int(float64(n)*downShare+0.5), 0)
	place(Slow, int(float64(n)*slowShare+0.5), 0.5)
	return kinds
}

// History writes simulated rollups for the `days` days before now's day,
// as if each DRIMbox had been probed every interval: a steady latency per
// DRIMbox, rare bad days, and the trouble of its kind in the last days.
// It is for demos and benchmarks only; the page built from it says what
// it would say of real data.
func History(fsys status.FS, boxes []Box, now time.Time, days int, interval time.Duration) error {
	perDay := int(24 * time.Hour / interval)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	for back := days; back >= 1; back-- {
		day := today.AddDate(0, 0, -back)
		r := status.Rollup{}
		for _, b := range boxes {
			r[b.ID] = simulatedDay(b, day, back, perDay)
		}
		name := status.RollupPath(day.Format("2006-01-02"))
		if err := fsys.WriteFile(name, r.Marshal()); err != nil {
			return fmt.Errorf("writing %s: %w", name, err)
		}
	}
	return nil
}

func simulatedDay(b Box, day time.Time, back, perDay int) *status.Day {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%s", b.ID, day.Format("2006-01-02"))
	seed := h.Sum64()
	d := &status.Day{ID: b.ID}
	// A few runs go missing now and then, as with a real scheduler.
	missed := int(seed % 3)
	if seed%97 == 0 {
		missed = perDay / 3
	}
	checks := perDay - missed
	base := 40 + int(b.ID*37%60) // ms, steady per DRIMbox
	down, degraded := 0, 0
	switch {
	case seed%211 == 0:
		down = checks / 8
	case seed%53 == 0:
		degraded = checks / 20
	}
	switch b.Kind {
	case Down:
		if back <= 2 {
			down = checks
		}
	case Slow:
		base = 1600
		degraded = checks
	case PACSDown:
		if back <= 1 {
			degraded = checks
		}
	case Expiring:
		if back <= 3 {
			degraded = checks
		}
	case DNMismatch:
		degraded = checks
	}
	degraded = min(degraded, checks-down)
	d.Checks, d.Down, d.Degraded = checks, down, degraded
	d.Up = checks - down - degraded
	answered := checks - down
	lo := status.BucketOf(time.Duration(base) * time.Millisecond)
	hi := min(lo+1, status.Buckets-1)
	d.Hist[lo] = answered * 9 / 10
	d.Hist[hi] = answered - d.Hist[lo]
	return d
}
