package status

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
)

// vantageRun is one run seeing DRIMboxes 1–3 with the given verdicts.
func vantageRun(at time.Time, verdicts ...probe.Verdict) *probe.Run {
	run := &probe.Run{Start: at, End: at.Add(10 * time.Second), NetworkOK: true, Complete: true}
	for i, v := range verdicts {
		r := probe.Result{ID: i + 1, Verdict: v, DB: &probe.Check{Host: "db", OK: v != probe.Down, Timings: probe.Timings{Total: 50 * time.Millisecond}}}
		switch v {
		case probe.Down:
			r.Reasons = []string{probe.ReasonDBDown, probe.ReasonConnect}
		case probe.Degraded:
			r.Reasons = []string{probe.ReasonSlow}
		case probe.Unknown:
			r.Reasons = []string{probe.ReasonNetwork}
		}
		run.Results = append(run.Results, r)
	}
	return run
}

func TestQuorum(t *testing.T) {
	const (
		U = probe.Up
		G = probe.Degraded
		D = probe.Down
		X = probe.Unknown
	)
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		views   map[string]probe.Verdict
		want    probe.Verdict
		reasons []string
	}{
		{"all up", map[string]probe.Verdict{"a": U, "b": U, "c": U}, U, nil},
		{"one of three down: a glitch, not an outage", map[string]probe.Verdict{"a": D, "b": U, "c": U}, G, []string{probe.ReasonSplit, probe.ReasonDBDown, probe.ReasonConnect}},
		{"two of three down", map[string]probe.Verdict{"a": D, "b": D, "c": U}, D, nil},
		{"all down", map[string]probe.Verdict{"a": D, "b": D, "c": D}, D, nil},
		{"one down, two cannot tell", map[string]probe.Verdict{"a": D, "b": X, "c": X}, X, nil},
		{"one up, two cannot tell", map[string]probe.Verdict{"a": U, "b": X, "c": X}, U, nil},
		{"slow from one", map[string]probe.Verdict{"a": G, "b": U, "c": U}, G, []string{probe.ReasonSlow}},
		{"one of two down", map[string]probe.Verdict{"a": D, "b": U}, G, []string{probe.ReasonSplit, probe.ReasonDBDown, probe.ReasonConnect}},
		{"alone and down", map[string]probe.Verdict{"a": D}, D, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := Dir(t.TempDir())
			names := make([]string, 0, len(tt.views))
			for n := range tt.views {
				names = append(names, n)
			}
			slices.Sort(names)
			for i, n := range names {
				// DRIMbox 1 as the case says; 2 always up; 3 always down.
				run := vantageRun(at.Add(time.Duration(i)*time.Second), tt.views[n], U, D)
				if err := ApplyVantage(dir, n, run, 5*time.Minute); err != nil {
					t.Fatal(err)
				}
			}
			l, err := readLatest(dir)
			if err != nil || l == nil {
				t.Fatalf("latest: %v %v", l, err)
			}
			got := l.DRIMboxes[0]
			if got.Verdict != tt.want {
				t.Errorf("verdict %s, want %s", got.Verdict, tt.want)
			}
			if tt.reasons != nil && !slices.Equal(got.Reasons, tt.reasons) {
				t.Errorf("reasons %v, want %v", got.Reasons, tt.reasons)
			}
			if len(got.Vantages) != len(tt.views) {
				t.Fatalf("%d vantage views, want %d", len(got.Vantages), len(tt.views))
			}
			for _, v := range got.Vantages {
				if v.Verdict != tt.views[v.Name] {
					t.Errorf("vantage %s: %s, want %s", v.Name, v.Verdict, tt.views[v.Name])
				}
			}
			if l.DRIMboxes[1].Verdict != U || l.DRIMboxes[2].Verdict != D {
				t.Errorf("DRIMboxes 2 and 3: %s, %s; want up, down", l.DRIMboxes[1].Verdict, l.DRIMboxes[2].Verdict)
			}
		})
	}
}

// TestQuorumForgetsSilentVantage checks that a vantage point that stopped
// running no longer counts: its old "down" does not outvote the others.
func TestQuorumForgetsSilentVantage(t *testing.T) {
	dir := Dir(t.TempDir())
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for _, n := range []string{"a", "b"} {
		if err := ApplyVantage(dir, n, vantageRun(at, probe.Down), 5*time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	later := at.Add(30 * time.Minute)
	if err := ApplyVantage(dir, "c", vantageRun(later, probe.Up), 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	l, _ := readLatest(dir)
	if got := l.DRIMboxes[0]; got.Verdict != probe.Up || len(got.Vantages) != 1 || got.Since != later {
		t.Errorf("got %s since %s from %d vantage points; want up since %s from c alone", got.Verdict, got.Since, len(got.Vantages), later)
	}
	events := readAllEvents(t, dir)
	if len(events) != 2 || events[0].To != probe.Down || events[1].From != probe.Down || events[1].To != probe.Up {
		t.Errorf("events %+v, want down then down → up", events)
	}
	// Each vantage point wrote its own sample, and the day's rollup
	// counts all three.
	names, _ := dir.ReadDir(samplesPath("2026-03-02"))
	if !slices.Equal(names, []string{"100000-a.txt", "100000-b.txt", "103000-c.txt"}) {
		t.Errorf("samples %v", names)
	}
	r, _, err := readDaySamples(dir, "2026-03-02")
	if err != nil {
		t.Fatal(err)
	}
	if d := r[1]; d.Checks != 3 || d.Down != 2 || d.Up != 1 {
		t.Errorf("rollup of DRIMbox 1: %+v", d)
	}
}

func TestVantageName(t *testing.T) {
	for _, bad := range []string{"", "Paris", "../x", "a/b", "-a", "a b", "abcdefghijklmnopqrstuvwxyz0123456789"} {
		if ValidVantage(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
	err := ApplyVantage(Dir(t.TempDir()), "../escape", vantageRun(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), probe.Up), 5*time.Minute)
	if err == nil || !strings.Contains(err.Error(), "use lower-case letters") {
		t.Errorf("error %v, want the naming rule", err)
	}
}

func readAllEvents(t *testing.T, dir Dir) []Event {
	t.Helper()
	h, err := ReadHistory(dir, time.Date(2026, 3, 2, 23, 0, 0, 0, time.UTC), 2)
	if err != nil {
		t.Fatal(err)
	}
	return h.Events
}

// NotUp reads the state decided, or one vantage point's own.
func TestNotUp(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	dir := Dir(t.TempDir())
	if got, err := NotUp(dir, ""); err != nil || len(got) != 0 {
		t.Fatalf("no run recorded: %v, %v; want nothing", got, err)
	}
	if err := ApplyVantage(dir, "a", vantageRun(at, probe.Up, probe.Down, probe.Degraded), 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := ApplyVantage(dir, "b", vantageRun(at.Add(time.Second), probe.Up, probe.Up, probe.Up), 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		vantage string
		want    []int
	}{{"a", []int{2, 3}}, {"b", nil}, {"", []int{2, 3}}} {
		got, err := NotUp(dir, tt.vantage)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int
		for id := range got {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		if !slices.Equal(ids, tt.want) {
			t.Errorf("NotUp(%q) = %v, want %v", tt.vantage, ids, tt.want)
		}
	}
	if _, err := NotUp(dir, "../etc"); err == nil {
		t.Error("a vantage name with a path was accepted")
	}
}

// A run that changes no state rewrites no latest/ file, with vantage
// points as with one prober: their run times are kept in run.json.
func TestVantageRunsLeaveLatestAlone(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	dir := Dir(t.TempDir())
	apply := func(at time.Time) {
		for k, name := range []string{"a", "b", "c"} {
			if err := ApplyVantage(dir, name, vantageRun(at.Add(time.Duration(k)*7*time.Second), probe.Up, probe.Down, probe.Up), 5*time.Minute); err != nil {
				t.Fatal(err)
			}
		}
	}
	apply(at)
	shard := LatestDir + "/000.json"
	before, err := dir.ReadFile(shard)
	if err != nil {
		t.Fatal(err)
	}
	next := at.Add(5 * time.Minute)
	apply(next)
	after, err := dir.ReadFile(shard)
	if err != nil {
		t.Fatal(err)
	}
	if string(before) != string(after) {
		t.Errorf("a run that changed no state rewrote %s:\n%s\nthen\n%s", shard, before, after)
	}
	l, err := readLatest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := next.Add(14 * time.Second); !l.VantageRuns["c"].Equal(want) {
		t.Errorf("run.json says c ran at %v, want %v", l.VantageRuns["c"], want)
	}
	for _, v := range l.DRIMboxes[1].Vantages {
		if want := l.VantageRuns[v.Name]; v.Run.IsZero() || !v.Run.Equal(want) {
			t.Errorf("DRIMbox 2 as %s saw it: run %v, want %v", v.Name, v.Run, want)
		}
	}
}
