package registry

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/drim-m/trust-space/schemas"
)

// Record kinds, each with its schema file in schemas/.
const (
	KindTrustSpace = "trust-space"
	KindConditions = "conditions"
	KindOperator   = "operator"
	KindDRIMbox    = "drimbox"
	// KindIncident is an incident or maintenance notice under status/notices.
	KindIncident = "incident"
)

// Schemas are the compiled record schemas, with their raw JSON kept to
// suggest field names.
type Schemas struct {
	compiled map[string]*jsonschema.Schema
	raw      map[string]any
	// quick holds the schemas the quick walk may answer for, by kind.
	quick map[string]*jsonschema.Schema
}

var (
	loadOnce   sync.Once
	loaded     *Schemas
	loadErr    error
	unknownRe  = regexp.MustCompile(`additionalProperties (.+) not allowed`)
	quotedName = regexp.MustCompile(`'([^']*)'`)
)

// LoadSchemas compiles the embedded schemas once per process.
func LoadSchemas() (*Schemas, error) {
	loadOnce.Do(func() { loaded, loadErr = compileSchemas(schemas.FS) })
	return loaded, loadErr
}

func compileSchemas(fsys fs.FS) (*Schemas, error) {
	s := &Schemas{compiled: map[string]*jsonschema.Schema{}, raw: map[string]any{}, quick: map[string]*jsonschema.Schema{}}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	kinds := []string{KindTrustSpace, KindConditions, KindOperator, KindDRIMbox, KindIncident}
	for _, k := range kinds {
		name := k + ".schema.json"
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("reading schema %s: %w", name, err)
		}
		var raw any
		if err := json.Unmarshal(b, &raw); err != nil {
			return nil, fmt.Errorf("parsing schema %s: %w", name, err)
		}
		s.raw[name] = raw
		if err := c.AddResource(name, bytes.NewReader(b)); err != nil {
			return nil, fmt.Errorf("adding schema %s: %w", name, err)
		}
	}
	for _, k := range kinds {
		sch, err := c.Compile(k + ".schema.json")
		if err != nil {
			return nil, fmt.Errorf("compiling schema %s: %w", k, err)
		}
		s.compiled[k] = sch
		if q := quickSchema(sch); q != nil {
			s.quick[k] = q
		}
	}
	return s, nil
}

// Validate checks a parsed record against the schema of its kind and
// returns one finding per leaf error, positioned on the offending field.
func (s *Schemas) validate(kind string, doc *document) []Finding {
	if q := s.quick[kind]; q != nil && quickValid(q, doc.data) == valid {
		return nil
	}
	err := s.compiled[kind].Validate(doc.data)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []Finding{{Path: doc.path, Line: 1, Col: 1, Rule: "REG-SCHEMA", Msg: err.Error()}}
	}
	src := &Source{Path: doc.path, root: doc.root}
	var out []Finding
	seen := map[Finding]bool{}
	for _, leaf := range leaves(ve) {
		for _, f := range s.leafFinding(kind, src, leaf) {
			// A value can fail two keywords (pattern and format) with
			// the same hint: say it once.
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	return out
}

func leaves(ve *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(ve.Causes) == 0 {
		return []*jsonschema.ValidationError{ve}
	}
	var out []*jsonschema.ValidationError
	for _, c := range ve.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

func (s *Schemas) leafFinding(kind string, src *Source, e *jsonschema.ValidationError) []Finding {
	path := pointerPath(e.InstanceLocation)
	where := strings.Join(path, ".")
	if where == "" {
		where = "the record"
	}
	if m := unknownRe.FindStringSubmatch(e.Message); m != nil {
		allowed := s.allowedFields(kind, e.AbsoluteKeywordLocation)
		var out []Finding
		for _, q := range quotedName.FindAllStringSubmatch(m[1], -1) {
			name := q[1]
			line, col := src.KeyPos(append(path, name)...)
			msg := fmt.Sprintf("unknown field %q in %s", name, where)
			if sug := closest(name, allowed); sug != "" {
				msg += fmt.Sprintf("; did you mean %q?", sug)
			} else if len(allowed) > 0 {
				msg += fmt.Sprintf("; allowed fields: %s", strings.Join(allowed, ", "))
			}
			out = append(out, Finding{Path: src.Path, Line: line, Col: col, Rule: "REG-UNKNOWN-FIELD", Msg: msg})
		}
		return out
	}
	line, col := src.Pos(path...)
	msg := e.Message
	if hint := valueHint(src, path, msg); hint != "" {
		return []Finding{{Path: src.Path, Line: line, Col: col, Rule: "REG-SCHEMA", Msg: hint}}
	}
	if strings.HasPrefix(msg, "missing properties:") {
		msg = "missing required field(s) " + strings.ReplaceAll(strings.TrimSpace(strings.TrimPrefix(msg, "missing properties:")), "'", "") + " in " + where + "; add them (see schemas/" + kind + ".schema.json)"
	} else {
		msg = fmt.Sprintf("%s: %s; see schemas/%s.schema.json", where, msg, kind)
	}
	return []Finding{{Path: src.Path, Line: line, Col: col, Rule: "REG-SCHEMA", Msg: msg}}
}

// allowedFields resolves the schema object holding the failed
// additionalProperties keyword and lists its declared properties.
func (s *Schemas) allowedFields(kind, absLoc string) []string {
	file, ptr, _ := strings.Cut(absLoc, "#")
	file = file[strings.LastIndex(file, "/")+1:]
	node := s.raw[file]
	if node == nil {
		node = s.raw[kind+".schema.json"]
	}
	parts := pointerPath(ptr)
	if len(parts) > 0 {
		parts = parts[:len(parts)-1] // drop "additionalProperties"
	}
	for _, p := range parts {
		m, ok := node.(map[string]any)
		if !ok {
			return nil
		}
		node = m[p]
	}
	m, _ := node.(map[string]any)
	props, _ := m["properties"].(map[string]any)
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// closest returns the allowed name nearest to name, when near enough to be
// a likely typo.
func closest(name string, allowed []string) string {
	best, bestD := "", 1<<30
	for _, a := range allowed {
		d := editDistance(strings.ToLower(name), strings.ToLower(a))
		if d < bestD {
			best, bestD = a, d
		}
	}
	if bestD <= max(2, len(name)/3) {
		return best
	}
	return ""
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
