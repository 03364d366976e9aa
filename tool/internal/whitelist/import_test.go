package whitelist

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// emptyRegistry is a registry folder with only the trust-space settings.
func emptyRegistry(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	data := readFile(t, filepath.Join("testdata", "registry", "trust-space.yaml"))
	if err := os.WriteFile(filepath.Join(dir, "trust-space.yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func withoutDates(ds []Domain) []Domain {
	out := append([]Domain(nil), ds...)
	for i := range out {
		out[i].Updated = fixedAt
	}
	return out
}

func TestImportANSList(t *testing.T) {
	ans, err := Parse(readFile(t, anchor(t, "LISTEBLANCHE_DRIM-M_SIGNEE_TEST.2026.06.01.xml")))
	if err != nil {
		t.Fatal(err)
	}
	dir := emptyRegistry(t)
	rep, err := Import(ans, ImportOptions{Dir: dir, Maintainer: "ans-reviewer-alpha"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.DRIMboxes) != 14 {
		t.Errorf("%d DRIMbox records written, want 14", len(rep.DRIMboxes))
	}
	built, err := Build(loadTestRegistry(t, dir), nil, fixedAt)
	if err != nil {
		t.Fatal(err)
	}
	ans.Sort()
	if diff := cmp.Diff(withoutDates(ans.Domains), withoutDates(built.Domains)); diff != "" {
		t.Errorf("the imported registry builds other entries (-ANS +built):\n%s", diff)
	}
	xmllintValidate(t, must(Marshal(built)))

	// Importing again changes nothing and writes nothing.
	again, err := Import(ans, ImportOptions{Dir: dir, Maintainer: "ans-reviewer-alpha"})
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Files) != 0 || len(again.Unchanged) != 14 {
		t.Errorf("second import: %+v", again)
	}
}

func TestImportRefuses(t *testing.T) {
	ans, err := Parse(readFile(t, anchor(t, "LISTEBLANCHE_DRIM-M_NONSIGNEE_TEST.xml")))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("another zone", func(t *testing.T) {
		dir := emptyRegistry(t)
		ts := filepath.Join(dir, "trust-space.yaml")
		data := strings.Replace(string(readFile(t, ts)), "zone: test.mesimagesmedicales.fr", "zone: mesimagesmedicales.fr", 1)
		os.WriteFile(ts, []byte(data), 0o644)
		if _, err := Import(ans, ImportOptions{Dir: dir, Maintainer: "x"}); err == nil || !strings.Contains(err.Error(), "zone") {
			t.Errorf("got %v", err)
		}
		assertOnlyTrustSpace(t, dir)
	})
	t.Run("a DRIMbox that exists with other fields", func(t *testing.T) {
		dir := emptyRegistry(t)
		if _, err := Import(ans, ImportOptions{Dir: dir, Maintainer: "x"}); err != nil {
			t.Fatal(err)
		}
		changed := *ans
		changed.Domains = append([]Domain(nil), ans.Domains...)
		changed.Domains[0].SupportContact = "autre@example.invalid"
		changed.Domains = append(changed.Domains, Domain{ID: 900, DB: "db900.test.mesimagesmedicales.fr", Denomination: "NOUVEAU",
			CertDN: "CN=db900.test.mesimagesmedicales.fr,C=FR", SupportContact: "a@b.example", Updated: fixedAt})
		if _, err := Import(&changed, ImportOptions{Dir: dir, Maintainer: "x"}); err == nil || !strings.Contains(err.Error(), "already has a record") {
			t.Errorf("got %v", err)
		}
		if _, err := os.Stat(filepath.Join(dir, "operators", "nouveau")); err == nil {
			t.Error("a refused import wrote records")
		}
	})
}

func assertOnlyTrustSpace(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("a refused import wrote files: %v", entries)
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{"Softway Medical": "softway-medical", "E-MEDIA": "e-media", "TÉLÉRADIO D'EXEMPLE": "teleradio-d-exemple", "***": "operateur",
		"CŒUR D'IMAGERIE DE L'AÏN": "coeur-d-imagerie-de-l-ain", "Côte-d'Or Ñandú": "cote-d-or-nandu"} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}
