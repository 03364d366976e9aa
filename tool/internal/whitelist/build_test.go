package whitelist

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var (
	fixedAt   = time.Date(2026, 6, 19, 18, 6, 52, 0, time.UTC)
	fixedDate = time.Date(2025, 7, 22, 11, 27, 12, 0, time.UTC)
)

func buildTestList(t *testing.T) *List {
	t.Helper()
	reg := loadTestRegistry(t, filepath.Join("testdata", "registry"))
	l, err := Build(reg, map[int]time.Time{3: fixedDate}, fixedAt)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestBuildGolden(t *testing.T) {
	got, err := Marshal(buildTestList(t))
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "golden", "unsigned.xml")
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := readFile(t, golden)
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("built list differs from %s (run go test -update to accept) (-want +got):\n%s", golden, diff)
	}
	xmllintValidate(t, got)
}

func TestBuildSelectsAndSorts(t *testing.T) {
	l := buildTestList(t)
	var ids []int
	for _, d := range l.Domains {
		ids = append(ids, d.ID)
	}
	if diff := cmp.Diff([]int{3, 12}, ids); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	d12 := l.Domain(12)
	if d12.VI != "" {
		t.Errorf("a DRIMbox without a viewer endpoint has vi %q", d12.VI)
	}
	if !d12.Updated.Equal(fixedAt) {
		t.Errorf("an entry without history has DateMAJ %s, want the generation time", d12.Updated)
	}
	if d3 := l.Domain(3); d3.DB != "db3.test.mesimagesmedicales.fr" || d3.VI != "vi3.test.mesimagesmedicales.fr" || d3.Denomination != "IMAGERIE FICTIVE DU LITTORAL" {
		t.Errorf("entry 3 = %+v", d3)
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	a, _ := Marshal(buildTestList(t))
	b, _ := Marshal(buildTestList(t))
	if !bytes.Equal(a, b) {
		t.Error("two builds of the same registry at the same time differ")
	}
}

func TestParseRoundTrip(t *testing.T) {
	l := buildTestList(t)
	data, err := Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(l, back); diff != "" {
		t.Errorf("Parse(Marshal(l)) differs (-want +got):\n%s", diff)
	}
}

func TestParseANSLists(t *testing.T) {
	for _, tt := range []struct {
		file    string
		entries int
		vi      string
	}{
		{"LISTEBLANCHE_DRIM-M_SIGNEE_TEST.2026.06.01.xml", 14, "vi175.test.mesimagesmedicales.fr"},
		{"LISTEBLANCHE_DRIM-M_NONSIGNEE_TEST.xml", 6, "vi175.test.mesimagesmedicales.fr"},
	} {
		t.Run(tt.file, func(t *testing.T) {
			l, err := Parse(readFile(t, anchor(t, tt.file)))
			if err != nil {
				t.Fatal(err)
			}
			if len(l.Domains) != tt.entries {
				t.Errorf("%d entries, want %d", len(l.Domains), tt.entries)
			}
			d := l.Domain(175)
			if d == nil || d.VI != tt.vi || d.DB != "db175.test.mesimagesmedicales.fr" {
				t.Errorf("entry 175 = %+v", d)
			}
			if l.Namespace != DefaultNamespace {
				t.Errorf("namespace %q", l.Namespace)
			}
			// Our writer gives a list the XSD accepts from what we read.
			out, err := Marshal(l)
			if err != nil {
				t.Fatal(err)
			}
			xmllintValidate(t, out)
		})
	}
}

func TestParseRefuses(t *testing.T) {
	good := string(readFile(t, filepath.Join("testdata", "golden", "unsigned.xml")))
	tests := map[string]string{
		"DOCTYPE":               `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]>` + good[39:],
		"other versionFormat":   replaceOnce(t, good, `versionFormat="1.0.0"`, `versionFormat="2.0.0"`),
		"unknown element":       replaceOnce(t, good, "<DateMAJ>", "<Extra/><DateMAJ>"),
		"fields out of order":   replaceOnce(t, good, "<Identifiant>3</Identifiant>\n            <db>db3.test.mesimagesmedicales.fr</db>", "<db>db3.test.mesimagesmedicales.fr</db><Identifiant>3</Identifiant>"),
		"db of another entry":   replaceOnce(t, good, "<db>db3.", "<db>db4."),
		"Identifiant twice":     replaceOnce(t, good, "<Identifiant>12<", "<Identifiant>3<"),
		"date without zone":     replaceOnce(t, good, "2026-06-19T18:06:52Z", "2026-06-19T18:06:52"),
		"negative Identifiant":  replaceOnce(t, good, "<Identifiant>12<", "<Identifiant>-12<"),
		"empty Denomination":    replaceOnce(t, good, "<Denomination>IMAGERIE FICTIVE DU LITTORAL<", "<Denomination><"),
		"text after the root":   good + "x",
		"two root elements":     good + "<ListeBlancheDRIM-M/>",
		"entity reference":      replaceOnce(t, good, "LITTORAL", "&ent;"),
		"another root element":  replaceOnce(t, replaceOnce(t, good, "<ListeBlancheDRIM-M ", "<Liste "), "</ListeBlancheDRIM-M>", "</Liste>"),
		"non-signature element": replaceOnce(t, good, "</ListeBlancheDRIM-M>", "<Extra/></ListeBlancheDRIM-M>"),
	}
	for name, doc := range tests {
		t.Run(name, func(t *testing.T) {
			if l, err := Parse([]byte(doc)); err == nil {
				t.Fatalf("accepted: %+v", l)
			}
		})
	}
}

func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	i := bytes.Index([]byte(s), []byte(old))
	if i < 0 {
		t.Fatalf("%q not found", old)
	}
	return s[:i] + new + s[i+len(old):]
}
