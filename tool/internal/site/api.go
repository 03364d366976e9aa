package site

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/drim-m/trust-space/tool/internal/status"
)

// apiBox is a DRIMbox in status.json.
type apiBox struct {
	ID           int               `json:"id"`
	Verdict      string            `json:"verdict"`
	Label        string            `json:"label"`
	Since        *time.Time        `json:"since,omitempty"`
	Reasons      []string          `json:"reasons,omitempty"`
	Operator     string            `json:"operator,omitempty"`
	DB           *status.Point     `json:"db,omitempty"`
	VI           *status.Point     `json:"vi,omitempty"`
	PACS         []probe.PACSState `json:"pacs,omitempty"`
	CertNotAfter *time.Time        `json:"cert_not_after,omitempty"`
	Availability *float64          `json:"availability,omitempty"`
	Page         string            `json:"page"`
	API          string            `json:"api"`
	Badge        string            `json:"badge"`
}

type apiStatus struct {
	Generated time.Time        `json:"generated"`
	LastRun   *time.Time       `json:"last_run,omitempty"`
	Stale     bool             `json:"stale"`
	Overall   string           `json:"overall"`
	Headline  string           `json:"headline"`
	Counts    map[string]int   `json:"counts"`
	Days      int              `json:"days"`
	Notices   []*status.Notice `json:"notices"`
	DRIMboxes []apiBox         `json:"drimboxes"`
}

func apiBoxOf(b *box) apiBox {
	id := strconv.Itoa(b.ID)
	a := apiBox{ID: b.ID, Verdict: b.Verdict, Label: verdictWord(b.Verdict), Operator: b.Info.Operator,
		Page: "drimbox/" + id + ".html", API: "api/drimbox/" + id + ".json", Badge: "badge/" + id + ".svg"}
	if s := b.State; s != nil {
		since := s.Since
		a.Since, a.Reasons, a.DB, a.VI, a.PACS, a.CertNotAfter = &since, s.Reasons, s.DB, s.VI, s.PACS, s.CertNotAfter
	}
	if av, ok := b.Availability(); ok {
		av = math.Floor(av*1e6) / 1e6
		a.Availability = &av
	}
	return a
}

func statusJSON(v *view, opts Options) ([]byte, error) {
	s := apiStatus{Generated: v.Now, Stale: v.Stale, Overall: v.Overall.Class, Headline: v.Overall.Headline,
		Counts: v.Overall.Counts, Days: v.Days, Notices: opts.Notices, DRIMboxes: []apiBox{}}
	if s.Notices == nil {
		s.Notices = []*status.Notice{}
	}
	if !v.Last.IsZero() {
		s.LastRun = &v.Last
	}
	for _, b := range v.Boxes {
		s.DRIMboxes = append(s.DRIMboxes, apiBoxOf(b))
	}
	return json.MarshalIndent(s, "", " ")
}

// apiHistory is a DRIMbox's window, one array entry per day, oldest
// first: compact for thousands of DRIMboxes, easy to chart.
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
		Generated time.Time        `json:"generated"`
		History   apiHistory       `json:"history"`
		Events    []status.Event   `json:"events"`
		Notices   []*status.Notice `json:"notices"`
	}{apiBox: apiBoxOf(b), Generated: v.Now, Events: b.Events, Notices: b.Notices}
	if out.Events == nil {
		out.Events = []status.Event{}
	}
	if out.Notices == nil {
		out.Notices = []*status.Notice{}
	}
	h := &out.History
	n := len(b.Days)
	h.State, h.Checks, h.Up, h.Degraded, h.Down, h.Unknown = make([]string, n), make([]int, n), make([]int, n), make([]int, n), make([]int, n), make([]int, n)
	h.P50, h.P95, h.P99 = make([]float64, n), make([]float64, n), make([]float64, n)
	for i, d := range b.Days {
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

// The Atom feed lists state changes and notices, newest first.

type atomFeedXML struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Link    atomLink `xml:"link"`
	Summary string   `xml:"summary"`
}

// maxFeedEntries bounds the feed so it stays small with thousands of DRIMboxes.
const maxFeedEntries = 200

func atomFeed(v *view, h *status.History, opts Options) ([]byte, error) {
	base := strings.TrimSuffix(opts.BaseURL, "/")
	link := func(p string) string {
		if base == "" {
			return p
		}
		return base + "/" + p
	}
	idBase := "urn:drimm:meteo:"
	f := atomFeedXML{Lang: "fr", ID: idBase + "feed", Title: "Météo des DRIMbox", Updated: v.Now.Format(time.RFC3339),
		Links:  []atomLink{{Rel: "self", Href: link("feed.xml")}, {Rel: "alternate", Href: link("index.html")}},
		Author: atomAuthor{Name: "Espace de Confiance DRIM-M"}}
	type dated struct {
		t time.Time
		e atomEntry
	}
	var all []dated
	for _, n := range opts.Notices {
		// A notice is as recent as its last message; a planned
		// maintenance starts later than it is announced.
		var last time.Time
		for _, u := range n.Updates {
			if u.Time.After(last) {
				last = u.Time
			}
		}
		if last.IsZero() {
			last = n.Start
		}
		summary := ""
		if len(n.Updates) > 0 {
			summary = n.Updates[len(n.Updates)-1].Text
		}
		all = append(all, dated{last, atomEntry{ID: idBase + "notice:" + n.File, Title: kindWordOf(n.Kind) + " : " + n.Title,
			Updated: last.UTC().Format(time.RFC3339), Link: atomLink{Href: link("index.html#avis")}, Summary: summary}})
	}
	for i := len(h.Events) - 1; i >= 0 && len(all) < maxFeedEntries+len(opts.Notices); i-- {
		e := h.Events[i]
		title := fmt.Sprintf("DRIMbox %d : %s", e.ID, strings.ToLower(verdictWord(string(e.To))))
		if e.To == status.NotProbed {
			title = fmt.Sprintf("DRIMbox %d : n'est plus suivi", e.ID)
		}
		summary := title
		if len(e.Reasons) > 0 {
			summary += " (" + reasonsText(e.Reasons) + ")"
		}
		all = append(all, dated{e.Time, atomEntry{ID: fmt.Sprintf("%sevent:%d:%s", idBase, e.ID, e.Time.UTC().Format(time.RFC3339)),
			Title: title, Updated: e.Time.UTC().Format(time.RFC3339), Link: atomLink{Href: link("drimbox/" + strconv.Itoa(e.ID) + ".html")}, Summary: summary}})
	}
	// Newest first, then cut.
	for i := 1; i < len(all); i++ {
		for j := i; j > 0 && all[j].t.After(all[j-1].t); j-- {
			all[j], all[j-1] = all[j-1], all[j]
		}
	}
	if len(all) > maxFeedEntries {
		all = all[:maxFeedEntries]
	}
	for _, d := range all {
		f.Entries = append(f.Entries, d.e)
	}
	out, err := xml.MarshalIndent(f, "", " ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(out, '\n')...), nil
}

func kindWordOf(k string) string {
	if k == "maintenance" {
		return "Maintenance"
	}
	return "Incident"
}
