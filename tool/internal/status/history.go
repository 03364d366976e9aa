package status

import (
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"slices"
	"sync"
	"time"
)

// History is what the weather page is built from.
type History struct {
	// Latest is nil when no run was ever recorded.
	Latest *Latest
	// Days holds one rollup per day of the window, oldest first; a day
	// without any run has an empty rollup.
	Days []DayRollup
	// Events are the state changes of the last `days` days (24 hours
	// each, up to now), oldest first.
	Events []Event
}

// DayRollup is one day of the window.
type DayRollup struct {
	Day    string // YYYY-MM-DD
	Rollup Rollup
	// Runs is how many runs were recorded that day; 0 when unknown (an
	// old rollup) or none.
	Runs int
}

// ReadHistory reads the last `days` days up to now: rollups of finished
// days, samples of the days not folded yet, latest.json and the events.
func ReadHistory(fsys FS, now time.Time, days int) (*History, error) {
	now = now.UTC()
	h := &History{}
	var err error
	if h.Latest, err = readLatest(fsys); err != nil {
		return nil, err
	}
	first := now.AddDate(0, 0, -(days - 1))
	h.Days = make([]DayRollup, days)
	// The days are read and parsed on every core: they are independent,
	// and parsing is most of the cost of a build.
	errs := make([]error, days)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				h.Days[i], errs[i] = readDay(fsys, first.AddDate(0, 0, i).Format(dayLayout))
			}
		}()
	}
	for i := range days {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	// Events go back a full `days` days from now, so that the state at
	// the start of a rolling window is known.
	from := now.Add(-time.Duration(days) * 24 * time.Hour)
	for m := from.Truncate(24 * time.Hour); !m.After(now); m = m.AddDate(0, 0, 1) {
		p := eventsPath(m)
		data, err := fsys.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", p, err)
		}
		for _, e := range ParseEvents(data) {
			if !e.Time.Before(from) && !e.Time.After(now) {
				h.Events = append(h.Events, e)
			}
		}
	}
	slices.SortStableFunc(h.Events, func(a, b Event) int { return a.Time.Compare(b.Time) })
	return h, nil
}

// readDay reads a day's rollup and the samples not folded into it yet.
func readDay(fsys FS, day string) (DayRollup, error) {
	r, err := readRollup(fsys, day)
	if err != nil {
		return DayRollup{}, err
	}
	if r == nil {
		r = Rollup{}
	}
	pending, names, err := readDaySamples(fsys, day)
	if err != nil {
		return DayRollup{}, err
	}
	r.merge(pending)
	return DayRollup{Day: day, Rollup: r, Runs: len(names)}, nil
}
