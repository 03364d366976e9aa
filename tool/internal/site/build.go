package site

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"html/template"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/drim-m/trust-space/tool/internal/status"
)

// site writes every file: the index and the pages that list, the
// DRIMbox pages, the JSON, the feeds and the badges.
func (w *writer) site(v *view, h *status.History, opts Options) error {
	t := parseTemplates()
	numbers, numEntries := numberLists(v.Boxes, v.Days)
	ops, opEntries := operatorLists(v.Boxes, v.Days)
	v.Pages, v.Operators = numEntries, opEntries
	v.TotalWords = plural(len(v.Boxes), "DRIMbox suivi", "DRIMbox suivis")
	v.Disturbed = disturbed(v.Boxes, v.Stale)
	shown := v.Disturbed
	if len(shown) > indexDisturbed {
		shown, v.DisturbedMore = shown[:indexDisturbed], true
	}
	v.DisturbedTable = disturbedTable(shown, len(v.Disturbed), "")
	v.IDs = idRanges(v.Boxes)
	feeds := newFeeds(v, h, opts)
	// The DRIMbox pages, most of the work, are written while the pages
	// made once are: from here on v and feeds are only read.
	done := make(chan error, 1)
	go func() { done <- w.boxes(t, v, feeds) }()
	err := w.shared(t, v, opts, append(numbers, ops...), opEntries, feeds)
	if berr := <-done; err == nil {
		err = berr
	}
	return err
}

// shared writes the files that are not a DRIMbox's own.
func (w *writer) shared(t *template.Template, v *view, opts Options, lists []list, opEntries []listEntry, feeds *feeds) error {
	render := func(name, tmpl string, pv *view) error {
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, tmpl, pv); err != nil {
			return fmt.Errorf("rendering %s: %w", name, err)
		}
		return w.put(name, buf.Bytes())
	}

	xv := *v
	xv.Page, xv.Search = "index.html", true
	if err := render("index.html", "index", &xv); err != nil {
		return err
	}
	dv := *v
	dv.Title, dv.DisturbedTable = "DRIMbox perturbés — Météo des DRIMbox", disturbedTable(v.Disturbed, len(v.Disturbed), "")
	dv.Page = "perturbes.html"
	if err := render("perturbes.html", "disturbed", &dv); err != nil {
		return err
	}
	iv := *v
	iv.Title, iv.Notices, iv.ActiveCount = "Historique des incidents et maintenances — Météo des DRIMbox", allNotices(opts.Notices, v.Now), 0
	iv.Page = "incidents.html"
	for _, n := range iv.Notices {
		if n.Active {
			iv.ActiveCount++
		}
	}
	if err := render("incidents.html", "incidents", &iv); err != nil {
		return err
	}
	av := *v
	av.Title, av.Page = "Déclaration d'accessibilité — Météo des DRIMbox", "accessibilite.html"
	if err := render("accessibilite.html", "a11y", &av); err != nil {
		return err
	}
	if err := a11yPages(render, v); err != nil {
		return err
	}
	if err := legalPages(render, v); err != nil {
		return err
	}
	if err := w.putAssets(); err != nil {
		return err
	}
	if err := w.navPages(render, v, opts.BaseURL); err != nil {
		return err
	}
	for _, l := range lists {
		lv := *v
		lv.Root, lv.List, lv.Title, lv.Page = "../", &l, l.Heading+" — Météo des DRIMbox", l.File
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
	if err := w.put("age.js", ageJS); err != nil {
		return err
	}
	summary, err := summaryJSON(v)
	if err != nil {
		return err
	}
	if err := w.put("summary.json", summary); err != nil {
		return err
	}
	if err := w.put("feed.xml", feeds.all()); err != nil {
		return err
	}
	for _, e := range opEntries {
		id := e.File[len("operateur/") : len(e.File)-len(".html")]
		if err := w.put(operatorFeed(id), feeds.operator(id, e.Name)); err != nil {
			return err
		}
	}
	return nil
}

// boxes writes each DRIMbox's page, JSON, feed and badge; a page whose
// inputs are those of the last build is not rendered again.
func (w *writer) boxes(t *template.Template, v *view, feeds *feeds) error {
	version := templateVersion()
	frame, err := newBoxFrame(t, v)
	if err != nil {
		return err
	}
	return each(v.Boxes, func(b *box, buf *bytes.Buffer) error {
		id := strconv.Itoa(b.ID)
		page := "drimbox/" + id + ".html"
		k := pageKey(version, b, v)
		key := k.sum()
		if !w.keep(page, key) {
			if err := frame.render(buf, boxView(v, b)); err != nil {
				return fmt.Errorf("rendering DRIMbox %s: %w", id, err)
			}
			if err := w.putKeyed(page, buf.Bytes(), key); err != nil {
				return err
			}
		}
		api := "api/drimbox/" + id + ".json"
		if jkey := jsonKey(k, b, v).sum(); !w.keep(api, jkey) {
			j, err := boxJSON(b, v)
			if err != nil {
				return err
			}
			if err := w.putKeyed(api, j, jkey); err != nil {
				return err
			}
		}
		if fkey := feeds.boxKey(b); !w.keep(boxFeed(b.ID), fkey) {
			if err := w.putKeyed(boxFeed(b.ID), feeds.box(b), fkey); err != nil {
				return err
			}
		}
		return w.put("badge/"+id+".svg", []byte(badge(b.ID, b.Verdict)))
	})
}

// templateVersion changes with the templates and the style sheet, so that
// a new drimm renders every page again.
func templateVersion() uint64 {
	h := fnv.New64a()
	for _, s := range []string{head, pointTmpl, searchForm, boxPage, boxBody} {
		io.WriteString(h, s)
	}
	for _, v := range []string{"up", "degraded", "down", "unknown"} {
		io.WriteString(h, advices[v].Radiologist+advices[v].Operator)
	}
	h.Write(styleCSS)
	return h.Sum64()
}

// pageKey is the hash of everything a DRIMbox page shows. Whatever the
// box template or its functions read must be written here: a page whose
// key did not change is not rendered again.
func pageKey(version uint64, b *box, v *view) *keyBuf {
	k := newKey()
	k.u(version).i(v.Days).i(b.ID).s(b.Verdict).bool(v.Stale)
	if v.Stale {
		k.s(frTime(v.Last))
	}
	k.s(b.Info.OperatorID).s(b.Info.Operator).s(b.Info.support())
	for _, id := range sortedKeys(b.Info.PACS) {
		k.s(id).s(b.Info.PACS[id])
	}
	if s := b.State; s != nil {
		k.s(frTime(b.Since)).bool(b.SinceBound).strs(s.Reasons)
		for _, p := range []*status.Point{s.DB, s.VI} {
			if p == nil {
				k.s("-")
				continue
			}
			k.s(p.Host).bool(p.OK).s(p.Reason).i(p.HTTP).s(p.Endpoint).s(p.CNAME)
		}
		for _, p := range s.PACS {
			k.s(p.ID).s(p.State).s(p.Detail)
		}
		k.s(s.CertSubject)
		if s.CertNotAfter != nil {
			k.s(frDate(*s.CertNotAfter)).s(daysLeft(v.Now, s.CertNotAfter))
		}
		for _, vp := range s.Vantages {
			k.s(vp.Name).s(string(vp.Verdict)).strs(vp.Reasons).s(frTime(vp.Run))
		}
	}
	for _, u := range b.Uptimes {
		k.s(u.Key).bool(u.Known).s(frPercent(u.Ratio))
	}
	k.i(len(b.Days)).i(b.UpDays).i(b.DegDays).i(b.DownDays).i(b.Gaps)
	for _, d := range b.Days {
		k.s(d.Day).s(d.Class).f(d.P50).f(d.P95)
		if notable(d) {
			k.i(d.Checks).i(d.Expected).i(d.OK)
		}
	}
	for _, e := range b.Events {
		k.s(e.Time.UTC().Format(time.RFC3339)).s(string(e.From)).s(string(e.To)).strs(e.Reasons)
	}
	for _, n := range b.Notices {
		k.s(n.File).s(n.Kind).s(n.Title).s(n.Impact).s(n.Start.String()).s(n.End.String()).bool(n.Active(v.Now) || n.Start.After(v.Now))
		for _, d := range n.DRIMboxes {
			k.i(d)
		}
		for _, u := range n.Updates {
			k.s(u.Time.String()).s(u.State).s(u.Text)
		}
	}
	return k
}

// jsonKey extends a page's key with what the DRIMbox's JSON holds and its
// page does not show: every finished day's counts, the exact figures.
func jsonKey(k *keyBuf, b *box, v *view) *keyBuf {
	k.s("json").s(v.Base)
	for _, d := range b.Days[:max(len(b.Days)-1, 0)] {
		if d.D != nil {
			k.i(d.D.Checks).i(d.D.Up).i(d.D.Degraded).i(d.D.Down).i(d.D.Unknown).f(d.P99)
		} else {
			k.s("-")
		}
	}
	for _, u := range b.Uptimes {
		k.f(math.Floor(u.Ratio * 1e6))
	}
	if a, ok := b.Availability(); ok {
		k.f(a)
	}
	if s := b.State; s != nil {
		k.s(b.Since.UTC().String())
		if s.CertNotAfter != nil {
			k.s(s.CertNotAfter.UTC().String())
		}
	}
	return k
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
