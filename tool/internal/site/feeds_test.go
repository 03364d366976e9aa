package site

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/drim-m/trust-space/tool/internal/status"
)

func feedTitles(t *testing.T, out, name string) []string {
	t.Helper()
	var feed struct {
		Entries []struct {
			Title string `xml:"title"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(readFile(t, out, name)), &feed); err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, e := range feed.Entries {
		titles = append(titles, e.Title)
	}
	return titles
}

// TestFeedsLeadWithWhatMatters records three DRIMboxes first seen up,
// one going down and back, one the prober cannot tell: the trust space's
// and the operator's feeds carry the outage and the recovery only, the
// DRIMboxes' own feeds every change.
func TestFeedsLeadWithWhatMatters(t *testing.T) {
	dir := status.Dir(t.TempDir())
	for i, states := range [][3]probe.Verdict{
		{probe.Up, probe.Up, probe.Up},
		{probe.Up, probe.Down, probe.Unknown},
		{probe.Up, probe.Up, probe.Up},
	} {
		at := buildTime.Add(time.Duration(i-2) * 5 * time.Minute)
		run := &probe.Run{Start: at, End: at.Add(time.Second), NetworkOK: true, Complete: true}
		for id, v := range states {
			run.Results = append(run.Results, probe.Result{ID: id + 1, Verdict: v, DB: &probe.Check{Host: dbName(id + 1), OK: v != probe.Down}})
		}
		if err := status.Apply(dir, run, 5*time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "site")
	infos := map[int]Info{1: {OperatorID: "alpha-imagerie", Operator: "Alpha"}, 2: {OperatorID: "alpha-imagerie", Operator: "Alpha"}, 3: {OperatorID: "alpha-imagerie", Operator: "Alpha"}}
	if err := Build(Options{Data: dir, Infos: infos, Now: buildTime, Days: 7, Out: out, BaseURL: "https://meteo.example/"}); err != nil {
		t.Fatal(err)
	}
	want := "DRIMbox 2 : opérationnel|DRIMbox 2 : hors service"
	for _, f := range []string{"feed.xml", "flux/operateur/alpha-imagerie.xml"} {
		if got := strings.Join(feedTitles(t, out, f), "|"); got != want {
			t.Errorf("%s: %q, want %q", f, got, want)
		}
	}
	if got := strings.Join(feedTitles(t, out, "flux/drimbox/1.xml"), "|"); got != "DRIMbox 1 : opérationnel" {
		t.Errorf("flux/drimbox/1.xml: %q, want the first state", got)
	}
	if got := strings.Join(feedTitles(t, out, "flux/drimbox/3.xml"), "|"); got != "DRIMbox 3 : opérationnel|DRIMbox 3 : inconnu|DRIMbox 3 : opérationnel" {
		t.Errorf("flux/drimbox/3.xml: %q, want every change", got)
	}
}

// TestAbsoluteLinks checks the JSON's links with and without --base-url.
func TestAbsoluteLinks(t *testing.T) {
	for base, page := range map[string]string{"https://meteo.example/": "https://meteo.example/drimbox/2.html", "": "drimbox/2.html"} {
		out := filepath.Join(t.TempDir(), "site")
		if err := Build(Options{Data: fixture(t), Infos: fixtureInfos(), Now: buildTime, Days: 7, Out: out, BaseURL: base}); err != nil {
			t.Fatal(err)
		}
		var s struct {
			Status    string
			Disturbed []struct {
				ID        int
				Page, API string
			}
		}
		if err := json.Unmarshal([]byte(readFile(t, out, "summary.json")), &s); err != nil {
			t.Fatal(err)
		}
		var p struct{ Page, Feed string }
		if err := json.Unmarshal([]byte(readFile(t, out, "api/drimbox/2.json")), &p); err != nil {
			t.Fatal(err)
		}
		wantStatus := strings.TrimSuffix(base, "/")
		if wantStatus != "" {
			wantStatus += "/"
		}
		if p.Page != page || s.Status != wantStatus+"status.json" || len(s.Disturbed) != 3 || !strings.HasPrefix(s.Disturbed[0].Page, wantStatus+"drimbox/") {
			t.Errorf("base %q: page %q, status %q, disturbed %+v", base, p.Page, s.Status, s.Disturbed)
		}
		if base != "" && !strings.Contains(readFile(t, out, "feed.xml"), `href="https://meteo.example/drimbox/3.html"`) {
			t.Errorf("base %q: the feed's links are not absolute", base)
		}
	}
}

// TestLastRunAge checks that the index gives the last run's time in its
// text, and that in Chromium the script adds its age beside it.
func TestLastRunAge(t *testing.T) {
	out := buildFixture(t)
	index := readFile(t, out, "index.html")
	if !strings.Contains(index, `Dernier relevé : <time id="dernier-releve" datetime="2026-03-04T10:00:00Z">4 mars 2026 à 11 h 00</time>`) {
		t.Error("the index does not give the last run's time as text")
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer srv.Close()
	dom := chromium(t, "--dump-dom", srv.URL+"/index.html")
	if !regexp.MustCompile(`<span data-age-of="dernier-releve"> \(il y a [0-9]+ [a-z]+[^)]*\)</span>`).MatchString(dom) {
		i := strings.Index(dom, "dernier-releve")
		t.Errorf("the script did not write the age: %s", dom[i:min(len(dom), i+200)])
	}
}
