// Package site builds the Météo des DRIMbox: a static, French, accessible
// web site made from the probe data in status/, with a JSON API, an Atom
// feed and a badge per DRIMbox. Visitors' browsers run no script and call
// no API: everything is in the files.
package site

import (
	_ "embed"
	"html/template"
	"sort"
	"strings"
	"time"

	"github.com/drim-m/trust-space/tool/internal/status"
)

//go:embed style.css
var styleCSS []byte

// Options say what to build and from what.
type Options struct {
	// Data is the data folder (status/).
	Data status.FS
	// Notices are the incidents and maintenance records to show.
	Notices []*status.Notice
	// Infos adds what the registry knows, by Identifiant; may be nil.
	Infos map[int]Info
	// Now is the build time; the page shows days up to it.
	Now time.Time
	// Days is the history window (default 90).
	Days int
	// Out is the folder to write; it is replaced as a whole.
	Out string
	// BaseURL is the public address of the site, for the Atom feeds'
	// links; relative links are used without it.
	BaseURL string
	// Contact is the mailbox of the accessibility statement (default
	// DefaultContact).
	Contact string
}

// RecentDays is how long ended notices stay on the front page; they stay
// on incidents.html for good.
const RecentDays = 14

// Build writes the site into opts.Out. A first build (or one after a
// failed build) writes a new folder next to Out and swaps it in, so a
// reader never sees half a site. Later builds update Out in place: a
// DRIMbox page whose inputs did not change is not rendered again, and a
// file whose bytes did not change is not written again; each file that
// changes is replaced by a rename.
func Build(opts Options) error {
	_, err := BuildCount(opts)
	return err
}

// BuildCount builds like Build and returns how many files it wrote.
func BuildCount(opts Options) (int, error) {
	v, h, opts, err := newView(opts)
	if err != nil {
		return 0, err
	}
	w, err := newWriter(opts.Out)
	if err != nil {
		return 0, err
	}
	if err := w.site(v, h, opts); err != nil {
		w.abort()
		return 0, err
	}
	return w.written, w.finish()
}

// newView reads the data and makes what the pages show; it returns opts
// with its defaults filled in.
func newView(opts Options) (*view, *status.History, Options, error) {
	if opts.Days <= 0 {
		opts.Days = 90
	}
	if opts.Contact == "" {
		opts.Contact = DefaultContact
	}
	opts.Notices = cleanNotices(opts.Notices)
	now := opts.Now.UTC()
	h, err := status.ReadHistory(opts.Data, now, opts.Days)
	if err != nil {
		return nil, nil, opts, err
	}
	stale := false
	var last time.Time
	var interval time.Duration
	if h.Latest != nil {
		last, interval = h.Latest.Run, h.Latest.Interval.Duration()
		if interval <= 0 {
			interval = 5 * time.Minute
		}
		stale = now.Sub(last) > 3*interval
	}
	boxes := model(h, opts.Notices, opts.Infos, now, stale)
	v := &view{
		Title: "Météo des DRIMbox — Espace de Confiance DRIM-M", Root: "", Now: now, Last: last, Stale: stale,
		Days: opts.Days, RecentDays: RecentDays, Boxes: boxes, Overall: overallOf(boxes, h, stale, opts.Notices, now),
		Global: globalDays(boxes, h), GradeRule: gradeRule, Notices: frontNotices(opts.Notices, now, ""), Contact: opts.Contact,
		Feed: "feed.xml", FeedTitle: "Météo des DRIMbox : pannes, dégradations, retours à la normale et incidents",
		Base: strings.TrimSuffix(opts.BaseURL, "/"),
	}
	if interval > 0 {
		v.Interval = frEvery(interval)
	}
	return v, h, opts, nil
}

// DefaultContact is the accessibility contact when Options.Contact is empty.
const DefaultContact = "accessibilite@mesimagesmedicales.fr"

// view is what the templates see.
type view struct {
	Title      string
	Root       string
	Now        time.Time
	Last       time.Time
	Interval   string
	Stale      bool
	Days       int
	RecentDays int
	Boxes      []*box
	Overall    overall
	GradeRule  string
	Global     []day
	Notices    []noticeView
	Box        *box
	Contact    string
	// Base is the site's public address without its final slash; empty
	// when links are relative.
	Base string
	// Feed is the Atom feed of what the page shows, from the root.
	Feed, FeedTitle string
	// Page is the file being written, from the root: the menu marks its
	// entry as the current page.
	Page string
	// Search loads recherche.js (pages with the search form); IDs are the
	// Identifiants it knows, as idRanges writes them.
	Search bool
	IDs    string
	// Doc is the plan an accessibility plan's page stands for.
	Doc *struct{ Title, What string }

	// The index's lists.
	Disturbed      []*box
	DisturbedTable template.HTML
	DisturbedMore  bool
	TotalWords     string
	Pages          []listEntry
	Operators      []listEntry
	// List is the list page being written.
	List        *list
	ActiveCount int
}

type noticeView struct {
	N      *status.Notice
	Active bool
	Root   string
}

// frontNotices are the notices in force, to come, or ended in the last
// RecentDays days.
func frontNotices(ns []*status.Notice, now time.Time, root string) []noticeView {
	var out []noticeView
	for _, n := range ns {
		if n.End.IsZero() || now.Sub(n.End) < RecentDays*24*time.Hour {
			out = append(out, noticeView{N: n, Active: n.Active(now) || n.Start.After(now), Root: root})
		}
	}
	return out
}

// allNotices are every notice, newest first.
func allNotices(ns []*status.Notice, now time.Time) []noticeView {
	out := make([]noticeView, 0, len(ns))
	for _, n := range ns {
		out = append(out, noticeView{N: n, Active: n.Active(now) || n.Start.After(now)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].N.Start.After(out[j].N.Start) })
	return out
}

// globalDays is, per day, the median over DRIMboxes of their daily median
// and 95th percentile.
func globalDays(boxes []*box, h *status.History) []day {
	out := make([]day, len(h.Days))
	for i, d := range h.Days {
		var p50, p95 []float64
		for _, b := range boxes {
			if b.Days[i].P50 > 0 {
				p50 = append(p50, b.Days[i].P50)
				p95 = append(p95, b.Days[i].P95)
			}
		}
		out[i] = day{Day: d.Day, P50: median(p50), P95: median(p95)}
	}
	return out
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	sort.Float64s(v)
	return v[len(v)/2]
}
