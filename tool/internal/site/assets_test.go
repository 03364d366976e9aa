package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDSFR checks that the DSFR's files are in the site with their version
// and licence, that every style sheet a page links is there, that a second
// build copies none of them again, and reports what a first visit
// downloads.
func TestDSFR(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	opts := Options{Data: fixture(t), Notices: fixtureNotices(), Infos: fixtureInfos(), Now: buildTime, Days: 7, Out: out}
	if _, err := BuildCount(opts); err != nil {
		t.Fatal(err)
	}
	for _, f := range append([]string{"dsfr/VERSION", "dsfr/LICENSE.md", "dsfr/fonts/Marianne-Regular.woff2"}, dsfrSheets...) {
		if info, err := os.Stat(filepath.Join(out, f)); err != nil || info.Size() == 0 {
			t.Errorf("%s missing from the site: %v", f, err)
		}
	}
	index, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, sheet := range dsfrSheets {
		if !strings.Contains(string(index), `<link rel="stylesheet" href="`+sheet+`">`) {
			t.Errorf("index.html does not link %s", sheet)
		}
	}
	if !strings.Contains(string(index), `<p class="fr-logo">République<br>Française</p>`) {
		t.Errorf("index.html lacks the State's block mark")
	}
	// Again with the same inputs: the DSFR's files are not written again.
	before := map[string]os.FileInfo{}
	filepath.Walk(filepath.Join(out, "dsfr"), func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			before[p] = info
		}
		return err
	})
	if _, err := BuildCount(opts); err != nil {
		t.Fatal(err)
	}
	for p, old := range before {
		now, err := os.Stat(p)
		if err != nil || !os.SameFile(old, now) || !now.ModTime().Equal(old.ModTime()) {
			t.Errorf("%s was written again by a build with the same inputs", p)
		}
	}
	// What a first visit to the index downloads: the page, its style
	// sheets and the two weights of Marianne it shows.
	total := len(index)
	for _, f := range append([]string{"style.css", "recherche.js", "age.js", "dsfr/fonts/Marianne-Regular.woff2", "dsfr/fonts/Marianne-Bold.woff2"}, dsfrSheets...) {
		if info, err := os.Stat(filepath.Join(out, f)); err == nil {
			total += int(info.Size())
		}
	}
	t.Logf("a first visit to index.html downloads %.0f KiB (index.html %.1f KiB); later pages only their HTML", float64(total)/1024, float64(len(index))/1024)
}
