package site

import (
	"encoding/xml"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/drim-m/trust-space/tool/internal/status"
)

// Atom feeds list state changes and notices, newest first: one for the
// whole trust space (feed.xml), one per operator and one per DRIMbox, so
// that a radiologist or an operator subscribes to what concerns them.

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

// maxFeedEntries bounds a feed so it stays small with thousands of DRIMboxes.
const maxFeedEntries = 200

const idBase = "urn:drimm:meteo:"

type dated struct {
	t time.Time
	e atomEntry
}

// feeds makes the feeds of one build.
type feeds struct {
	v       *view
	h       *status.History
	notices []*status.Notice
	base    string
	since   time.Time
	// byOp holds the Identifiants of each operator's DRIMboxes.
	byOp map[string]map[int]bool
}

func newFeeds(v *view, h *status.History, opts Options) *feeds {
	f := &feeds{v: v, h: h, notices: opts.Notices, base: strings.TrimSuffix(opts.BaseURL, "/"), byOp: map[string]map[int]bool{}}
	if len(h.Days) > 0 {
		f.since, _ = time.Parse("2006-01-02", h.Days[0].Day)
	}
	for _, b := range v.Boxes {
		id := b.Info.OperatorID
		if id == "" {
			id = noOperator
		}
		if f.byOp[id] == nil {
			f.byOp[id] = map[int]bool{}
		}
		f.byOp[id][b.ID] = true
	}
	return f
}

func (f *feeds) link(p string) string {
	if f.base == "" {
		return p
	}
	return f.base + "/" + p
}

func (f *feeds) noticeEntry(n *status.Notice) dated {
	// A notice is as recent as its last message; a planned maintenance
	// starts later than it is announced.
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
	return dated{last, atomEntry{ID: idBase + "notice:" + n.File, Title: kindWordOf(n.Kind) + " : " + n.Title,
		Updated: last.UTC().Format(time.RFC3339), Link: atomLink{Href: f.link("incidents.html")}, Summary: summary}}
}

func (f *feeds) eventEntry(e status.Event) dated {
	title := fmt.Sprintf("DRIMbox %d : %s", e.ID, strings.ToLower(verdictWord(string(e.To))))
	if e.To == status.NotProbed {
		title = fmt.Sprintf("DRIMbox %d : n'est plus suivi", e.ID)
	}
	summary := title
	if len(e.Reasons) > 0 {
		summary += " (" + reasonsText(e.Reasons) + ")"
	}
	return dated{e.Time, atomEntry{ID: fmt.Sprintf("%sevent:%d:%s", idBase, e.ID, e.Time.UTC().Format(time.RFC3339)),
		Title: title, Updated: e.Time.UTC().Format(time.RFC3339), Link: atomLink{Href: f.link("drimbox/" + strconv.Itoa(e.ID) + ".html")}, Summary: summary}}
}

// matters tells the state changes the trust space's and the operators'
// feeds carry: into trouble (down, degraded, no longer probed) and back
// out of it. A DRIMbox first seen operational, or a prober that could not
// tell, is no news to thousands of readers; each DRIMbox's own feed
// keeps every change.
func matters(e status.Event) bool {
	switch e.To {
	case probe.Down, probe.Degraded, status.NotProbed:
		return true
	case probe.Up:
		return e.From == probe.Down || e.From == probe.Degraded
	}
	return false
}

// feed writes the notices and events that concern, newest first; only
// those that matter unless every.
func (f *feeds) feed(id, title, self, alternate string, concerns func(int) bool, events []status.Event, every bool) []byte {
	out := atomFeedXML{Lang: "fr", ID: idBase + id, Title: title,
		Links:  []atomLink{{Rel: "self", Href: f.link(self)}, {Rel: "alternate", Href: f.link(alternate)}},
		Author: atomAuthor{Name: "Espace de Confiance DRIM-M"}}
	var all []dated
	for _, n := range f.notices {
		if concerns == nil || len(n.DRIMboxes) == 0 || slices.ContainsFunc(n.DRIMboxes, concerns) {
			all = append(all, f.noticeEntry(n))
		}
	}
	kept := 0
	for i := len(events) - 1; i >= 0 && kept < maxFeedEntries; i-- {
		if (concerns == nil || concerns(events[i].ID)) && (every || matters(events[i])) {
			all = append(all, f.eventEntry(events[i]))
			kept++
		}
	}
	slices.SortStableFunc(all, func(a, b dated) int { return b.t.Compare(a.t) })
	if len(all) > maxFeedEntries {
		all = all[:maxFeedEntries]
	}
	// A feed is as recent as its newest entry, so that it changes only
	// when an entry does; an empty one dates from the start of the window.
	out.Updated = f.since.Format(time.RFC3339)
	if len(all) > 0 {
		out.Updated = all[0].e.Updated
	}
	for _, d := range all {
		out.Entries = append(out.Entries, d.e)
	}
	data, err := xml.MarshalIndent(out, "", " ")
	if err != nil {
		// Only strings and a fixed structure go in: this cannot fail.
		panic(err)
	}
	return append([]byte(xml.Header), append(data, '\n')...)
}

func (f *feeds) all() []byte {
	return f.feed("feed", "Météo des DRIMbox : pannes, dégradations, retours à la normale et incidents", "feed.xml", "index.html", nil, f.h.Events, false)
}

func (f *feeds) operator(id, name string) []byte {
	boxes := f.byOp[id]
	return f.feed("operateur:"+id, "Météo des DRIMbox : "+name, operatorFeed(id), operatorFile(id, 1),
		func(n int) bool { return boxes[n] }, f.h.Events, false)
}

// box writes a DRIMbox's feed from its own events (newest first in b.Events).
func (f *feeds) box(b *box) []byte {
	events := slices.Clone(b.Events)
	slices.Reverse(events)
	return f.feed("drimbox:"+strconv.Itoa(b.ID), "Météo des DRIMbox : DRIMbox "+strconv.Itoa(b.ID), boxFeed(b.ID),
		"drimbox/"+strconv.Itoa(b.ID)+".html", func(n int) bool { return n == b.ID }, events, true)
}

// boxKey is the hash of what a DRIMbox's feed is made of, so that an
// unchanged feed is not written again.
func (f *feeds) boxKey(b *box) uint64 {
	k := newKey()
	k.s(f.base).s(f.since.String()).i(b.ID)
	for _, e := range b.Events {
		k.s(e.Time.UTC().String()).s(string(e.From)).s(string(e.To)).strs(e.Reasons)
	}
	for _, n := range f.notices {
		if len(n.DRIMboxes) == 0 || n.Concerns(b.ID) {
			k.s(n.File).s(n.Kind).s(n.Title).s(n.Start.String())
			for _, u := range n.Updates {
				k.s(u.Time.String()).s(u.Text)
			}
		}
	}
	return k.sum()
}

func kindWordOf(k string) string {
	if k == "maintenance" {
		return "Maintenance"
	}
	return "Incident"
}
