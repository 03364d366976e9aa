package registry

import (
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"go.yaml.in/yaml/v3"
)

// textSchemas returns every schema, reachable from the record schemas,
// that has a format or a pattern.
func textSchemas(t testing.TB) []*jsonschema.Schema {
	sch, err := LoadSchemas()
	if err != nil {
		t.Fatal(err)
	}
	var out []*jsonschema.Schema
	seen := map[*jsonschema.Schema]bool{}
	var walk func(s *jsonschema.Schema)
	some := func(v any) {
		switch v := v.(type) {
		case *jsonschema.Schema:
			walk(v)
		case []*jsonschema.Schema:
			for _, s := range v {
				walk(s)
			}
		}
	}
	walk = func(s *jsonschema.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		if s.Format != "" || s.Pattern != nil {
			out = append(out, s)
		}
		for _, p := range s.Properties {
			walk(p)
		}
		for _, p := range s.PatternProperties {
			walk(p)
		}
		for _, d := range s.DependentSchemas {
			walk(d)
		}
		some(s.AdditionalProperties)
		some(s.Items)
		some(s.AdditionalItems)
		for _, l := range [][]*jsonschema.Schema{s.PrefixItems, s.AllOf, s.AnyOf, s.OneOf} {
			some(l)
		}
		for _, x := range []*jsonschema.Schema{s.Ref, s.RecursiveRef, s.DynamicRef, s.Not, s.If, s.Then, s.Else,
			s.PropertyNames, s.UnevaluatedProperties, s.Items2020, s.Contains, s.UnevaluatedItems} {
			walk(x)
		}
	}
	for _, s := range sch.compiled {
		walk(s)
	}
	return out
}

// textValues returns the sample records' scalars and near misses of each.
func textValues(t testing.TB) []string {
	var out []string
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode {
			v := n.Value
			out = append(out, v, v+"x", " "+v, strings.ToUpper(v), strings.ToLower(v), v+"\n")
			if len(v) > 1 {
				out = append(out, v[1:], v[:len(v)-1])
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	for _, records := range sampleRecords(t) {
		for _, src := range records {
			var n yaml.Node
			if yaml.Unmarshal(src, &n) == nil {
				walk(&n)
			}
		}
	}
	return append(out, "", "é", "COND-01", "2025-02-30", "support@example.org")
}

// TestTextVerdictsRemembered holds the remembered format and pattern
// verdicts to the schema's own, on first sight and when remembered.
func TestTextVerdictsRemembered(t *testing.T) {
	schemas, values := textSchemas(t), textValues(t)
	passed, failed := 0, 0
	for _, s := range schemas {
		for _, v := range values {
			want := checkText(s, v)
			for range 2 {
				if got := textOK(s, v); got != want {
					t.Fatalf("schema %s on %q: remembered %v, the schema says %v", s.Location, v, got, want)
				}
			}
			if want {
				passed++
			} else {
				failed++
			}
		}
	}
	if passed == 0 || failed == 0 || len(schemas) < 5 {
		t.Fatalf("%d schemas with a format or pattern: %d values passed, %d failed", len(schemas), passed, failed)
	}
	for _, s := range schemas {
		m := memoOf(s)
		m.mu.RLock()
		n := len(m.seen)
		m.mu.RUnlock()
		if n > maxTextVerdicts {
			t.Errorf("schema %s remembers %d verdicts, more than %d", s.Location, n, maxTextVerdicts)
		}
	}
}

// FuzzTextVerdicts holds the remembered verdicts to the schema's own on
// any string.
func FuzzTextVerdicts(f *testing.F) {
	for _, v := range textValues(f) {
		f.Add(v)
	}
	schemas := textSchemas(f)
	f.Fuzz(func(t *testing.T, v string) {
		for _, s := range schemas {
			want := checkText(s, v)
			first, again := textOK(s, v), textOK(s, v)
			if first != want || again != want {
				t.Fatalf("schema %s on %q: the remembered verdict is not %v", s.Location, v, want)
			}
		}
	})
}

// TestByteRuns holds the patterns read without the engine to the engine.
func TestByteRuns(t *testing.T) {
	found := 0
	for _, s := range textSchemas(t) {
		b := runOf(s.Pattern)
		if b == nil {
			continue
		}
		found++
		for _, v := range append(textValues(t), strings.Repeat("a", 64), strings.Repeat("a", 65), strings.Repeat("0", 63)+"\xff", "ab\n") {
			if got, want := b.match(v), s.Pattern.MatchString(v); got != want {
				t.Errorf("pattern %s on %q: read %v, the engine says %v", s.Pattern, v, got, want)
			}
		}
	}
	for pattern, want := range map[string]bool{`^[0-9a-f]{64}$`: true, `^[0-9a-f]{2,64}$`: true, `^[0-9]+$`: true,
		`^COND-[0-9]{2}$`: false, `^[^<>&]+$`: false, `^[a-zé]{2}$`: false, `[0-9]{2}`: false, `(?m)^[0-9]{2}$`: false} {
		if got := runOf(regexp.MustCompile(pattern)) != nil; got != want {
			t.Errorf("pattern %s read without the engine: %v, want %v", pattern, got, want)
		}
	}
	if found < 2 {
		t.Fatalf("only %d schema patterns are read without the engine; the digests' should be", found)
	}
}
