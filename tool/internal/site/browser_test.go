package site

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/drim-m/trust-space/tool/internal/status"
)

const chromiumPath = "/usr/bin/chromium"

// chromium runs headless Chromium with args and returns its standard output.
func chromium(t testing.TB, args ...string) string {
	t.Helper()
	bin := chromiumPath
	if _, err := os.Stat(bin); err != nil {
		var lerr error
		if bin, lerr = exec.LookPath("chromium"); lerr != nil {
			t.Fatalf("chromium not found: install chromium")
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	return string(out)
}

// TestInBrowser loads the built site from a loopback server in headless
// Chromium, checks what a visitor sees, and saves screenshots next to
// the test's output (kept under testdata/screenshots when -update).
func TestInBrowser(t *testing.T) {
	out := buildFixture(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer srv.Close()

	dom := chromium(t, "--dump-dom", srv.URL+"/index.html")
	for _, want := range []string{
		`<html lang="fr">`,
		"Météo des DRIMbox",
		"Panne majeure",
		"Perturbations en cours : 1 DRIMbox hors service (25&nbsp;%), 2 dégradés, sur 4 DRIMbox suivis.",
		"Dernier relevé : ",
		"Panne réseau chez l'hébergeur du DRIMbox 3",
		`<a href="drimbox/3.html">DRIMbox 3</a>`,
		"Hors service",
		"3 DRIMbox perturbés, les hors service en premier",
		"accès DICOMweb (db) indisponible ; connexion impossible",
		`<a href="liste/1.html">DRIMbox 1 à 4</a>`,
		`<a href="operateur/alpha-imagerie.html">Alpha Imagerie</a> (2)`,
		"Historique de tous les incidents et maintenances",
		"Accessibilité : non conforme",
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("the page as Chromium sees it lacks %q", want)
		}
	}
	box := chromium(t, "--dump-dom", srv.URL+"/drimbox/2.html")
	for _, want := range []string{"DRIMbox 2", "PACS principal", "Indisponible", "Association DICOM refusée &lt;C-ECHO&gt;", "jours à signaler",
		"Sur les 7 derniers jours : 1 jour opérationnel, 2 jours dégradés, 0 jour hors service, 4 jours sans données.",
		"<dt>24 heures</dt><dd>100&nbsp;%</dd>"} {
		if !strings.Contains(box, want) {
			t.Errorf("the DRIMbox page as Chromium sees it lacks %q", want)
		}
	}
	shots := t.TempDir()
	if *update {
		shots = filepath.Join("testdata", "screenshots")
		os.MkdirAll(shots, 0o755)
	}
	for name, page := range map[string]string{"index.png": "/index.html", "drimbox-2.png": "/drimbox/2.html"} {
		file, _ := filepath.Abs(filepath.Join(shots, name))
		chromium(t, "--hide-scrollbars", "--window-size=1280,1400", "--screenshot="+file, srv.URL+page)
		if info, err := os.Stat(file); err != nil || info.Size() < 5000 {
			t.Errorf("screenshot %s missing or empty: %v", file, err)
		}
	}
}

// reflowScript, added to each page by the test server as /reflow.js (the
// pages' Content-Security-Policy refuses inline scripts), records in the
// DOM the viewport width, the document's width and every element that
// sticks out sideways outside a table frame, and checks that each frame
// is a labelled region.
const reflowScript = `(function(){
var vw=document.documentElement.clientWidth, bad=[];
document.querySelectorAll("body *").forEach(function(e){
 if(e.closest(".scroll")||e.closest(".skip")||e.closest("svg")&&e.tagName!=="svg") return;
 var r=e.getBoundingClientRect();
 if(r.width>0&&(r.right>vw+1||r.left<-1)) bad.push(e.tagName+"."+(typeof e.className==="string"?e.className:"")+" right="+Math.round(r.right));
});
document.querySelectorAll(".scroll").forEach(function(e){
 var l=e.getAttribute("aria-labelledby");
 if(e.getAttribute("role")!=="region"||!l||!document.getElementById(l)) bad.push("unlabelled table frame");
 else if(e.contains(document.getElementById(l))) bad.push("caption "+l+" scrolls inside its frame");
});
var d=window.parent.document, o=d.createElement("pre");
o.textContent="REFLOW "+JSON.stringify({page:location.pathname,vw:vw,sw:document.documentElement.scrollWidth,bad:bad.slice(0,20)})+" END";
d.body.appendChild(o);})();`

// reflowServer serves dir with reflowScript added to every page, and
// /frame?page=P, which shows page P in a frame 320 CSS pixels wide (a
// headless window cannot be that narrow); the script reports to the frame's
// parent, whose DOM Chromium dumps.
func reflowServer(dir string) *httptest.Server {
	files := http.FileServer(http.Dir(dir))
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/frame" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!DOCTYPE html><html lang="fr"><title>320</title><body style="margin:0">`)
			for _, p := range r.URL.Query()["page"] {
				fmt.Fprintf(w, `<iframe title="page" src="%s" style="width:320px;height:600px;border:0"></iframe>`, html.EscapeString(p))
			}
			fmt.Fprint(w, `</body></html>`)
			return
		}
		if r.URL.Path == "/reflow.js" {
			w.Header().Set("Content-Type", "text/javascript")
			fmt.Fprint(w, reflowScript)
			return
		}
		if !strings.HasSuffix(r.URL.Path, ".html") {
			files.ServeHTTP(w, r)
			return
		}
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(r.URL.Path, "/"))))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(strings.Replace(string(data), "</body>", `<script src="/reflow.js"></script></body>`, 1)))
	}))
}

type reflow struct {
	Page   string
	VW, SW int
	Bad    []string
}

// checkReflow loads pages at 320 CSS pixels wide and fails on anything
// that scrolls sideways outside a labelled table frame (WCAG 1.4.10).
func checkReflow(t *testing.T, srv *httptest.Server, pages ...string) {
	t.Helper()
	q := url.Values{"page": pages}
	dom := chromium(t, "--hide-scrollbars", "--window-size=800,1000", "--dump-dom", srv.URL+"/frame?"+q.Encode())
	seen := map[string]bool{}
	for _, part := range strings.Split(dom, "REFLOW ")[1:] {
		j := strings.Index(part, " END")
		if j < 0 || strings.HasPrefix(part, `"`) {
			continue // the script's own text
		}
		var got reflow
		if err := json.Unmarshal([]byte(html.UnescapeString(part[:j])), &got); err != nil {
			t.Fatalf("%v in %q", err, part[:j])
		}
		seen[got.Page] = true
		if got.VW != 320 {
			t.Errorf("%s: viewport is %d CSS pixels wide, want 320", got.Page, got.VW)
		}
		if got.SW > got.VW || len(got.Bad) > 0 {
			t.Errorf("%s at 320 px: document %d px wide; outside table frames: %v", got.Page, got.SW, got.Bad)
		}
	}
	for _, p := range pages {
		if !seen[p] {
			t.Errorf("%s: the reflow probe did not run", p)
		}
	}
}

// TestReflow320 checks every kind of page at 320 CSS pixels.
func TestReflow320(t *testing.T) {
	out := buildFixture(t)
	srv := reflowServer(out)
	defer srv.Close()
	checkReflow(t, srv, "/index.html", "/drimbox/2.html", "/drimbox/3.html", "/liste/1.html", "/operateur/alpha-imagerie.html",
		"/incidents.html", "/accessibilite.html", "/perturbes.html", "/plan.html", "/aide.html", "/recherche.html", "/404.html", "/schema-pluriannuel.html", "/mentions-legales.html")
}

// TestIndexAt5000 builds the site of 5,000 DRIMboxes (2 % down, 5 % slow,
// 60 operators) and checks that the index stays within 200 KiB and
// reflows at 320 CSS pixels, as do a list page and the page of the
// disturbed DRIMboxes.
func TestIndexAt5000(t *testing.T) {
	out := build5000(t)
	info, err := os.Stat(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() > 200<<10 {
		t.Errorf("index.html at 5,000 DRIMboxes is %d bytes, want at most 200 KiB", info.Size())
	}
	t.Logf("index.html at 5,000 DRIMboxes: %.1f KiB", float64(info.Size())/1024)
	srv := reflowServer(out)
	defer srv.Close()
	checkReflow(t, srv, "/index.html", "/liste/20.html", "/perturbes.html", "/operateur/operateur-07.html")
}

// build5000 builds the site of 5,000 DRIMboxes (2 % down, 5 % slow, 60
// operators) from four runs, and returns its folder.
func build5000(t testing.TB) string {
	t.Helper()
	const n = 5000
	data := status.Dir(t.TempDir())
	infos := map[int]Info{}
	for at := buildTime.Add(-15 * time.Minute); !at.After(buildTime); at = at.Add(5 * time.Minute) {
		run := &probe.Run{Start: at, End: at.Add(30 * time.Second), NetworkOK: true, Complete: true}
		for id := 1; id <= n; id++ {
			r := probe.Result{ID: id, Verdict: probe.Up, DB: &probe.Check{Host: "db", OK: true, HTTP: 200, Timings: probe.Timings{Total: 40 * time.Millisecond}}}
			switch {
			case id%50 == 0:
				r.Verdict, r.Reasons, r.DB = probe.Down, []string{probe.ReasonDBDown, probe.ReasonConnect}, &probe.Check{Host: "db", Reason: probe.ReasonConnect}
			case id%20 == 7:
				r.Verdict, r.Reasons = probe.Degraded, []string{probe.ReasonSlow}
			}
			run.Results = append(run.Results, r)
			op := id % 60
			infos[id] = Info{OperatorID: fmt.Sprintf("operateur-%02d", op), Operator: fmt.Sprintf("Opérateur de téléradiologie numéro %02d", op)}
		}
		if err := status.Apply(data, run, 5*time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "site")
	if err := Build(Options{Data: data, Infos: infos, Now: buildTime, Out: out}); err != nil {
		t.Fatal(err)
	}
	return out
}

// timingScript reports the page's timings (milliseconds from navigation)
// into the DOM at its load event. Headless Chromium run with --dump-dom
// records no paint entries, so the time the document is parsed and laid
// out (DOMContentLoaded, with the style sheet applied) stands for the
// first paint.
const timingScript = `addEventListener("load",function(){
var n=performance.getEntriesByType("navigation")[0];
var o=document.createElement("pre");o.textContent="TIMING "+JSON.stringify({dcl:n.domContentLoadedEventEnd,load:n.loadEventStart,elements:document.getElementsByTagName("*").length})+" END";
document.body.appendChild(o);});`

// BenchmarkIndexLoad5000 loads the index of the 5,000-DRIMbox site in
// headless Chromium (desktop window) from a loopback server and reports
// when its content is parsed (DOMContentLoaded) and loaded, and its
// number of elements.
//
//	go test -run XXX -bench IndexLoad5000 -benchtime 5x ./tool/internal/site
func BenchmarkIndexLoad5000(b *testing.B) {
	out := build5000(b)
	files := http.FileServer(http.Dir(out))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/timing.js" {
			w.Header().Set("Content-Type", "text/javascript")
			fmt.Fprint(w, timingScript)
			return
		}
		if r.URL.Path != "/index.html" {
			files.ServeHTTP(w, r)
			return
		}
		data, _ := os.ReadFile(filepath.Join(out, "index.html"))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(strings.Replace(string(data), "</body>", `<script src="/timing.js"></script></body>`, 1)))
	}))
	defer srv.Close()
	var dcl, load, elements float64
	for i := 0; i < b.N; i++ {
		dom := chromium(b, "--window-size=1280,900", "--dump-dom", srv.URL+"/index.html")
		i, j := strings.LastIndex(dom, "TIMING "), strings.LastIndex(dom, " END")
		if i < 0 || j < i {
			b.Fatal("the timing probe did not run")
		}
		var got struct{ DCL, Load, Elements float64 }
		if err := json.Unmarshal([]byte(html.UnescapeString(dom[i+len("TIMING "):j])), &got); err != nil {
			b.Fatal(err)
		}
		dcl, load, elements = dcl+got.DCL, load+got.Load, got.Elements
	}
	b.ReportMetric(dcl/float64(b.N), "ms-content-loaded")
	b.ReportMetric(load/float64(b.N), "ms-load")
	b.ReportMetric(elements, "elements")
	b.ReportMetric(0, "ns/op")
}
