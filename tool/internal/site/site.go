// Package site builds the Météo des DRIMbox: a static, French, accessible
// web site made from the probe data in status/, with a JSON API, an Atom
// feed and a badge per DRIMbox. Visitors' browsers run no script and call
// no API: everything is in the files.
package site

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"sync"
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
	// BaseURL is the public address of the site, for the Atom feed's
	// links; relative links are used without it.
	BaseURL string
}

// RecentDays is how long ended notices stay on the front page.
const RecentDays = 14

// Build writes the site into opts.Out. It builds into a new folder next
// to Out and swaps it in at the end, so a reader never sees half a site.
func Build(opts Options) error {
	if opts.Days <= 0 {
		opts.Days = 90
	}
	now := opts.Now.UTC()
	h, err := status.ReadHistory(opts.Data, now, opts.Days)
	if err != nil {
		return err
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
		Days: opts.Days, RecentDays: RecentDays, Boxes: boxes, Overall: overallOf(boxes, h, stale),
		Global: globalDays(boxes, h), Notices: frontNotices(opts.Notices, now),
	}
	if interval > 0 {
		v.Interval = frDuration(interval)
	}

	parent := filepath.Dir(filepath.Clean(opts.Out))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", parent, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(opts.Out)+".tmp-")
	if err != nil {
		return fmt.Errorf("creating a build folder: %w", err)
	}
	defer os.RemoveAll(tmp)
	w := &writer{dir: tmp}
	if err := w.write(v, h, opts); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	return swap(tmp, opts.Out)
}

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
	Global     []day
	Notices    []noticeView
	Box        *box
}

type noticeView struct {
	N      *status.Notice
	Active bool
	Root   string
}

func frontNotices(ns []*status.Notice, now time.Time) []noticeView {
	var out []noticeView
	for _, n := range ns {
		if n.End.IsZero() || now.Sub(n.End) < RecentDays*24*time.Hour {
			out = append(out, noticeView{N: n, Active: n.Active(now) || n.Start.After(now)})
		}
	}
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

// swap puts the built folder in place of out.
func swap(built, out string) error {
	old := ""
	if _, err := os.Stat(out); err == nil {
		old = built + ".old"
		if err := os.Rename(out, old); err != nil {
			return fmt.Errorf("moving the previous site away: %w", err)
		}
	}
	if err := os.Rename(built, out); err != nil {
		if old != "" {
			os.Rename(old, out)
		}
		return fmt.Errorf("putting the new site in place: %w", err)
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// writer writes the files of the site, pages in parallel.
type writer struct {
	dir string
}

func (w *writer) file(name string, data []byte) error {
	p := filepath.Join(w.dir, filepath.FromSlash(name))
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}

func (w *writer) write(v *view, h *status.History, opts Options) error {
	for _, d := range []string{"drimbox", "badge", "api/drimbox"} {
		if err := os.MkdirAll(filepath.Join(w.dir, d), 0o755); err != nil {
			return err
		}
	}
	t := parseTemplates()
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "index", v); err != nil {
		return fmt.Errorf("rendering index.html: %w", err)
	}
	if err := w.file("index.html", buf.Bytes()); err != nil {
		return err
	}
	if err := w.file("style.css", styleCSS); err != nil {
		return err
	}
	api, err := statusJSON(v, opts)
	if err != nil {
		return err
	}
	if err := w.file("status.json", api); err != nil {
		return err
	}
	feed, err := atomFeed(v, h, opts)
	if err != nil {
		return err
	}
	if err := w.file("feed.xml", feed); err != nil {
		return err
	}
	return w.boxes(t, v, opts)
}

// boxes writes each DRIMbox's page, JSON and badge.
func (w *writer) boxes(t *template.Template, v *view, opts Options) error {
	render := func(b *box, buf *bytes.Buffer) error {
		bv := *v
		bv.Box, bv.Root = b, "../"
		bv.Title = "DRIMbox " + strconv.Itoa(b.ID) + " — Météo des DRIMbox"
		bv.Notices = nil
		for _, n := range b.Notices {
			bv.Notices = append(bv.Notices, noticeView{N: n, Active: n.Active(v.Now) || n.Start.After(v.Now), Root: "../"})
		}
		return t.ExecuteTemplate(buf, "box", &bv)
	}
	return w.boxFiles(render, v)
}

func (w *writer) boxFiles(render func(*box, *bytes.Buffer) error, v *view) error {
	jobs := make(chan *box)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	// Writing files waits on the file system more than on the CPU.
	for i := 0; i < 4*runtime.GOMAXPROCS(0); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for b := range jobs {
				err := w.one(render, b, v, &buf)
				if err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, b := range v.Boxes {
		jobs <- b
	}
	close(jobs)
	wg.Wait()
	return first
}

func (w *writer) one(render func(*box, *bytes.Buffer) error, b *box, v *view, buf *bytes.Buffer) error {
	id := strconv.Itoa(b.ID)
	buf.Reset()
	if err := render(b, buf); err != nil {
		return fmt.Errorf("rendering DRIMbox %s: %w", id, err)
	}
	if err := w.file("drimbox/"+id+".html", buf.Bytes()); err != nil {
		return err
	}
	j, err := boxJSON(b, v)
	if err != nil {
		return err
	}
	if err := w.file("api/drimbox/"+id+".json", j); err != nil {
		return err
	}
	return w.file("badge/"+id+".svg", []byte(badge(b.ID, b.Verdict)))
}
