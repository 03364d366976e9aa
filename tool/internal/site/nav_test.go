package site

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSearch runs the search page in headless Chromium, with scripts
// (straight to the DRIMbox or the operator) and without (the lists that
// lead there).
func TestSearch(t *testing.T) {
	out := buildFixture(t)
	files := http.FileServer(http.Dir(out))
	srv := httptest.NewServer(files)
	defer srv.Close()
	// The same site with every script refused, as a browser without
	// JavaScript sees it (Chromium's own switch for that also stops
	// --dump-dom).
	noJS := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "script-src 'none'")
		files.ServeHTTP(w, r)
	}))
	defer noJS.Close()
	search := func(base, q string) string {
		return chromium(t, "--dump-dom", base+"/recherche.html?q="+url.QueryEscape(q))
	}
	for _, c := range []struct{ q, want string }{
		{"DRIMbox 003", "<h1>DRIMbox 3</h1>"},
		{"BETA", "<h1>DRIMbox de Bêta Téléradiologie</h1>"},
		{"99", "Aucun DRIMbox suivi ne porte le numéro 99."},
		{"a", "3 opérateurs correspondent à « a »."},
		{"zèbre", "Aucun opérateur ne correspond à « zèbre »."},
	} {
		if dom := search(srv.URL, c.q); !strings.Contains(dom, c.want) {
			t.Errorf("searching %q with scripts: the page lacks %q", c.q, c.want)
		}
	}
	// Without scripts the search page cannot read the query: it offers
	// the pages that lead to every DRIMbox, and they do.
	dom := search(noJS.URL, "3")
	for _, want := range []string{"<h1>Rechercher un DRIMbox</h1>", `<a href="liste/1.html">DRIMbox 1 à 4</a>`,
		`<a href="operateur/beta-teleradiologie.html">Bêta Téléradiologie</a>`} {
		if !strings.Contains(dom, want) {
			t.Errorf("the search page without scripts lacks %q", want)
		}
	}
	if strings.Contains(dom, "recherche-resultat\" role=\"status\">Aucun") {
		t.Errorf("the search page ran its script under script-src 'none'")
	}
	list := chromium(t, "--dump-dom", noJS.URL+"/liste/1.html")
	if !strings.Contains(list, `<a href="../drimbox/3.html">DRIMbox 3</a>`) {
		t.Errorf("liste/1.html does not lead to DRIMbox 3")
	}
}

// TestSiteMap checks that the site map reaches every page of lists and
// every kind of page, that the menu is on every page, and that the 404
// page's links work from any depth.
func TestSiteMap(t *testing.T) {
	out := buildFixture(t)
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	plan := read("plan.html")
	lists, _ := filepath.Glob(filepath.Join(out, "liste", "*.html"))
	ops, _ := filepath.Glob(filepath.Join(out, "operateur", "*.html"))
	if len(lists) == 0 || len(ops) == 0 {
		t.Fatalf("no list pages in %s", out)
	}
	for _, f := range append(append(lists, ops...), "index.html", "perturbes.html", "incidents.html", "recherche.html", "aide.html", "accessibilite.html", "feed.xml", "status.json") {
		rel := strings.TrimPrefix(filepath.ToSlash(f), filepath.ToSlash(out)+"/")
		if !strings.Contains(plan, `href="`+rel+`"`) {
			t.Errorf("plan.html does not link to %s", rel)
		}
	}
	for _, page := range []string{"index.html", "drimbox/3.html", "liste/1.html", "aide.html", "404.html"} {
		p := read(page)
		if !strings.Contains(p, `aria-label="Menu principal"`) || !strings.Contains(p, `plan.html">Plan du site</a>`) {
			t.Errorf("%s lacks the menu or the link to the site map", page)
		}
	}
	aide := read("aide.html")
	for _, term := range []string{"DICOMweb", "PACS", "Médiane", "95e centile", "Opérationnel", "Dégradé", "Hors service", "Inconnu", "Pas de données"} {
		if !strings.Contains(aide, term) {
			t.Errorf("aide.html does not explain %q", term)
		}
	}
	nf := read("404.html")
	if strings.Contains(nf, `href="index.html"`) || !strings.Contains(nf, `href="https://meteo.example/index.html"`) {
		t.Errorf("404.html links relatively: it is served at any depth")
	}
	list := read("liste/1.html")
	if strings.Count(list, `<nav class="pager"`) != 2 {
		t.Errorf("liste/1.html: want a pager above and below the list")
	}
}
