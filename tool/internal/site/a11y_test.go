package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestA11yStatement checks that the statement claims no conformity
// without an audit, links its plans (pages that exist), carries the date
// of its text whatever the build's clock, and that every page's footer
// says the same as the statement.
func TestA11yStatement(t *testing.T) {
	build := func(years int) string {
		out := filepath.Join(t.TempDir(), "site")
		err := Build(Options{Data: fixture(t), Notices: fixtureNotices(), Infos: fixtureInfos(), Now: buildTime.AddDate(years, 0, 0), Days: 7, Out: out})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	out := build(0)
	read := func(dir, name string) string {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	// The statement itself; the footer says when the page was built.
	main := func(page string) string { return page[strings.Index(page, "<main"):strings.Index(page, "</main>")] }
	st := main(read(out, "accessibilite.html"))
	for _, want := range []string{"<strong>non conforme</strong>", "aucun audit de conformité n'a encore été réalisé",
		"Ces tests ne constituent pas un audit", "<h3>Dérogations pour charge disproportionnée</h3>",
		`<a href="schema-pluriannuel.html">`, `<a href="plan-annuel.html">`, "établie le <time datetime=\"" + statementISO + "\">" + statementDate} {
		if !strings.Contains(st, want) {
			t.Errorf("accessibilite.html lacks %q", want)
		}
	}
	for _, bad := range []string{"partiellement conforme", "totalement conforme", frDate(buildTime)} {
		if strings.Contains(st, bad) {
			t.Errorf("accessibilite.html says %q", bad)
		}
	}
	for _, p := range a11yPlans {
		if page := read(out, p.File); !strings.Contains(page, "il est à publier par l'Agence du Numérique en Santé") {
			t.Errorf("%s does not say plainly that the plan is yet to be published", p.File)
		}
	}
	// A build a year later states the same: only an audit changes it.
	if later := main(read(build(1), "accessibilite.html")); later != st {
		t.Errorf("the statement changed with the build's clock")
	}
	pages, _ := filepath.Glob(filepath.Join(out, "*.html"))
	more, _ := filepath.Glob(filepath.Join(out, "*", "*.html"))
	for _, p := range append(pages, more...) {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), `accessibilite.html">Accessibilité : non conforme</a>`) {
			t.Errorf("%s: the footer does not say \"Accessibilité : non conforme\"", p)
		}
	}
}
