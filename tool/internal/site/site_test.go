package site

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func buildFixture(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "site")
	err := Build(Options{Data: fixture(t), Notices: fixtureNotices(), Infos: fixtureInfos(), Now: buildTime, Days: 7, Out: out, BaseURL: "https://meteo.example"})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestGolden compares the built site with testdata/golden, made with a
// fixed clock; run with -update after a deliberate change.
func TestGolden(t *testing.T) {
	out := buildFixture(t)
	files := []string{"index.html", "drimbox/2.html", "drimbox/3.html", "status.json", "summary.json", "api/drimbox/3.json", "feed.xml", "badge/4.svg", "style.css",
		"liste/1.html", "operateur/alpha-imagerie.html", "incidents.html", "accessibilite.html", "perturbes.html",
		"plan.html", "aide.html", "recherche.html", "404.html", "recherche.js", "schema-pluriannuel.html",
		"mentions-legales.html", "donnees-personnelles.html",
		"flux/drimbox/3.xml", "flux/operateur/beta-teleradiologie.xml"}
	for _, f := range files {
		got, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "golden", filepath.FromSlash(f))
		if *update {
			os.MkdirAll(filepath.Dir(golden), 0o755)
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("%s differs from its golden file (-want +got):\n%s", f, diff)
		}
	}
}

// scriptTag is every script element of a page; onAttr an event handler
// attribute, which a Content-Security-Policy without 'unsafe-inline'
// would block.
var (
	scriptTag = regexp.MustCompile(`<script[^>]*>`)
	onAttr    = regexp.MustCompile(`\son[a-z]+=`)
	ownScript = regexp.MustCompile(`^<script src="((?:\.\./|/|https://meteo\.example/)?)([a-z]+\.js)" defer>$`)
)

// TestSiteNeedsNoScript checks that every page works without JavaScript:
// no inline script or handler, only the site's own script files loaded,
// deferred, on the pages with the search form, whose form is a plain GET
// form to a page that exists.
func TestSiteNeedsNoScript(t *testing.T) {
	out := buildFixture(t)
	pages := 0
	err := filepath.Walk(out, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		pages++
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		page := string(data)
		for _, bad := range []string{"javascript:", "http://", "fetch("} {
			if strings.Contains(page, bad) {
				t.Errorf("%s holds %q", p, bad)
			}
		}
		if m := onAttr.FindString(page); m != "" {
			t.Errorf("%s holds an event handler attribute %q", p, m)
		}
		for _, tag := range scriptTag.FindAllString(page, -1) {
			m := ownScript.FindStringSubmatch(tag)
			if m == nil {
				t.Errorf("%s: %s is not one of the site's script files, deferred", p, tag)
				continue
			}
			if _, err := os.Stat(filepath.Join(out, m[2])); err != nil {
				t.Errorf("%s loads %s: %v", p, m[2], err)
			}
		}
		if strings.Contains(page, `id="recherche"`) {
			if !strings.Contains(page, `action="`) || !strings.Contains(page, `recherche.html" method="get"`) {
				t.Errorf("%s: the search form is not a GET form to recherche.html", p)
			}
		}
		if !strings.Contains(page, `<meta http-equiv="Content-Security-Policy" content="`+csp+`">`) {
			t.Errorf("%s lacks the Content-Security-Policy", p)
		}
		if !strings.Contains(page, `<html lang="fr">`) {
			t.Errorf("%s lacks lang=fr", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The index and a page per DRIMbox of the fixture at least: a build
	// that wrote no page must not pass for one without scripts.
	if pages < 2 {
		t.Fatalf("%d HTML pages in %s", pages, out)
	}
}
