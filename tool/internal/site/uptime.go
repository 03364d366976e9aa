package site

import (
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
)

// The figures of a DRIMbox — the colour of each day, its availability
// over 24 hours, 7, 30 and 90 days, and since when it is in its state —
// are computed here, once, from the same records: the day counts
// (rollups and the samples of the days not folded yet) and the state
// changes. The pages, the JSON and the feeds read them from the box and
// never compute their own.

// Uptime windows: the share of the checks that reached a verdict in which
// the DRIMbox answered (up or degraded), over the last 24 hours, 7, 30
// and 90 days. A run that could not tell (unknown) and a slot without a
// run (the prober stopped, the DRIMbox was not yet probed) count on
// neither side: no data is not down.
var uptimeWindows = []struct {
	Key   string // in the JSON
	Words string // on the page
	Span  time.Duration
}{
	{"24h", "24 heures", 24 * time.Hour},
	{"7d", "7 jours", 7 * 24 * time.Hour},
	{"30d", "30 jours", 30 * 24 * time.Hour},
	{"90d", "90 jours", 90 * 24 * time.Hour},
}

// uptime is one window's figure; Known is false when the window holds no
// check with a verdict.
type uptime struct {
	Key, Words string
	Ratio      float64
	Known      bool
}

// ratio is the share of available checks between from and to. The
// counts are kept per UTC day; a day the window covers in part counts for
// that part of it, as if its runs were spread evenly over the day (the
// part of today that has passed counts whole).
func (b *box) ratio(from, to, now time.Time) (float64, bool) {
	var ok, checks float64
	for _, d := range b.Days {
		if d.Checks == 0 {
			continue
		}
		start := d.Start
		end := start.Add(24 * time.Hour)
		if end.After(now) {
			end = now
		}
		lo, hi := maxTime(start, from), minTime(end, to)
		if !hi.After(lo) || !end.After(start) {
			continue
		}
		w := float64(hi.Sub(lo)) / float64(end.Sub(start))
		ok += w * float64(d.OK)
		checks += w * float64(d.Checks)
	}
	if checks == 0 {
		return 0, false
	}
	return ok / checks, true
}

// uptimes computes every window for b.
func uptimes(b *box, now time.Time) []uptime {
	out := make([]uptime, len(uptimeWindows))
	for i, w := range uptimeWindows {
		out[i] = uptime{Key: w.Key, Words: w.Words}
		out[i].Ratio, out[i].Known = b.ratio(now.Add(-w.Span), now, now)
	}
	return out
}

// since is when b entered its current state, as far as the records tell.
// The state's own date is exact when a recorded change led to it. When
// the state dates from the first run that saw the DRIMbox (no earlier
// state recorded), the days before it that were wholly in that state
// push it back to the start of the first of them, and the date is only
// a bound: "at least since".
func since(b *box) (at time.Time, bound bool) {
	s := b.State
	if s == nil {
		return time.Time{}, false
	}
	at = s.Since
	first := false
	for _, e := range b.Events {
		if e.Time.Equal(s.Since) && e.To == s.Verdict {
			first = e.From == ""
			break
		}
	}
	if !first {
		return at, false
	}
	class := string(s.Verdict)
	if s.Verdict != probe.Up && s.Verdict != probe.Degraded && s.Verdict != probe.Down {
		return at, false
	}
	i := len(b.Days) - 1
	for i >= 0 && b.Days[i].Start.After(at) {
		i--
	}
	// Day i holds the first run; it says nothing of the hours before it.
	j := i
	for j-1 >= 0 && b.Days[j-1].Class == class {
		j--
	}
	if j == i || j < 0 {
		return at, false
	}
	return b.Days[j].Start, true
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
