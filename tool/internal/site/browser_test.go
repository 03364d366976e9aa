package site

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const chromiumPath = "/usr/bin/chromium"

// chromium runs headless Chromium with args and returns its standard output.
func chromium(t *testing.T, args ...string) string {
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
		"Perturbations en cours : 1 DRIMbox hors service, 2 dégradés.",
		"Dernier relevé : ",
		"Panne réseau chez l'hébergeur du DRIMbox 3",
		`<a href="drimbox/3.html">DRIMbox 3</a>`,
		"Hors service",
		"0 sur 1 disponible",
		"jours sans données",
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("the page as Chromium sees it lacks %q", want)
		}
	}
	box := chromium(t, "--dump-dom", srv.URL+"/drimbox/2.html")
	for _, want := range []string{"DRIMbox 2", "PACS principal", "Indisponible", "Association DICOM refusée &lt;C-ECHO&gt;", "jour(s) à signaler"} {
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
