package site

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/drim-m/trust-space/tool/internal/status"
)

// evil breaks out of an attribute, of an element, of a CDATA section and
// of a template, and names a script URL.
const evil = `"><script>alert(1)</script><a href='javascript:alert(2)' onclick="x" class="up">&amp;]]>{{.}}`

// hostileData records runs whose every field that comes from a DRIMbox
// or from the data files holds evil: verdicts, reasons, hosts, PACS (the
// detail as the status endpoint's contract lets it through), certificate
// subject, vantage points, and state changes to and from a verdict that
// is none.
func hostileData(t *testing.T) status.Dir {
	t.Helper()
	dir := status.Dir(t.TempDir())
	report, err := probe.ParseReport([]byte(`{"version":"1","pacs":[{"id":"pacs-1","state":"down","detail":` + jsonString(`"><script>alert(1)</script> javascript:alert(2) ]]>`) + `}]}`))
	if err != nil {
		t.Fatal(err)
	}
	pt := &probe.Check{Host: evil, OK: false, Reason: evil, HTTP: 500, Endpoint: evil, CNAME: evil,
		Cert: &probe.Cert{Subject: evil, ChainNotAfter: buildTime.AddDate(0, 1, 0), DNMatch: false}}
	for i, v := range []probe.Verdict{probe.Verdict(evil), probe.Down, probe.Verdict(evil)} {
		at := buildTime.Add(time.Duration(i-2) * 5 * time.Minute)
		run := &probe.Run{Start: at, End: at.Add(time.Second), NetworkOK: true, Complete: true, Results: []probe.Result{
			{ID: 1, Verdict: v, Reasons: []string{evil}, DB: pt, VI: pt, PACS: []probe.PACSState{
				{ID: report.PACS[0].ID, State: report.PACS[0].State, Detail: report.PACS[0].Detail},
				{ID: evil, State: evil, Detail: evil}}},
			{ID: 2, Verdict: probe.Up, DB: &probe.Check{Host: "db2", OK: true, HTTP: 200}},
		}}
		if err := status.Apply(dir, run, 5*time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	// Vantage points' views, as the quorum records them.
	shard := status.LatestDir + "/000.json"
	data, err := dir.ReadFile(shard)
	if err != nil {
		t.Fatal(err)
	}
	var states []map[string]any
	if err := json.Unmarshal(data, &states); err != nil {
		t.Fatal(err)
	}
	states[0]["vantages"] = []map[string]any{{"name": evil, "verdict": evil, "reasons": []string{evil}}}
	if data, err = json.Marshal(states); err != nil {
		t.Fatal(err)
	}
	if err := dir.WriteFile(shard, data); err != nil {
		t.Fatal(err)
	}
	return dir
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func hostileNotices() []*status.Notice {
	n := func(boxes []int, start time.Time) *status.Notice {
		return &status.Notice{File: evil, Kind: evil, Title: evil, Author: evil, DRIMboxes: boxes, Impact: evil, Start: start,
			Updates: []status.Update{{Time: start, State: evil, Text: evil}}}
	}
	return []*status.Notice{n([]int{1}, buildTime.Add(-time.Hour)), n(nil, buildTime.Add(-2*time.Hour)), n([]int{1}, buildTime.AddDate(0, 0, -30))}
}

var (
	classToken = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`) // the DSFR names its elements fr-block__element
	sitePath   = regexp.MustCompile(`^[a-z0-9][a-z0-9/._-]*$`)
	siteScript = regexp.MustCompile(`^(https://meteo\.example/|(\.\./)*)[a-z0-9-]+\.js$`)
)

// TestHostileValues builds the site from hostile data and checks that
// no value broke out of its place: no script element, no event handler
// attribute, no script URL, class values made of known tokens, file
// names the site chose, feeds and badges that parse, JSON within its
// schemas; and that the hostile text is shown, as text.
func TestHostileValues(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	infos := map[int]Info{
		1: {OperatorID: evil, Operator: evil, PACS: map[string]string{evil: evil, "pacs-1": evil}, Support: evil, Contacts: []Contact{{evil, evil}}},
		2: {OperatorID: "alpha-imagerie", Operator: evil, Contacts: []Contact{{evil, "javascript:alert(1)//@x.example"}, {RoleSupport, `a@b.example" onclick="x`}}},
	}
	if err := Build(Options{Data: hostileData(t), Notices: hostileNotices(), Infos: infos, Now: buildTime, Days: 7, Out: out, BaseURL: "https://meteo.example"}); err != nil {
		t.Fatal(err)
	}
	statusSchema, boxSchema := compileSchema(t, "meteo-status.schema.json"), compileSchema(t, "meteo-drimbox.schema.json")
	summarySchema := compileSchema(t, "meteo-summary.schema.json")
	files := 0
	err := filepath.Walk(out, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, out+string(filepath.Separator)))
		if strings.HasPrefix(rel, ".drimm") || strings.HasPrefix(rel, "dsfr/") {
			// The build's own state, and the DSFR files copied as
			// vendored: no name or byte of them comes from data.
			return nil
		}
		files++
		if !sitePath.MatchString(rel) {
			t.Errorf("file %q: a name made from data", rel)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		switch filepath.Ext(p) {
		case ".html":
			checkHTML(t, rel, data)
		case ".xml", ".svg":
			checkXML(t, rel, data)
		case ".json":
			schema := boxSchema
			switch rel {
			case "status.json":
				schema = statusSchema
			case "summary.json":
				schema = summarySchema
			}
			if err := schema.Validate(decodeJSON(t, data)); err != nil {
				t.Errorf("%s: %v", rel, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 10 {
		t.Fatalf("only %d files built", files)
	}
	page := readFile(t, out, "drimbox/1.html")
	for _, shown := range []string{html.EscapeString(`"><script>alert(1)</script>`), "javascript:alert(2) ]]&gt;"} {
		if !strings.Contains(page, shown) {
			t.Errorf("drimbox/1.html does not show %q as text", shown)
		}
	}
}

// checkHTML walks every tag of a page.
func checkHTML(t *testing.T, name string, data []byte) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(string(data)))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if z.Err() != io.EOF {
				t.Errorf("%s: %v", name, z.Err())
			}
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		if tok.Data == "script" {
			// Only the site's own scripts, from its files, run.
			src := ""
			for _, a := range tok.Attr {
				if a.Key == "src" {
					src = a.Val
				}
			}
			if !siteScript.MatchString(src) {
				t.Errorf("%s: a script element %v", name, tok)
			}
			if z.Next() == html.TextToken && strings.TrimSpace(string(z.Text())) != "" {
				t.Errorf("%s: an inline script", name)
			}
		}
		for _, a := range tok.Attr {
			switch {
			case strings.HasPrefix(a.Key, "on"):
				t.Errorf("%s: <%s %s=%q>", name, tok.Data, a.Key, a.Val)
			case a.Key == "class":
				for _, c := range strings.Fields(a.Val) {
					if !classToken.MatchString(c) {
						t.Errorf("%s: <%s class=%q>", name, tok.Data, a.Val)
					}
				}
			case a.Key == "href" || a.Key == "src":
				v := strings.ToLower(strings.TrimSpace(a.Val))
				if strings.Contains(v, "javascript:") || strings.Contains(v, "script") || strings.HasPrefix(v, "data:") {
					t.Errorf("%s: <%s %s=%q>", name, tok.Data, a.Key, a.Val)
				}
			}
		}
	}
}

// checkXML parses a feed or a badge and looks for a script element.
func checkXML(t *testing.T, name string, data []byte) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(string(data)))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			return
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local == "script" {
				t.Errorf("%s: a script element", name)
			}
			for _, a := range se.Attr {
				if strings.HasPrefix(a.Name.Local, "on") || a.Name.Local == "href" && strings.Contains(strings.ToLower(a.Value), "script") {
					t.Errorf("%s: <%s %s=%q>", name, se.Name.Local, a.Name.Local, a.Value)
				}
			}
		}
	}
}
