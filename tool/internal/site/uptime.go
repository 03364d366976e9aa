package site

import (
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
)

// Uptime windows: the share of the time a DRIMbox was available (up or
// degraded) over the last 24 hours, 7, 30 and 90 days, counted on its
// state timeline. Time in an unknown state (the prober could not tell,
// the DRIMbox was not yet probed, or the runs stopped) is left out of
// both sides of the ratio, so a prober outage neither helps nor hurts.
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
// known state.
type uptime struct {
	Key, Words string
	Ratio      float64
	Known      bool
}

// segment is a stretch of the state timeline.
type segment struct {
	from, to time.Time
	verdict  probe.Verdict
}

// timeline rebuilds b's states back from its current one through its
// events (newest first in b.Events), up to now. known is when the last
// run's verdicts stop being news: after it, the state is unknown.
func timeline(b *box, now, known time.Time) []segment {
	cur := probe.Unknown
	if b.State != nil {
		cur = b.State.Verdict
	}
	end := now
	var out []segment
	if known.Before(now) {
		out = append(out, segment{known, now, probe.Unknown})
		end = known
	}
	for _, e := range b.Events {
		if e.Time.Before(end) {
			out = append(out, segment{e.Time, end, cur})
			end = e.Time
		}
		cur = e.From
		if cur == "" {
			cur = probe.Unknown
		}
	}
	// Before the oldest event of the window, the state was what that
	// event changed from.
	out = append(out, segment{time.Time{}, end, cur})
	return out
}

// uptimes computes every window for b.
func uptimes(b *box, now, known time.Time) []uptime {
	segs := timeline(b, now, known)
	out := make([]uptime, len(uptimeWindows))
	for i, w := range uptimeWindows {
		start := now.Add(-w.Span)
		var avail, total time.Duration
		for _, s := range segs {
			from, to := s.from, s.to
			if from.Before(start) {
				from = start
			}
			if !to.After(from) {
				continue
			}
			switch s.verdict {
			case probe.Up, probe.Degraded:
				avail += to.Sub(from)
				total += to.Sub(from)
			case probe.Down:
				total += to.Sub(from)
			}
		}
		out[i] = uptime{Key: w.Key, Words: w.Words}
		if total > 0 {
			out[i].Ratio, out[i].Known = float64(avail)/float64(total), true
		}
	}
	return out
}
