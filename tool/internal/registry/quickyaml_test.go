package registry

import (
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// sameTree checks quickTree against the YAML parser on one input: the same
// tree, or quickTree declines. It reports whether quickTree answered.
func sameTree(t *testing.T, src []byte) bool {
	t.Helper()
	quick, ok := quickTree(src, nil)
	if !ok {
		return false
	}
	doc, fs := parseYAML("r.yaml", src)
	if doc == nil {
		var root yaml.Node
		err := yaml.Unmarshal(src, &root)
		if err != nil || root.Kind != yaml.DocumentNode || len(root.Content) != 1 {
			t.Fatalf("quickTree reads a record the parser refuses (%v, %v):\n%s", err, fs, src)
		}
		// parseYAML refuses what YAML reads (a duplicate key, say): the
		// tree must still be the parser's, for the same findings.
		doc = &document{root: root.Content[0]}
	}
	if diff := treeDiff(quick, doc.root, ""); diff != "" {
		t.Fatalf("quickTree reads another tree than the parser: %s\n%s", diff, src)
	}
	var refusals []Finding
	toValue("r.yaml", quick, &refusals)
	if len(refusals) > 0 {
		t.Fatalf("quickTree reads a tree toValue refuses (%v):\n%s", refusals, src)
	}
	return true
}

// treeDiff compares two node trees on everything but comments.
func treeDiff(a, b *yaml.Node, at string) string {
	if a.Kind != b.Kind || a.Style != b.Style || a.Tag != b.Tag || a.Value != b.Value ||
		a.Anchor != b.Anchor || a.Line != b.Line || a.Column != b.Column || len(a.Content) != len(b.Content) {
		return fmt.Sprintf("at %s: quick {kind %v style %v tag %s value %q %d:%d, %d children}, parser {kind %v style %v tag %s value %q %d:%d, %d children}",
			at, a.Kind, a.Style, a.Tag, a.Value, a.Line, a.Column, len(a.Content), b.Kind, b.Style, b.Tag, b.Value, b.Line, b.Column, len(b.Content))
	}
	for i := range a.Content {
		if d := treeDiff(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", at, i)); d != "" {
			return d
		}
	}
	return ""
}

// TestQuickTreeReadsRecords: quickTree reads the sample registry's records
// and a complete dossier as the parser does, and declines what lies
// outside its subset.
func TestQuickTreeReadsRecords(t *testing.T) {
	for kind, records := range sampleRecords(t) {
		read := 0
		for _, src := range records {
			if sameTree(t, src) {
				read++
			}
		}
		if kind == KindDRIMbox && read != len(records) {
			t.Errorf("quickTree declines %d of the %d sample DRIMbox records", len(records)-read, len(records))
		}
	}
	if !sameTree(t, []byte(completeDossier)) {
		t.Error("quickTree declines a complete dossier")
	}
	for name, src := range quickTreeShapes {
		t.Run(name, func(t *testing.T) {
			if !sameTree(t, []byte(src)) {
				t.Fatalf("quickTree declines:\n%s", src)
			}
		})
	}
	for name, src := range quickTreeDeclines {
		t.Run(name, func(t *testing.T) {
			if _, ok := quickTree([]byte(src), nil); ok {
				t.Fatalf("quickTree reads what it should leave to the parser:\n%s", src)
			}
		})
	}
}

// completeDossier is a DRIMbox record as drimm writes one, dossier full.
const completeDossier = `identifiant: 1
operator: op-a
status: operational
declared_on: 2025-01-01
certificates:
  server:
    dn: "CN=db1.test.mesimagesmedicales.fr,OU=310000000000001,O=CENTRE IMAGERIE FICTIF 1,ST=Gironde (33),C=FR"
    sha256: abcc4a8112e912f59caea6d6afe99108d96e9e23bcf4f03dcc634c016a1eb31e
    serial: 0123
    not_after: 2028-06-30
pacs:
  - id: pacs-principal
    label: PACS principal
dossier:
  answers:
    COND-01: {operator: conforme, client: conforme}
  documents:
    - {condition: COND-01, kind: matrice-raci, name: COND-01_matrice-raci.csv, sha256: 806ba3d31a4af31d0b319e8cdfaaa4b19113993dd1807b4e4b7c396480683472}
  attestations:
    - condition: COND-02
      signed_by:
        - {party: operator, role: Représentant légal}
        - {party: client, role: Direction de l'établissement, note: 'é', x: "ü"}
  va:
    issued_on: 2025-09-15
`

// quickTreeShapes are inputs whose trees must match when quickTree reads
// them: tags, positions after wide characters, compact sequences.
var quickTreeShapes = map[string]string{
	"scalar types":        "a: 1\nb: 1.5\nc: true\nd: null\ne: 2025-02-30\nf: 0x1f\ng: 1e3\nh: 007\ni: yes\nj: Null\n",
	"wide characters":     "a: {b: xé, c: yü, d: 'à', e: \"ï\"}\nf: xé\n",
	"compact sequence":    "a:\n- x\n- y\nb: z\n",
	"nested compact":      "a:\n  - b:\n    - x\n    c: y\n",
	"comments":            "# head\na: 1\n  # inside\nb:\n  # before\n  c: 2\n",
	"empty collections":   "a: []\nb: {}\nc:\n  - []\n  - {}\n",
	"keys like values":    "true: 1\nnull: 2\nyes: 3\n",
	"two spaces":          "a: {b:  c, d: e}\n",
	"colon inside":        "a: b:c\nd: http://x\n",
	"no final line feed":  "a: 1",
	"sequence of scalars": "a:\n  - 1\n  - b\n  - \"c\"\n",
}

// quickTreeDeclines lie outside the subset.
var quickTreeDeclines = map[string]string{
	"continued scalar":  "a: b\n  c\n",
	"null value":        "a:\nb: 1\n",
	"anchor":            "a: &x 1\n",
	"comment beside":    "a: 1 # c\n",
	"escape":            "a: \"\\u0041\"\n",
	"block scalar":      "a: |\n  x\n",
	"flow sequence":     "a: [1, 2]\n",
	"document marker":   "---\na: 1\n",
	"tab":               "a:\t1\n",
	"list at root":      "- a\n",
	"deeper item":       "a:\n  - x\n   - y\n",
	"trailing space":    "a: 1 \n",
	"empty":             "",
	"quoted key":        "\"a\": 1\n",
	"duplicate key":     "a: 1\na: 2\n",
	"duplicate in flow": "a: {b: 1, b: 2}\n",
	"duplicate nested":  "a:\n  b: 1\n  c:\n    d: 2\n  b: 3\n",
	// The parser ends a flow plain scalar at '?' and then refuses the
	// mapping: quickTree must not read it whole.
	"question mark in flow": "a: {b: x?y}\n",
	"question mark, spaced": "a: {b: x ? y}\n",
	"question mark at end":  "a:\n  - {b: x, c: y?}\n",
}

// TestTextualAsYAMLResolves: the words textual takes for text are the
// words yaml.v3 resolves as text.
func TestTextualAsYAMLResolves(t *testing.T) {
	for _, v := range []string{"conforme", "true", "True", "TRUE", "tRue", "false", "FALSE", "null", "NULL", "nULL",
		"yes", "no", "on", "off", "y", "n", "Yes", "NO", "inf", "nan", "NaN", "Infinity", "e1", "E5", "x1", "operational", "b:c",
		"0b1a", "0b10", "0x1f", "0o17", "1e10", "1e1a", "12", "0123", "abcc4a8112e912f5", "806ba3d31a4af31d", "1_000", "1d", "9f", "0c", "2025-01-01", "1E5", "0B1C", "0e0"} {
		n := &yaml.Node{Kind: yaml.ScalarNode, Value: v}
		if textual(v) && n.ShortTag() != "!!str" {
			t.Errorf("textual(%q), but yaml.v3 reads it as %s", v, n.ShortTag())
		}
	}
	if !textual("conforme") || textual("true") || textual("1") || !textual("806ba3d31a4af31d") || textual("1e10") {
		t.Error("textual does not tell words from the rest")
	}
}

// FuzzQuickTree is quickTree against the YAML parser: the same tree, or
// quickTree declines.
func FuzzQuickTree(f *testing.F) {
	for _, records := range sampleRecords(f) {
		for _, src := range records {
			f.Add(src)
		}
	}
	f.Add([]byte(completeDossier))
	for _, src := range quickTreeShapes {
		f.Add([]byte(src))
	}
	for _, src := range quickTreeDeclines {
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 64<<10 {
			t.Skip("larger than a record needs to be to hold every shape")
		}
		if strings.Count(string(src), "\n") > 4000 {
			t.Skip("more lines than a record has")
		}
		sameTree(t, src)
	})
}
