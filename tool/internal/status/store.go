package status

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
)

// Paths inside the data folder.
const (
	RunFile    = "run.json"
	LatestDir  = "latest"
	EventsDir  = "events"
	SamplesDir = "samples"
	RollupsDir = "rollups"
	NoticesDir = "notices"
	dayLayout  = "2006-01-02"
)

// RollupGrace is how long after midnight (UTC) a day's samples wait before
// they are folded into its rollup, so that a run still writing the last
// slot of the day is not left out.
const RollupGrace = time.Hour

func eventsPath(t time.Time) string {
	return EventsDir + "/" + t.Format("2006/01") + "/" + t.Format(dayLayout) + ".jsonl"
}

func samplesPath(day string) string { return SamplesDir + "/" + day }

// RollupPath is where the rollup of day (YYYY-MM-DD) is stored.
func RollupPath(day string) string { return RollupsDir + "/" + day[:4] + "/" + day + ".csv" }

// Apply records a run: its sample, the new latest state and the events
// it causes, then folds the days that are over into rollups. Applied to a
// tree that already holds a later run (two runs raced), it keeps the
// sample and leaves the later state alone, so no result is lost.
func Apply(fsys FS, run *probe.Run, interval time.Duration) error {
	prev, err := readLatest(fsys)
	if err != nil {
		return err
	}
	start := run.Start.UTC()
	if err := writeSample(fsys, sampleOf(run)); err != nil {
		return err
	}
	if prev == nil || start.After(prev.Run) {
		latest, events := next(prev, run, interval)
		if err := writeLatest(fsys, latest); err != nil {
			return err
		}
		if err := appendEvents(fsys, events); err != nil {
			return err
		}
	}
	return Fold(fsys, start)
}

// writeSample stores s under its day, never over another run's sample,
// relative to the day's first standalone sample when there is one.
func writeSample(fsys FS, s Sample) error { return writeSampleAs(fsys, s, "") }

// writeSampleAs is writeSample for vantage point vantage ("" for none),
// whose name ends the file's.
func writeSampleAs(fsys FS, s Sample, vantage string) error {
	dir := samplesPath(s.Time.Format(dayLayout))
	names, err := fsys.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("listing %s: %w", dir, err)
	}
	var ref []byte
	for _, n := range names {
		data, err := fsys.ReadFile(dir + "/" + n)
		if err != nil {
			return fmt.Errorf("reading %s/%s: %w", dir, n, err)
		}
		if h, err := ParseSample(data, nil); err == nil && h.Ref == "" {
			s.Ref, ref = n, h.Codes
			break
		}
	}
	base := strings.TrimSuffix(sampleName(s.Time), ".txt")
	if vantage != "" {
		base += "-" + vantage
	}
	name := base + ".txt"
	for i := 2; slices.Contains(names, name); i++ {
		name = fmt.Sprintf("%s-%d.txt", base, i)
	}
	if err := fsys.WriteFile(dir+"/"+name, s.Marshal(ref)); err != nil {
		return fmt.Errorf("writing %s/%s: %w", dir, name, err)
	}
	return nil
}

func appendEvents(fsys FS, events []Event) error {
	byFile := map[string][]Event{}
	var order []string
	for _, e := range events {
		p := eventsPath(e.Time.UTC())
		if _, ok := byFile[p]; !ok {
			order = append(order, p)
		}
		byFile[p] = append(byFile[p], e)
	}
	for _, p := range order {
		old, err := fsys.ReadFile(p)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("reading %s: %w", p, err)
		}
		add, err := marshalEvents(byFile[p])
		if err != nil {
			return err
		}
		if err := fsys.WriteFile(p, append(old, add...)); err != nil {
			return fmt.Errorf("writing %s: %w", p, err)
		}
	}
	return nil
}

// Fold turns the samples of every day over by now (plus RollupGrace) into
// that day's rollup, merged with any rollup already there, and removes
// the folded samples.
func Fold(fsys FS, now time.Time) error {
	days, err := fsys.ReadDir(SamplesDir)
	if err != nil {
		return fmt.Errorf("listing %s: %w", SamplesDir, err)
	}
	for _, day := range days {
		d, err := time.Parse(dayLayout, day)
		if err != nil || now.Before(d.AddDate(0, 0, 1).Add(RollupGrace)) {
			continue
		}
		r, names, err := readDaySamples(fsys, day)
		if err != nil {
			return err
		}
		if old, err := readRollup(fsys, day); err != nil {
			return err
		} else if old != nil {
			r.merge(old)
		}
		if err := fsys.WriteFile(RollupPath(day), r.Marshal()); err != nil {
			return fmt.Errorf("writing %s: %w", RollupPath(day), err)
		}
		for _, n := range names {
			if err := fsys.Remove(samplesPath(day) + "/" + n); err != nil {
				return fmt.Errorf("removing %s: %w", n, err)
			}
		}
	}
	return nil
}

// readDaySamples counts the samples of day into a rollup.
func readDaySamples(fsys FS, day string) (Rollup, []string, error) {
	dir := samplesPath(day)
	names, err := fsys.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("listing samples of %s: %w", day, err)
	}
	raw := make(map[string][]byte, len(names))
	for _, n := range names {
		if raw[n], err = fsys.ReadFile(dir + "/" + n); err != nil {
			return nil, nil, fmt.Errorf("reading %s/%s: %w", dir, n, err)
		}
	}
	// References are standalone samples of the same day.
	decoded := map[string][]byte{}
	refCodes := func(name string) ([]byte, error) {
		if c, ok := decoded[name]; ok {
			return c, nil
		}
		data, ok := raw[name]
		if !ok {
			return nil, fmt.Errorf("no sample %s in %s", name, dir)
		}
		s, err := ParseSample(data, nil)
		decoded[name] = s.Codes
		return s.Codes, err
	}
	r := Rollup{}
	for _, n := range names {
		s, err := ParseSample(raw[n], refCodes)
		if err != nil {
			return nil, nil, fmt.Errorf("%s/%s: %w", dir, n, err)
		}
		r.addSample(s)
	}
	return r, names, nil
}

func readRollup(fsys FS, day string) (Rollup, error) {
	data, err := fsys.ReadFile(RollupPath(day))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", RollupPath(day), err)
	}
	r, err := ParseRollup(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", RollupPath(day), err)
	}
	return r, nil
}
