package site

import (
	"encoding/json"
	"math"
	"strconv"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/drim-m/trust-space/tool/internal/status"
)

// apiBox is a DRIMbox in status.json.
type apiBox struct {
	ID      int        `json:"id"`
	Verdict string     `json:"verdict"`
	Label   string     `json:"label"`
	Since   *time.Time `json:"since,omitempty"`
	// SinceBound says the records only tell the state held at least
	// from Since (the start of the first day of the history in it).
	SinceBound   bool              `json:"since_bound,omitempty"`
	Reasons      []string          `json:"reasons,omitempty"`
	Operator     string            `json:"operator,omitempty"`
	DB           *status.Point     `json:"db,omitempty"`
	VI           *status.Point     `json:"vi,omitempty"`
	PACS         []probe.PACSState `json:"pacs,omitempty"`
	CertNotAfter *time.Time        `json:"cert_not_after,omitempty"`
	Vantages     []status.Vantage  `json:"vantages,omitempty"`
	// Availability is the share of the checks of the window's finished
	// days in which the DRIMbox answered.
	Availability *float64 `json:"availability,omitempty"`
	// Uptime is the share of the time it was available over the last
	// 24 hours, 7, 30 and 90 days; a window without known state is left out.
	Uptime map[string]float64 `json:"uptime"`
	Page   string             `json:"page"`
	API    string             `json:"api"`
	Badge  string             `json:"badge"`
	Feed   string             `json:"feed"`
}

type apiStatus struct {
	Generated time.Time        `json:"generated"`
	LastRun   *time.Time       `json:"last_run,omitempty"`
	Stale     bool             `json:"stale"`
	Overall   string           `json:"overall"`
	Grade     string           `json:"grade"`
	Headline  string           `json:"headline"`
	Counts    map[string]int   `json:"counts"`
	Days      int              `json:"days"`
	Notices   []*status.Notice `json:"notices"`
	DRIMboxes []apiBox         `json:"drimboxes"`
}

// link is p from the site's root, absolute when the build has a base
// address.
func (v *view) link(p string) string {
	if v.Base == "" {
		return p
	}
	return v.Base + "/" + p
}

func apiBoxOf(b *box, v *view) apiBox {
	id := strconv.Itoa(b.ID)
	a := apiBox{ID: b.ID, Verdict: b.Verdict, Label: verdictWord(b.Verdict), Operator: b.Info.Operator,
		Page: v.link("drimbox/" + id + ".html"), API: v.link("api/drimbox/" + id + ".json"), Badge: v.link("badge/" + id + ".svg"), Feed: v.link(boxFeed(b.ID))}
	if s := b.State; s != nil {
		since := b.Since
		a.SinceBound = b.SinceBound
		a.Since, a.Reasons, a.DB, a.VI, a.PACS, a.CertNotAfter, a.Vantages = &since, s.Reasons, s.DB, s.VI, s.PACS, s.CertNotAfter, s.Vantages
	}
	a.Uptime = map[string]float64{}
	for _, u := range b.Uptimes {
		if u.Known {
			a.Uptime[u.Key] = math.Floor(u.Ratio*1e6) / 1e6
		}
	}
	if av, ok := b.Availability(); ok {
		av = math.Floor(av*1e6) / 1e6
		a.Availability = &av
	}
	return a
}

func statusJSON(v *view, opts Options) ([]byte, error) {
	s := apiStatus{Generated: v.Now, Stale: v.Stale, Overall: v.Overall.Class, Grade: v.Overall.Grade, Headline: v.Overall.Headline,
		Counts: v.Overall.Counts, Days: v.Days, Notices: opts.Notices, DRIMboxes: []apiBox{}}
	if s.Notices == nil {
		s.Notices = []*status.Notice{}
	}
	if !v.Last.IsZero() {
		s.LastRun = &v.Last
	}
	for _, b := range v.Boxes {
		s.DRIMboxes = append(s.DRIMboxes, apiBoxOf(b, v))
	}
	return json.MarshalIndent(s, "", " ")
}

// apiHistory is a DRIMbox's finished days of the window, one array entry
// per day, oldest first: compact for thousands of DRIMboxes, easy to
// chart. Today is left out until it is over, so that the file changes
// once a day or when the DRIMbox's state does, not at every run.
type apiHistory struct {
	FirstDay string `json:"first_day"`
	// ExpectedPerDay is how many runs a day should have had.
	ExpectedPerDay int       `json:"expected_per_day,omitempty"`
	State          []string  `json:"state"`
	Checks         []int     `json:"checks"`
	Up             []int     `json:"up"`
	Degraded       []int     `json:"degraded"`
	Down           []int     `json:"down"`
	Unknown        []int     `json:"unknown"`
	P50            []float64 `json:"p50_ms"`
	P95            []float64 `json:"p95_ms"`
	P99            []float64 `json:"p99_ms"`
}

func boxJSON(b *box, v *view) ([]byte, error) {
	out := struct {
		apiBox
		History apiHistory       `json:"history"`
		Events  []status.Event   `json:"events"`
		Notices []*status.Notice `json:"notices"`
	}{apiBox: apiBoxOf(b, v), Events: b.Events, Notices: b.Notices}
	if out.Events == nil {
		out.Events = []status.Event{}
	}
	if out.Notices == nil {
		out.Notices = []*status.Notice{}
	}
	h := &out.History
	days := b.Days[:max(len(b.Days)-1, 0)]
	n := len(days)
	h.State, h.Checks, h.Up, h.Degraded, h.Down, h.Unknown = make([]string, n), make([]int, n), make([]int, n), make([]int, n), make([]int, n), make([]int, n)
	h.P50, h.P95, h.P99 = make([]float64, n), make([]float64, n), make([]float64, n)
	for i, d := range days {
		if i == 0 {
			h.FirstDay, h.ExpectedPerDay = d.Day, d.Expected
		}
		h.State[i] = d.Class
		if d.D != nil {
			h.Checks[i], h.Up[i], h.Degraded[i], h.Down[i], h.Unknown[i] = d.D.Checks, d.D.Up, d.D.Degraded, d.D.Down, d.D.Unknown
			h.P50[i], h.P95[i], h.P99[i] = math.Round(d.P50), math.Round(d.P95), math.Round(d.P99)
		}
	}
	return json.Marshal(out)
}
