package registry

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sampleRecords are the sample registry's records by kind.
func sampleRecords(t testing.TB) map[string][][]byte {
	t.Helper()
	out := map[string][][]byte{}
	for kind, glob := range map[string]string{
		KindTrustSpace: "trust-space.yaml", KindConditions: "conditions.yaml",
		KindOperator: "operators/*/operator.yaml", KindDRIMbox: "operators/*/drimboxes/*.yaml",
	} {
		paths, err := filepath.Glob(filepath.Join("../../testdata/registry", glob))
		if err != nil || len(paths) == 0 {
			t.Fatalf("no sample %s records (%v)", kind, err)
		}
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			out[kind] = append(out[kind], b)
		}
	}
	return out
}

// sameVerdict checks the quick walk against the schema library on one
// record for every kind: it may be unsure, never wrong.
func sameVerdict(t *testing.T, src []byte) (quick map[string]verdict) {
	t.Helper()
	sch, err := LoadSchemas()
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := parseYAML("r.yaml", src)
	if doc == nil {
		return nil
	}
	quick = map[string]verdict{}
	for kind, q := range sch.quick {
		got := quickValid(q, doc.data)
		libErr := sch.compiled[kind].Validate(doc.data)
		switch {
		case got == valid && libErr != nil:
			t.Fatalf("%s: the quick walk finds the record valid, the schema library does not: %v\n%s", kind, libErr, src)
		case got == invalid && libErr == nil:
			t.Fatalf("%s: the quick walk finds the record invalid, the schema library finds it valid\n%s", kind, src)
		}
		quick[kind] = got
	}
	// The same walk on the quick tree, when the record has one.
	if root, ok := quickTree(src, nil); ok {
		for kind, q := range sch.quick {
			got := quickValidNode(q, root)
			libErr := sch.compiled[kind].Validate(doc.data)
			switch {
			case got == valid && libErr != nil:
				t.Fatalf("%s: the quick walk of the tree finds the record valid, the schema library does not: %v\n%s", kind, libErr, src)
			case got == invalid && libErr == nil:
				t.Fatalf("%s: the quick walk of the tree finds the record invalid, the schema library finds it valid\n%s", kind, src)
			}
			if got != quick[kind] && quick[kind] != unsure && got != unsure {
				t.Fatalf("%s: the quick walks of the values and of the tree disagree\n%s", kind, src)
			}
		}
	}
	return quick
}

// TestQuickSchemaAnswersForRecords: the quick walk covers every record
// kind, finds the sample records valid, and agrees with the library on
// records broken in the ways operators break them.
func TestQuickSchemaAnswersForRecords(t *testing.T) {
	sch, err := LoadSchemas()
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{KindTrustSpace, KindConditions, KindOperator, KindDRIMbox} {
		if sch.quick[kind] == nil {
			t.Errorf("the quick walk does not answer for %s records: a keyword it does not know?", kind)
		}
	}
	for kind, records := range sampleRecords(t) {
		for _, src := range records {
			if got := sameVerdict(t, src)[kind]; got != valid {
				t.Errorf("%s: a sample record is not found valid by the quick walk (%d)\n%s", kind, got, src)
			}
			if root, ok := quickTree(src, nil); ok {
				if got := quickValidNode(sch.quick[kind], root); got != valid {
					t.Errorf("%s: a sample record's tree is not found valid by the quick walk (%d)\n%s", kind, got, src)
				}
			}
		}
	}
	for name, edit := range quickEdits {
		t.Run(name, func(t *testing.T) {
			changed := false
			for _, records := range sampleRecords(t) {
				for _, src := range records {
					if out := strings.Replace(string(src), edit[0], edit[1], 1); out != string(src) {
						changed = true
						sameVerdict(t, []byte(out))
					}
				}
			}
			if !changed {
				t.Fatalf("no sample record holds %q", edit[0])
			}
		})
	}
}

// quickEdits break sample records the ways the schemas catch, each a
// replacement of the first occurrence of a text.
var quickEdits = map[string][2]string{
	"enum":                {"status: operational", "status: bogus"},
	"enum of a number":    {"status: operational", "status: 3"},
	"unknown field":       {"status: ", "colour: red\nstatus: "},
	"missing field":       {"support_contact: ", "x_support_contact: "},
	"short digest":        {"sha256: 4", "sha256: 4a\nx: "},
	"bad date":            {"not_after: 2028-06-30", "not_after: 2028-02-30"},
	"date as number":      {"declared_on: 2025", "declared_on: 12025"},
	"number as text":      {"support_contact: ", "support_contact: 12\nx: "},
	"integer written 1.0": {"identifiant: 1\n", "identifiant: 1.0\n"},
	"integer written 1e3": {"identifiant: 1\n", "identifiant: 1e3\n"},
	"negative integer":    {"identifiant: 1\n", "identifiant: -1\n"},
	"huge integer":        {"identifiant: 1\n", "identifiant: 99999999999999999999\n"},
	"null value":          {"status: operational", "status: ~"},
	"list for text":       {"status: operational", "status: [operational]"},
	"answer key":          {"COND-01:", "COND-1:"},
	"empty answer":        {"COND-01: {operator: conforme, client: conforme}", "COND-01: {}"},
	"answer value":        {"{operator: conforme", "{operator: peut-etre"},
	"shared and name":     {"name: COND-01", "shared: x.pdf, name: COND-01"},
	"shared alone":        {"name: COND-01_matrice-raci.csv, sha256: ", "shared: COND-01_matrice-raci.csv, x: "},
	"no name":             {"name: COND-01_matrice-raci.csv, ", ""},
	"empty list":          {"pacs:\n", "pacs: []\nx:\n"},
	"duplicate login":     {"  - alpha-imagerie-bot\n", "  - alpha-imagerie-ops\n"},
	"logins as numbers":   {"  - alpha-imagerie-bot\n", "  - 12\n"},
	"nameserver twice":    {"- ns2.", "- ns1."},
	"bad address":         {"\"198.51.100.53\"", "\"198.51.100.300\""},
	"address v6":          {"\"198.51.100.53\"", "\"2001:db8::1\""},
	"address number":      {"\"198.51.100.53\"", "12"},
	"low refresh":         {"refresh: 3600", "refresh: 10"},
	"fractional retry":    {"retry: 900", "retry: 900.5"},
	"retry written 9e2":   {"retry: 900", "retry: 9e2"},
	"empty text":          {"role: Représentant légal", "role: \"\""},
	"record is a list":    {"identifiant: 1\n", "- 1\n"},
	"signer party":        {"{party: operator", "{party: nobody"},
	"condition id":        {"condition: COND-02", "condition: COND-2"},
	"integer past 2^53":   {"identifiant: 1\n", "identifiant: 9007199254740993\n"},
	"one rune, two bytes": {"role: Représentant légal", "role: é"},
	"two runes, 4 bytes":  {"role: Représentant légal", "role: éé"},
	"markup in a label":   {"label: PACS principal", "label: PACS <principal>"},
	"number as label":     {"label: PACS principal", "label: 1.0"},
}

// FuzzQuickSchema is the quick walk against the schema library on any
// record the YAML reader accepts, read as every kind.
func FuzzQuickSchema(f *testing.F) {
	for _, records := range sampleRecords(f) {
		for _, src := range records {
			f.Add(src)
		}
	}
	for _, e := range quickEdits {
		f.Add([]byte(e[1]))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 64<<10 {
			t.Skip("larger than a record needs to be to hold every shape")
		}
		sameVerdict(t, src)
	})
}
