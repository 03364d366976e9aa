package site

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"html/template"
	"io"
	"strconv"

	"github.com/drim-m/trust-space/tool/internal/status"
)

// site writes every file: the index and the pages that list, the
// DRIMbox pages, the JSON, the feeds and the badges.
func (w *writer) site(v *view, h *status.History, opts Options) error {
	t := parseTemplates()
	render := func(name, tmpl string, pv *view) error {
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, tmpl, pv); err != nil {
			return fmt.Errorf("rendering %s: %w", name, err)
		}
		return w.put(name, buf.Bytes())
	}

	numbers, numEntries := numberLists(v.Boxes, v.Days)
	ops, opEntries := operatorLists(v.Boxes, v.Days)
	v.Pages, v.Operators = numEntries, opEntries
	v.TotalWords = plural(len(v.Boxes), "DRIMbox suivi", "DRIMbox suivis")
	v.Disturbed = disturbed(v.Boxes, v.Stale)
	shown := v.Disturbed
	if len(shown) > indexDisturbed {
		shown, v.DisturbedMore = shown[:indexDisturbed], true
	}
	v.DisturbedTable = disturbedTable(shown, "")
	if err := render("index.html", "index", v); err != nil {
		return err
	}
	dv := *v
	dv.Title, dv.DisturbedTable = "DRIMbox perturbés — Météo des DRIMbox", disturbedTable(v.Disturbed, "")
	if err := render("perturbes.html", "disturbed", &dv); err != nil {
		return err
	}
	iv := *v
	iv.Title, iv.Notices, iv.ActiveCount = "Historique des incidents et maintenances — Météo des DRIMbox", allNotices(opts.Notices, v.Now), 0
	for _, n := range iv.Notices {
		if n.Active {
			iv.ActiveCount++
		}
	}
	if err := render("incidents.html", "incidents", &iv); err != nil {
		return err
	}
	av := *v
	av.Title = "Déclaration d'accessibilité — Météo des DRIMbox"
	if err := render("accessibilite.html", "a11y", &av); err != nil {
		return err
	}
	for _, l := range append(numbers, ops...) {
		lv := *v
		lv.Root, lv.List, lv.Title = "../", &l, l.Heading+" — Météo des DRIMbox"
		lv.Feed = l.Feed
		if l.Feed != "feed.xml" {
			lv.FeedTitle = "Changements d'état et incidents : " + l.Heading
		}
		if err := render(l.File, "list", &lv); err != nil {
			return err
		}
	}
	if err := w.put("style.css", styleCSS); err != nil {
		return err
	}
	api, err := statusJSON(v, opts)
	if err != nil {
		return err
	}
	if err := w.put("status.json", api); err != nil {
		return err
	}
	feeds := newFeeds(v, h, opts)
	if err := w.put("feed.xml", feeds.all()); err != nil {
		return err
	}
	for _, e := range opEntries {
		id := e.File[len("operateur/") : len(e.File)-len(".html")]
		if err := w.put(operatorFeed(id), feeds.operator(id, e.Name)); err != nil {
			return err
		}
	}
	return w.boxes(t, v, feeds)
}

// boxes writes each DRIMbox's page, JSON, feed and badge; a page whose
// inputs are those of the last build is not rendered again.
func (w *writer) boxes(t *template.Template, v *view, feeds *feeds) error {
	version := templateVersion()
	return each(v.Boxes, func(b *box, buf *bytes.Buffer) error {
		id := strconv.Itoa(b.ID)
		page := "drimbox/" + id + ".html"
		key := pageKey(version, b, v)
		if !w.keep(page, key) {
			bv := *v
			bv.Box, bv.Root = b, "../"
			bv.Title = "DRIMbox " + id + " — Météo des DRIMbox"
			bv.Feed, bv.FeedTitle = boxFeed(b.ID), "Changements d'état et incidents du DRIMbox "+id
			bv.Notices = nil
			for _, n := range b.Notices {
				bv.Notices = append(bv.Notices, noticeView{N: n, Active: n.Active(v.Now) || n.Start.After(v.Now), Root: "../"})
			}
			if err := t.ExecuteTemplate(buf, "box", &bv); err != nil {
				return fmt.Errorf("rendering DRIMbox %s: %w", id, err)
			}
			if err := w.putKeyed(page, buf.Bytes(), key); err != nil {
				return err
			}
		}
		j, err := boxJSON(b, v)
		if err != nil {
			return err
		}
		if err := w.put("api/drimbox/"+id+".json", j); err != nil {
			return err
		}
		if err := w.put(boxFeed(b.ID), feeds.box(b)); err != nil {
			return err
		}
		return w.put("badge/"+id+".svg", []byte(badge(b.ID, b.Verdict)))
	})
}

// templateVersion changes with the templates and the style sheet, so that
// a new drimm renders every page again.
func templateVersion() uint64 {
	h := fnv.New64a()
	for _, s := range []string{head, pointTmpl, boxPage} {
		io.WriteString(h, s)
	}
	h.Write(styleCSS)
	return h.Sum64()
}

// pageKey is the hash of everything a DRIMbox page shows. Whatever the
// box template or its functions read must be written here: a page whose
// key did not change is not rendered again.
func pageKey(version uint64, b *box, v *view) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%x|%d|%d|%s|%v|", version, v.Days, b.ID, b.Verdict, v.Stale)
	if v.Stale {
		fmt.Fprintf(h, "last %s|", frTime(v.Last))
	}
	fmt.Fprintf(h, "op %q %q|", b.Info.OperatorID, b.Info.Operator)
	for _, k := range sortedKeys(b.Info.PACS) {
		fmt.Fprintf(h, "pacs %q %q|", k, b.Info.PACS[k])
	}
	if s := b.State; s != nil {
		fmt.Fprintf(h, "state %s %q|", frTime(s.Since), s.Reasons)
		for _, p := range []*status.Point{s.DB, s.VI} {
			if p != nil {
				fmt.Fprintf(h, "pt %+v|", *p)
			} else {
				io.WriteString(h, "pt -|")
			}
		}
		fmt.Fprintf(h, "pacs %+v|cert %q|", s.PACS, s.CertSubject)
		if s.CertNotAfter != nil {
			fmt.Fprintf(h, "na %s %s|", frDate(*s.CertNotAfter), daysLeft(v.Now, s.CertNotAfter))
		}
	}
	for _, u := range b.Uptimes {
		fmt.Fprintf(h, "up %s %v %s|", u.Key, u.Known, frPercent(u.Ratio))
	}
	fmt.Fprintf(h, "days %d %d %d %d %d|", len(b.Days), b.UpDays, b.DegDays, b.DownDays, b.Gaps)
	for _, d := range b.Days {
		fmt.Fprintf(h, "%s %s %.3f %.3f|", d.Day, d.Class, d.P50, d.P95)
		if notable(d) {
			fmt.Fprintf(h, "n %d %d %d|", d.Checks, d.Expected, d.OK)
		}
	}
	for _, e := range b.Events {
		fmt.Fprintf(h, "ev %s %s %s %q|", e.Time.UTC(), e.From, e.To, e.Reasons)
	}
	for _, n := range b.Notices {
		fmt.Fprintf(h, "no %+v %v|", *n, n.Active(v.Now) || n.Start.After(v.Now))
	}
	return h.Sum64()
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
