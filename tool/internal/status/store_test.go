package status

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/google/go-cmp/cmp"
)

var t0 = time.Date(2026, 3, 2, 23, 50, 0, 0, time.UTC)

// fakeRun builds a run at t where DRIMbox i has verdicts[i] and a first
// byte after latency.
func fakeRun(t time.Time, latency time.Duration, verdicts map[int]probe.Verdict) *probe.Run {
	run := &probe.Run{Start: t, End: t.Add(time.Second), NetworkOK: true, Complete: true}
	for id := 1; id <= len(verdicts); id++ {
		v := verdicts[id]
		r := probe.Result{ID: id, Verdict: v, DB: &probe.Check{Host: "db", OK: v != probe.Down, Timings: probe.Timings{Total: latency}}}
		if v == probe.Down {
			r.Reasons = []string{probe.ReasonDBDown, probe.ReasonConnect}
		}
		run.Results = append(run.Results, r)
	}
	return run
}

func TestApplyRecordsChangesOnly(t *testing.T) {
	fsys := Dir(t.TempDir())
	up := map[int]probe.Verdict{1: probe.Up, 2: probe.Up, 3: probe.Up}
	down2 := map[int]probe.Verdict{1: probe.Up, 2: probe.Down, 3: probe.Up}
	runs := []*probe.Run{
		fakeRun(t0, 80*time.Millisecond, up),
		fakeRun(t0.Add(5*time.Minute), 90*time.Millisecond, up),
		fakeRun(t0.Add(10*time.Minute), 90*time.Millisecond, down2),
		fakeRun(t0.Add(15*time.Minute), 85*time.Millisecond, up),
	}
	var latest [][]byte
	for _, r := range runs {
		if err := Apply(fsys, r, 5*time.Minute); err != nil {
			t.Fatal(err)
		}
		b, _ := fsys.ReadFile(LatestDir + "/000.json")
		latest = append(latest, b)
	}
	// Runs 0 and 1 differ only in latency and time: the state is unchanged.
	if !cmp.Equal(latest[0], latest[1]) {
		t.Errorf("latest/000.json changed without a change of state:\n%s\n---\n%s", latest[0], latest[1])
	}
	if cmp.Equal(latest[1], latest[2]) {
		t.Errorf("latest/000.json after DRIMbox 2 went down:\n%s", latest[2])
	}
	second, _ := fsys.ReadFile("events/2026/03/2026-03-02.jsonl")
	third, _ := fsys.ReadFile("events/2026/03/2026-03-03.jsonl")
	events := ParseEvents(append(second, third...))
	var got []string
	for _, e := range events {
		got = append(got, e.Time.Format("15:04")+" "+strconv.Itoa(e.ID)+" "+string(e.From)+">"+string(e.To))
	}
	want := []string{"23:50 1 >up", "23:50 2 >up", "23:50 3 >up", "00:00 2 up>down", "00:05 2 down>up"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestFoldAfterGrace(t *testing.T) {
	fsys := Dir(t.TempDir())
	up := map[int]probe.Verdict{1: probe.Up, 2: probe.Degraded}
	for i := 0; i < 2; i++ {
		if err := Apply(fsys, fakeRun(t0.Add(time.Duration(i)*5*time.Minute), 100*time.Millisecond, up), 5*time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	// Just after midnight: inside the grace period, nothing folded.
	if err := Apply(fsys, fakeRun(t0.Add(20*time.Minute), 100*time.Millisecond, up), 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	if names, _ := fsys.ReadDir(samplesPath("2026-03-02")); len(names) != 2 {
		t.Fatalf("samples of 2 March = %v, want 2 files kept during the grace period", names)
	}
	if err := Apply(fsys, fakeRun(t0.Add(RollupGrace+15*time.Minute), 100*time.Millisecond, up), 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	if names, _ := fsys.ReadDir(samplesPath("2026-03-02")); len(names) != 0 {
		t.Errorf("samples of 2 March left after folding: %v", names)
	}
	data, err := fsys.ReadFile(RollupPath("2026-03-02"))
	if err != nil {
		t.Fatal(err)
	}
	want := rollupHeader + "\n1,2,2,0,0,0,108,108,108,N1\n2,2,0,2,0,0,108,108,108,N1\n"
	if diff := cmp.Diff(want, string(data)); diff != "" {
		t.Errorf("rollup (-want +got):\n%s", diff)
	}
	r, err := ParseRollup(data)
	if err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(string(r.Marshal()), want) {
		t.Errorf("rollup does not survive a round trip")
	}
	h, err := ReadHistory(fsys, t0.Add(2*time.Hour), 3)
	if err != nil {
		t.Fatal(err)
	}
	var days []string
	for _, d := range h.Days {
		days = append(days, d.Day+":"+strconv.Itoa(len(d.Rollup))+":"+strconv.Itoa(d.Runs))
	}
	if diff := cmp.Diff([]string{"2026-03-01:0:0", "2026-03-02:2:0", "2026-03-03:2:2"}, days); diff != "" {
		t.Errorf("history days (-want +got):\n%s", diff)
	}
}

func TestLateRunKeepsLaterState(t *testing.T) {
	fsys := Dir(t.TempDir())
	if err := Apply(fsys, fakeRun(t0.Add(5*time.Minute), time.Millisecond, map[int]probe.Verdict{1: probe.Up}), 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := Apply(fsys, fakeRun(t0, time.Millisecond, map[int]probe.Verdict{1: probe.Down}), 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	l, _ := readLatest(fsys)
	if l.Run != t0.Add(5*time.Minute) || l.DRIMboxes[0].Verdict != probe.Up {
		t.Errorf("latest = %s %s, want the later run's up", l.Run, l.DRIMboxes[0].Verdict)
	}
	names, _ := fsys.ReadDir(samplesPath("2026-03-02"))
	if len(names) != 2 {
		t.Errorf("samples = %v, want both runs", names)
	}
}

func TestSampleCodes(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want int
	}{{0, 0}, {time.Millisecond, 0}, {2 * time.Millisecond, 2}, {80 * time.Millisecond, 12}, {time.Second, 19}, {time.Hour, 25}} {
		if got := bucket(tc.d); got != tc.want {
			t.Errorf("bucket(%s) = %d, want %d", tc.d, got, tc.want)
		}
	}
	s := Sample{Time: t0, NetworkOK: true, Complete: false, Codes: []byte(".A!?zM")}
	back, err := ParseSample(s.Marshal(nil), nil)
	if err != nil || !cmp.Equal(back, s) {
		t.Errorf("round trip: %+v, %v", back, err)
	}
	// Against a reference, at 23:50 (phase 2 of 4): only Identifiants 2,
	// 6, 10 … keep their latency, as steps or escapes.
	ref := []byte(".MMMMMM!MM!")
	rel := Sample{Time: t0, NetworkOK: true, Complete: true, Codes: []byte(".NlMZMNQ?MAZR"), Ref: "000000.txt"}
	data := rel.Marshal(ref)
	lines := strings.Split(string(data), "\n")
	if lines[2] != ".+~+++++?++++" || lines[3] != "FH#A" {
		t.Errorf("verdicts %q, latencies %q", lines[2], lines[3])
	}
	back, err = ParseSample(data, func(name string) ([]byte, error) { return ref, nil })
	if err != nil {
		t.Fatalf("relative round trip: %v", err)
	}
	for id, c := range back.Codes {
		if id%Every == phase(t0) {
			if c != rel.Codes[id] {
				t.Errorf("DRIMbox %d: %q, want %q", id, c, rel.Codes[id])
			}
		} else if c != verdictOf(rel.Codes[id]) {
			t.Errorf("DRIMbox %d: %q, want %q", id, c, verdictOf(rel.Codes[id]))
		}
	}
	for _, bad := range []string{"", "drimm-samples 2\nrun x network=ok complete=yes\n+\nA\n", "drimm-samples 2\nrun 2026-03-02T00:00:00Z network=ok complete=yes\nA\n\n",
		"drimm-samples 2\nrun 2026-03-02T00:00:00Z network=ok complete=yes\n+\n\n", "drimm-samples 2\nrun 2026-03-02T00:00:00Z network=ok complete=yes\n+\nAA\n",
		"drimm-samples 2\nrun 2026-03-02T00:00:00Z network=ok complete=yes ref=../x phase=0\n+\nG\n"} {
		if _, err := ParseSample([]byte(bad), func(string) ([]byte, error) { return []byte("A"), nil }); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
