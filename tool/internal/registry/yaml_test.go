package registry

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestParseYAMLRefusals(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		rule     string
		line     int
		contains string
	}{
		{"malformed", "a: [1, 2\nb: 3\n", "REG-YAML", 0, "malformed YAML"},
		{"duplicate key", "a: 1\nb: 2\na: 3\n", "REG-YAML", 3, `duplicate key "a" (first at line 1)`},
		{"anchor", "a: &x 1\nb: 2\n", "REG-YAML", 1, "anchors and aliases"},
		{"alias bomb", "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "REG-YAML", 1, "anchors and aliases"},
		{"merge key", "a: {x: 1}\nb:\n  <<: {y: 2}\n", "REG-YAML", 3, "merge keys"},
		{"tab indent", "a:\n\tb: 1\n", "REG-YAML", 2, "tab used for indentation"},
		{"non utf8", "a: ok\nb: caf\xe9\n", "REG-ENCODING", 2, "not valid UTF-8"},
		{"bom", "\xef\xbb\xbfa: 1\n", "REG-ENCODING", 1, "byte-order mark"},
		{"two documents", "a: 1\n---\nb: 2\n", "REG-YAML", 2, "several YAML documents"},
		{"not a mapping", "- a\n- b\n", "REG-YAML", 1, "must be a YAML mapping"},
		{"empty", "", "REG-YAML", 1, "file is empty"},
		{"binary value", "a: ok\nb: !!binary AWJj\n", "REG-YAML", 2, "tag !!binary is not allowed"},
		{"binary key", "!!binary aWQ=: 3\n", "REG-YAML", 1, "mapping keys must be plain"},
		{"local tag", "a: !x texte\n", "REG-YAML", 1, "tag !x is not allowed"},
		{"explicit timestamp", "a: !!timestamp 2025-01-02\n", "REG-YAML", 1, "tag !!timestamp is not allowed"},
		{"set", "a: !!set {x: null}\n", "REG-YAML", 1, "tag !!set is not allowed"},
		{"too large", "a: " + strings.Repeat("x", MaxFileSize) + "\n", "REG-SIZE", 1, "over the"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, fs := parseYAML("r.yaml", []byte(tt.src))
			if doc != nil {
				t.Fatalf("parseYAML accepted %q", tt.src)
			}
			if len(fs) == 0 {
				t.Fatal("no finding")
			}
			f := fs[0]
			if f.Rule != tt.rule || !strings.Contains(f.Msg, tt.contains) {
				t.Errorf("finding = %s; want rule %s containing %q", f.String(), tt.rule, tt.contains)
			}
			if tt.line != 0 && f.Line != tt.line {
				t.Errorf("line = %d, want %d (%s)", f.Line, tt.line, f.String())
			}
		})
	}
}

func TestParseYAMLValues(t *testing.T) {
	doc, fs := parseYAML("r.yaml", []byte("i: 7\nz: 007\nh: 0x10\nb: true\nn: null\nd: 2025-01-02\ns: texte\nt: !!str 12\nc: \"a\\u0001b\"\n"))
	if len(fs) > 0 {
		t.Fatalf("findings: %v", fs)
	}
	m := doc.data.(map[string]any)
	want := map[string]string{"i": "7", "z": "7", "h": "0x10", "b": "true", "n": "<nil>", "d": "2025-01-02", "s": "texte", "t": "12", "c": "a\x01b"}
	for k, w := range want {
		if got := strings.TrimSpace(sprint(m[k])); got != w {
			t.Errorf("%s = %s, want %s", k, got, w)
		}
	}
}

func FuzzParseYAML(f *testing.F) {
	for _, seed := range []string{
		"a: 1\n", "identifiant: 3\nstatus: operational\n", "a: &x 1\nb: *x\n", "a:\n  - {b: c}\n", "\xef\xbb\xbf", "a: [1, 2\n", "a: !!binary AWJj\n", "a: !!str 1\n", "a: 2025-01-02\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, fs := parseYAML("f.yaml", src)
		if doc == nil && len(fs) == 0 {
			t.Fatal("refused without a finding")
		}
		if doc != nil && len(fs) > 0 {
			t.Fatal("accepted with findings")
		}
		if doc != nil {
			sameStrings(t, doc.root, doc.data)
		}
		for _, x := range fs {
			if x.Line < 1 || x.Col < 1 || x.Rule == "" || x.Msg == "" {
				t.Fatalf("incomplete finding %+v", x)
			}
		}
	})
}

// sameStrings checks that every string the schema sees is the string the
// program decodes from the same node.
func sameStrings(t *testing.T, n *yaml.Node, v any) {
	t.Helper()
	switch v := v.(type) {
	case map[string]any:
		for i := 0; i+1 < len(n.Content); i += 2 {
			sameStrings(t, n.Content[i+1], v[n.Content[i].Value])
		}
	case []any:
		for i, c := range n.Content {
			sameStrings(t, c, v[i])
		}
	case string:
		var s string
		if err := n.Decode(&s); err == nil && s != v {
			t.Fatalf("line %d: the schema sees %q but the program reads %q", n.Line, v, s)
		}
	}
}
