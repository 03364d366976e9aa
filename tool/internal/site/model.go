package site

import (
	"slices"
	"sort"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/drim-m/trust-space/tool/internal/status"
)

// Info is what the registry says about a DRIMbox, for the page.
type Info struct {
	// OperatorID is the operator's folder name in the registry; it names
	// the operator's list page and feed.
	OperatorID string
	Operator   string            // the operator's name (its denomination)
	PACS       map[string]string // PACS id → label
	// Support is the DRIMbox's support mailbox; its operator's when empty.
	Support string
	// Contacts are the operator's functional mailboxes.
	Contacts []Contact
}

// box is everything shown about one DRIMbox.
type box struct {
	ID       int
	State    *status.State
	Info     Info
	Days     []day // oldest first, one per day of the window
	Checks   int
	OK       int
	Events   []status.Event
	Notices  []*status.Notice
	LastP50  float64
	Verdict  string // the verdict shown: the state's, or unknown when stale
	UpDays   int
	DegDays  int
	DownDays int
	Gaps     int // days without data
	Uptimes  []uptime
	// Since is when the DRIMbox entered its state; SinceBound says the
	// records only tell it was so at least from then (see since).
	Since      time.Time
	SinceBound bool
	// Page is the list page of numbers holding the DRIMbox (1, 2, …).
	Page int
}

// day is one DRIMbox's day.
type day struct {
	Day      string
	Start    time.Time // the day's midnight, UTC
	Class    string    // up, degraded, down, nodata
	Checks   int
	OK       int
	Expected int
	P50, P95 float64
	P99      float64
	Label    string // the day in words, "2 mars 2026"
	D        *status.Day
}

// Availability is the share of the checks of the window's finished days
// (today left out) in which the DRIMbox answered: the same computation as
// the uptime windows, over whole days.
func (b *box) Availability() (float64, bool) {
	if len(b.Days) < 2 {
		return 0, false
	}
	today := b.Days[len(b.Days)-1].Start
	return b.ratio(b.Days[0].Start, today, today)
}

// dayClass gives a day's colour: down when it answered less than 90 % of
// its checks, degraded when more than 1 % were degraded or down.
func dayClass(d *status.Day) string {
	if d == nil || d.Checks == 0 {
		return stateNoData
	}
	ok := float64(d.OK()) / float64(d.Checks)
	bad := float64(d.Degraded+d.Down) / float64(d.Checks)
	switch {
	case ok < 0.9:
		return string(probe.Down)
	case bad > 0.01:
		return string(probe.Degraded)
	}
	return string(probe.Up)
}

// model builds the boxes from the history.
func model(h *status.History, notices []*status.Notice, infos map[int]Info, now time.Time, stale bool) []*box {
	byID := map[int]*box{}
	var ids []int
	get := func(id int) *box {
		b, ok := byID[id]
		if !ok {
			b = &box{ID: id, Info: infos[id]}
			if !operatorIDPattern.MatchString(b.Info.OperatorID) {
				// It names files: one that is not a registry folder
				// name goes with the DRIMboxes of no known operator.
				b.Info.OperatorID = ""
			}
			byID[id] = b
			ids = append(ids, id)
		}
		return b
	}
	if h.Latest != nil {
		for _, s := range h.Latest.DRIMboxes {
			get(s.ID).State = cleanState(s)
		}
	}
	expected := 0
	if h.Latest != nil && h.Latest.Interval > 0 {
		expected = int(24 * time.Hour / h.Latest.Interval.Duration())
	}
	// A DRIMbox enters with its state or on the first day it was
	// checked; from then on each of its days counts.
	first := make(map[int]int, len(byID))
	for id := range byID {
		first[id] = 0
	}
	for i, dr := range h.Days {
		for id, d := range dr.Rollup {
			if _, ok := first[id]; !ok && d.Checks != 0 {
				first[id] = i
				get(id)
			}
		}
	}
	for _, b := range byID {
		b.Days = make([]day, len(h.Days))
	}
	fillDays(h, byID, first)
	for _, e := range h.Events {
		if b := byID[e.ID]; b != nil {
			b.Events = append(b.Events, cleanEvent(e))
		}
	}
	labels := make([]string, len(h.Days))
	starts := make([]time.Time, len(h.Days))
	for i, dr := range h.Days {
		labels[i] = frDay(dr.Day)
		starts[i], _ = time.Parse("2006-01-02", dr.Day)
	}
	sort.Ints(ids)
	out := make([]*box, 0, len(ids))
	for _, id := range ids {
		b := byID[id]
		for i := range b.Days {
			d := &b.Days[i]
			d.Day, d.Start, d.Expected, d.Label = h.Days[i].Day, starts[i], expected, labels[i]
			if i == len(b.Days)-1 && h.Latest != nil && h.Latest.Interval > 0 {
				// Today is not over: count the runs due so far.
				midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
				d.Expected = int(now.Sub(midnight)/h.Latest.Interval.Duration()) + 1
			}
			if d.Class == "" {
				d.Class = stateNoData
			}
			b.Checks += d.Checks
			b.OK += d.OK
			switch d.Class {
			case string(probe.Up):
				b.UpDays++
			case string(probe.Degraded):
				b.DegDays++
			case string(probe.Down):
				b.DownDays++
			case stateNoData:
				b.Gaps++
			}
			if d.P50 > 0 {
				b.LastP50 = d.P50
			}
		}
		for _, n := range notices {
			if n.Concerns(id) && len(n.DRIMboxes) > 0 {
				b.Notices = append(b.Notices, n)
			}
		}
		b.Verdict = string(probe.Unknown)
		if b.State != nil && !stale {
			b.Verdict = string(b.State.Verdict)
		}
		slices.Reverse(b.Events)
		b.Uptimes = uptimes(b, now)
		b.Since, b.SinceBound = since(b)
		if stale && b.State != nil {
			// Unknown since the runs stopped, whatever the state was.
			b.Since, b.SinceBound = h.Latest.Run, false
		}
		b.Page = len(out)/pageSize + 1
		out = append(out, b)
	}
	return out
}
