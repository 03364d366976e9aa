package status

import (
	"slices"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
)

// quorum decides the state of every DRIMbox from the vantage points that
// ran within two intervals of the newest run.
func quorum(views []view, interval time.Duration) *Latest {
	var newest time.Time
	for _, v := range views {
		if v.latest.Run.After(newest) {
			newest = v.latest.Run
		}
	}
	var ran []view
	out := &Latest{Run: newest, Interval: Seconds(interval / time.Second), Complete: true, VantageRuns: map[string]time.Time{}}
	for _, v := range views {
		if newest.Sub(v.latest.Run) <= 2*interval {
			ran = append(ran, v)
			out.VantageRuns[v.name] = v.latest.Run
			out.NetworkOK = out.NetworkOK || v.latest.NetworkOK
			out.Complete = out.Complete && v.latest.Complete
		}
	}
	if len(ran) == 0 {
		return nil
	}
	byID := map[int][]*State{}
	names := map[*State]string{}
	for _, v := range ran {
		for _, s := range v.latest.DRIMboxes {
			byID[s.ID] = append(byID[s.ID], s)
			names[s] = v.name
		}
	}
	for id, states := range byID {
		out.DRIMboxes = append(out.DRIMboxes, decide(id, states, len(ran), names))
	}
	slices.SortFunc(out.DRIMboxes, func(a, b *State) int { return a.ID - b.ID })
	return out
}

func decide(id int, states []*State, ran int, names map[*State]string) *State {
	count := map[probe.Verdict]int{}
	known := 0
	for _, s := range states {
		count[s.Verdict]++
		if s.Verdict != probe.Unknown {
			known++
		}
	}
	var verdict probe.Verdict
	var reasons []string
	switch {
	case 2*count[probe.Down] > ran:
		verdict = probe.Down
	case known == 0:
		verdict = probe.Unknown
	case count[probe.Down] == known:
		// Every one that could tell sees it down, but they are not a
		// majority of those that ran.
		verdict = probe.Unknown
	case count[probe.Up] == known:
		verdict = probe.Up
	default:
		verdict = probe.Degraded
		if count[probe.Down] > 0 {
			reasons = append(reasons, probe.ReasonSplit)
		}
	}
	// The details shown are those of the first vantage point (by name)
	// that saw the verdict, or that could tell.
	slices.SortFunc(states, func(a, b *State) int {
		switch {
		case names[a] < names[b]:
			return -1
		case names[a] > names[b]:
			return 1
		}
		return 0
	})
	var pick *State
	for _, s := range states {
		if s.Verdict == verdict {
			pick = s
			break
		}
	}
	if pick == nil {
		for _, s := range states {
			if s.Verdict != probe.Unknown {
				pick = s
				break
			}
		}
	}
	if pick == nil {
		pick = states[0]
	}
	c := *pick
	c.ID, c.Verdict, c.Vantages = id, verdict, nil
	if verdict != pick.Verdict || len(reasons) > 0 {
		seen := map[string]bool{}
		for _, r := range reasons {
			seen[r] = true
		}
		for _, s := range states {
			if s.Verdict == probe.Down || s.Verdict == probe.Degraded {
				for _, r := range s.Reasons {
					if !seen[r] {
						seen[r] = true
						reasons = append(reasons, r)
					}
				}
			}
		}
		c.Reasons = reasons
	}
	for _, s := range states {
		c.Vantages = append(c.Vantages, Vantage{Name: names[s], Verdict: s.Verdict, Reasons: s.Reasons})
	}
	return &c
}

// settle turns the quorum's states into the next latest state: a verdict
// that did not change keeps its Since; a DRIMbox that left every vantage
// point's view is no longer probed.
func settle(prev, cons *Latest) (*Latest, []Event) {
	at := cons.Run
	old := statesByID(prev)
	var events []Event
	seen := map[int]bool{}
	for i, s := range cons.DRIMboxes {
		seen[s.ID] = true
		if o, ok := old[s.ID]; ok && o.Verdict == s.Verdict {
			s.Since = o.Since
		} else {
			s.Since = at
			var from probe.Verdict
			if ok {
				from = o.Verdict
			}
			events = append(events, Event{Time: at, ID: s.ID, From: from, To: s.Verdict, Reasons: s.Reasons})
		}
		cons.DRIMboxes[i] = s
	}
	if prev != nil {
		for _, s := range prev.DRIMboxes {
			if !seen[s.ID] {
				events = append(events, Event{Time: at, ID: s.ID, From: s.Verdict, To: NotProbed})
			}
		}
	}
	slices.SortFunc(events, func(a, b Event) int { return a.ID - b.ID })
	return cons, events
}
