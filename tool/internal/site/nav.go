package site

import (
	_ "embed"
	"strconv"
	"strings"
)

// Finding one DRIMbox among thousands: a menu on every page, a site map
// (RGAA 12.1 asks for two ways to reach a page), a help page with a
// glossary, a search form and a 404 page.
//
// The search form works without JavaScript, within what a static site
// can do: a static page cannot read the query string, so the form leads
// to recherche.html, which lists every page of numbers and every
// operator; a DRIMbox is then two links away. Where scripts run,
// recherche.js goes straight to the DRIMbox or the operator asked for.

//go:embed recherche.js
var searchJS []byte

// navPages writes the pages of navigation: the site map, the help page,
// the search page and the page GitHub Pages serves for a missing file.
func (w *writer) navPages(render func(name, tmpl string, pv *view) error, v *view, baseURL string) error {
	for _, p := range []struct{ file, tmpl, title string }{
		{"plan.html", "plan", "Plan du site"},
		{"aide.html", "aide", "Aide et glossaire"},
		{"recherche.html", "recherche", "Rechercher un DRIMbox"},
	} {
		pv := *v
		pv.Page, pv.Title, pv.Search = p.file, p.title+" — Météo des DRIMbox", p.file == "recherche.html"
		if err := render(p.file, p.tmpl, &pv); err != nil {
			return err
		}
	}
	// 404.html is served at any depth, so its links cannot be relative:
	// they start at the site's address, or at the host's root without one.
	nv := *v
	nv.Title, nv.Page, nv.Root, nv.Search = "Page introuvable — Météo des DRIMbox", "404.html", "/", true
	if baseURL != "" {
		nv.Root = strings.TrimSuffix(baseURL, "/") + "/"
	}
	if err := render("404.html", "notfound", &nv); err != nil {
		return err
	}
	return w.put("recherche.js", searchJS)
}

// idRanges writes the Identifiants of boxes, sorted, as runs: "1-4,7,9-12".
// recherche.js reads it to tell a number that has a page from one that
// has none, without a file per number.
func idRanges(boxes []*box) string {
	var s strings.Builder
	for i := 0; i < len(boxes); {
		j := i
		for j+1 < len(boxes) && boxes[j+1].ID == boxes[j].ID+1 {
			j++
		}
		if s.Len() > 0 {
			s.WriteByte(',')
		}
		s.WriteString(strconv.Itoa(boxes[i].ID))
		if j > i {
			s.WriteString("-" + strconv.Itoa(boxes[j].ID))
		}
		i = j + 1
	}
	return s.String()
}

// menu is the main navigation, the same on every page.
var menu = []struct{ File, Text string }{
	{"index.html", "Accueil"},
	{"recherche.html", "Rechercher un DRIMbox"},
	{"perturbes.html", "DRIMbox perturbés"},
	{"incidents.html", "Incidents et maintenances"},
	{"aide.html", "Aide et glossaire"},
	{"plan.html", "Plan du site"},
}
