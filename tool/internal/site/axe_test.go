package site

import (
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// axeScript finds axe-core (installed by tool/scripts/install-deps.sh
// with npm install -g).
func axeScript(t *testing.T) []byte {
	t.Helper()
	var roots []string
	if out, err := exec.Command("npm", "root", "-g").Output(); err == nil {
		roots = append(roots, strings.TrimSpace(string(out)))
	}
	roots = append(roots, "/usr/lib/node_modules", "/usr/local/lib/node_modules")
	for _, r := range roots {
		if data, err := os.ReadFile(filepath.Join(r, "axe-core", "axe.min.js")); err == nil {
			return data
		}
	}
	t.Fatalf("axe-core not found: run tool/scripts/install-deps.sh (npm install -g axe-core)")
	return nil
}

// axeRun runs axe-core on the page once loaded, for WCAG 2.1 A and AA,
// and writes the violations into the DOM.
const axeRun = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(function (r) {
  var v = r.violations.map(function (x) { return {id: x.id, help: x.help, nodes: x.nodes.length, target: String(x.nodes[0].target)}; });
  var o = document.createElement("pre"); o.textContent = "AXE " + JSON.stringify(v) + " END"; document.body.appendChild(o);
});`

// axeTags load axe-core and axeRun from files: the pages'
// Content-Security-Policy refuses inline scripts, and the test keeps it.
const axeTags = `<script src="/axe.min.js"></script><script src="/axe-run.js"></script>`

// TestAxe runs axe-core in headless Chromium on every kind of page and
// fails on any WCAG 2.1 A or AA violation.
func TestAxe(t *testing.T) {
	axe := axeScript(t)
	out := buildFixture(t)
	files := http.FileServer(http.Dir(out))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/axe.min.js":
			w.Header().Set("Content-Type", "text/javascript")
			w.Write(axe)
		case r.URL.Path == "/axe-run.js":
			w.Header().Set("Content-Type", "text/javascript")
			w.Write([]byte(axeRun))
		case strings.HasSuffix(r.URL.Path, ".html"):
			data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(strings.TrimPrefix(r.URL.Path, "/"))))
			if err != nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(strings.Replace(string(data), "</body>", axeTags+"</body>", 1)))
		default:
			files.ServeHTTP(w, r)
		}
	}))
	defer srv.Close()
	for _, page := range []string{"/index.html", "/drimbox/3.html", "/liste/1.html", "/incidents.html", "/accessibilite.html",
		"/plan.html", "/aide.html", "/recherche.html", "/404.html", "/donnees-personnelles.html"} {
		dom := chromium(t, "--window-size=1280,900", "--virtual-time-budget=20000", "--dump-dom", srv.URL+page)
		i, j := strings.LastIndex(dom, "AXE "), strings.LastIndex(dom, " END")
		if i < 0 || j < i {
			t.Errorf("%s: axe-core did not report", page)
			continue
		}
		var violations []struct {
			ID, Help, Target string
			Nodes            int
		}
		if err := json.Unmarshal([]byte(html.UnescapeString(dom[i+len("AXE "):j])), &violations); err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		for _, v := range violations {
			t.Errorf("%s: %s (%s), %d element(s), first %s", page, v.ID, v.Help, v.Nodes, v.Target)
		}
		if len(violations) == 0 {
			t.Logf("%s: no WCAG 2.1 A/AA violation", page)
		}
	}
}
