package site

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/drim-m/trust-space/tool/internal/status"
)

// history writes crafted records: runs through status.Apply, as the
// prober records them, and whole days as rollups, as Fold leaves them.
type history struct {
	t   *testing.T
	dir status.Dir
}

func newHistory(t *testing.T) *history { return &history{t, status.Dir(t.TempDir())} }

// run records one run in which DRIMbox 1 has verdict v.
func (h *history) run(at time.Time, v probe.Verdict, every time.Duration) {
	h.t.Helper()
	r := probe.Result{ID: 1, Verdict: v, DB: &probe.Check{Host: dbName(1), OK: v != probe.Down, HTTP: 200, Timings: probe.Timings{Total: 60 * time.Millisecond}}}
	if v == probe.Down {
		r.Reasons = []string{probe.ReasonDBDown, probe.ReasonConnect}
	}
	run := &probe.Run{Start: at, End: at.Add(time.Second), NetworkOK: true, Complete: true, Results: []probe.Result{r}}
	if err := status.Apply(h.dir, run, every); err != nil {
		h.t.Fatal(err)
	}
}

// day records a whole day of DRIMbox 1: checks runs, down of them down.
func (h *history) day(day time.Time, checks, down int) {
	h.t.Helper()
	d := &status.Day{ID: 1, Checks: checks, Up: checks - down, Down: down}
	d.Hist[status.BucketOf(60*time.Millisecond)] = checks - down
	if err := h.dir.WriteFile(status.RollupPath(day.Format("2006-01-02")), status.Rollup{1: d}.Marshal()); err != nil {
		h.t.Fatal(err)
	}
}

func (h *history) build(now time.Time, days int) string {
	h.t.Helper()
	out := filepath.Join(h.t.TempDir(), "site")
	infos := map[int]Info{1: {OperatorID: "alpha-imagerie", Operator: "Alpha Imagerie"}}
	if err := Build(Options{Data: h.dir, Infos: infos, Now: now, Days: days, Out: out}); err != nil {
		h.t.Fatal(err)
	}
	return out
}

// figures are what the JSON says of DRIMbox 1.
type figures struct {
	Verdict      string             `json:"verdict"`
	Since        *time.Time         `json:"since"`
	SinceBound   bool               `json:"since_bound"`
	Availability *float64           `json:"availability"`
	Uptime       map[string]float64 `json:"uptime"`
}

func readFile(t *testing.T, out, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// agree checks that DRIMbox 1's page, its JSON, status.json, the list
// page, the disturbed page and the feeds say the same thing, and returns
// the figures.
func agree(t *testing.T, out string) figures {
	t.Helper()
	var box figures
	if err := json.Unmarshal([]byte(readFile(t, out, "api/drimbox/1.json")), &box); err != nil {
		t.Fatal(err)
	}
	var all struct{ DRIMboxes []figures }
	if err := json.Unmarshal([]byte(readFile(t, out, "status.json")), &all); err != nil {
		t.Fatal(err)
	}
	if len(all.DRIMboxes) != 1 {
		t.Fatalf("status.json lists %d DRIMboxes, want 1", len(all.DRIMboxes))
	}
	a, b := all.DRIMboxes[0], box
	if a.Verdict != b.Verdict || !a.Since.Equal(*b.Since) || a.SinceBound != b.SinceBound || *a.Availability != *b.Availability || len(a.Uptime) != len(b.Uptime) {
		t.Errorf("status.json says %+v, api/drimbox/1.json %+v", a, b)
	}
	page := readFile(t, out, "drimbox/1.html")
	head := regexp.MustCompile(`<p class="headline">.*</p>`).FindString(page)
	if !strings.Contains(head, verdictWord(box.Verdict)) || !strings.Contains(head, `datetime="`+iso(*box.Since)+`"`) {
		t.Errorf("the page's headline %q does not say %s since %s", head, box.Verdict, iso(*box.Since))
	}
	if box.SinceBound != strings.Contains(head, "au moins depuis") {
		t.Errorf("headline %q, since_bound %v", head, box.SinceBound)
	}
	for _, w := range uptimeWindows {
		m := regexp.MustCompile(`<dt>` + w.Words + `</dt><dd>([^<]*)</dd>`).FindStringSubmatch(page)
		want := "non mesurée"
		if r, ok := box.Uptime[w.Key]; ok {
			want = frPercent(r)
		}
		if m == nil || m[1] != want {
			t.Errorf("the page gives %s as %v, the JSON as %q", w.Words, m, want)
		}
	}
	list := readFile(t, out, "liste/1.html")
	if r, ok := box.Uptime["90d"]; ok && !strings.Contains(list, `<td class="num">`+frPercent(r)+`</td>`) {
		t.Errorf("the list page lacks the 90-day figure %s", frPercent(r))
	}
	if box.Verdict != "up" {
		dist := readFile(t, out, "perturbes.html")
		if !strings.Contains(dist, `datetime="`+iso(*box.Since)+`"`) {
			t.Errorf("perturbes.html lacks the since %s", iso(*box.Since))
		}
	}
	// The newest state change in the feeds is the state shown, at the
	// time shown unless the records only bound it.
	for _, name := range []string{"feed.xml", "flux/drimbox/1.xml", "flux/operateur/alpha-imagerie.xml"} {
		var feed struct {
			Entries []struct {
				ID      string `xml:"id"`
				Title   string `xml:"title"`
				Updated string `xml:"updated"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal([]byte(readFile(t, out, name)), &feed); err != nil {
			t.Fatal(err)
		}
		for _, e := range feed.Entries {
			if !strings.Contains(e.ID, ":event:1:") {
				continue
			}
			if !strings.HasSuffix(e.Title, strings.ToLower(verdictWord(box.Verdict))) {
				t.Errorf("%s: newest change %q, the page says %s", name, e.Title, box.Verdict)
			}
			if !box.SinceBound && e.Updated != iso(*box.Since) {
				t.Errorf("%s: newest change at %s, the page says since %s", name, e.Updated, iso(*box.Since))
			}
			break
		}
	}
	return box
}

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if got < want-1e-6 || got > want+1e-6 {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// TestFiguresAgree builds crafted histories and checks the figures each
// one must give, and that every file says the same.
func TestFiguresAgree(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	today := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	const perDay = 288

	t.Run("down since before the window", func(t *testing.T) {
		h := newHistory(t)
		h.run(now.AddDate(0, 0, -100), probe.Down, 5*time.Minute)
		for back := 29; back >= 1; back-- {
			h.day(today.AddDate(0, 0, -back), perDay, perDay)
		}
		h.run(now.Add(-5*time.Minute), probe.Down, 5*time.Minute)
		h.run(now, probe.Down, 5*time.Minute)
		f := agree(t, h.build(now, 30))
		if !f.Since.Equal(now.AddDate(0, 0, -100)) || f.SinceBound {
			t.Errorf("since %v (bound %v), want the change 100 days ago", f.Since, f.SinceBound)
		}
		for k, r := range f.Uptime {
			near(t, k, r, 0)
		}
		near(t, "availability", *f.Availability, 0)
	})

	t.Run("gaps are not down", func(t *testing.T) {
		h := newHistory(t)
		h.run(today.AddDate(0, 0, -30), probe.Up, 5*time.Minute)
		for back := 29; back >= 1; back-- {
			if back >= 8 && back <= 10 {
				continue // the prober stopped for three days
			}
			h.day(today.AddDate(0, 0, -back), perDay, 0)
		}
		h.run(now, probe.Up, 5*time.Minute)
		out := h.build(now, 30)
		f := agree(t, out)
		for _, k := range []string{"24h", "7d", "30d", "90d"} {
			near(t, k, f.Uptime[k], 1)
		}
		if !strings.Contains(readFile(t, out, "drimbox/1.html"), "3 jours sans données") {
			t.Error("the page does not count the three days without data")
		}
	})

	t.Run("first seen down after days down", func(t *testing.T) {
		// The demo's case: history before the first run that recorded a
		// state, 27 days up then two down, and the first run down.
		h := newHistory(t)
		for back := 29; back >= 1; back-- {
			down := 0
			if back <= 2 {
				down = perDay
			}
			h.day(today.AddDate(0, 0, -back), perDay, down)
		}
		h.run(now, probe.Down, 5*time.Minute)
		out := h.build(now, 30)
		f := agree(t, out)
		if !f.SinceBound || !f.Since.Equal(today.AddDate(0, 0, -2)) {
			t.Errorf("since %v (bound %v), want at least since %v", f.Since, f.SinceBound, today.AddDate(0, 0, -2))
		}
		if !strings.Contains(readFile(t, out, "drimbox/1.html"), "au moins depuis le <time datetime=\"2026-12-05T00:00:00Z\">5 décembre 2026</time>") {
			t.Error("the page does not say since 5 December at least")
		}
		// 7 days back from noon: half of the 30th of November, four days
		// up, two down, and today's one run, down.
		near(t, "7d", f.Uptime["7d"], 4.5*perDay/(6.5*perDay+1))
		near(t, "30d", f.Uptime["30d"], 27.0*perDay/(29*perDay+1))
		near(t, "availability", *f.Availability, 27.0/29)
		near(t, "24h", f.Uptime["24h"], 0)
	})

	t.Run("change at midnight in Paris", func(t *testing.T) {
		// 23:30 UTC on the 6th is 0:30 on the 7th in Paris: the change is
		// in the 6th's row (days are UTC days) and said at 0 h 30 on the 7th.
		h := newHistory(t)
		every := 30 * time.Minute
		change := time.Date(2026, 12, 6, 23, 30, 0, 0, time.UTC)
		for at := today.AddDate(0, 0, -2); !at.After(now); at = at.Add(every) {
			v := probe.Up
			if !at.Before(change) {
				v = probe.Down
			}
			h.run(at, v, every)
		}
		out := h.build(now, 7)
		f := agree(t, out)
		if !f.Since.Equal(change) || f.SinceBound {
			t.Errorf("since %v (bound %v), want %v", f.Since, f.SinceBound, change)
		}
		page := readFile(t, out, "drimbox/1.html")
		for _, want := range []string{
			`depuis le <time datetime="2026-12-06T23:30:00Z">7 décembre 2026 à 0 h 30</time>`,
			`<tr><th scope="row">6 décembre 2026</th><td>Dégradé</td><td class="num">48 / 48</td>`,
			`<tr><th scope="row">7 décembre 2026</th><td>Hors service</td>`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		// 24 hours from noon: half of the 6th (47 runs up of 48) and
		// the 25 runs of the 7th, down.
		near(t, "24h", f.Uptime["24h"], 47.0/2/(48.0/2+25))
	})
}
