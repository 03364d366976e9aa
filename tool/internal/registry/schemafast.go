package registry

import (
	"encoding/json"
	"math/big"
	"strconv"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"go.yaml.in/yaml/v3"
)

// The schema library explains every failure it finds, and pays for that
// on every value it visits: a location string per property and item, a
// map of evaluated properties per object, a number parsed through big.Rat.
// A clean record, the common case by far, needs none of it. quickValid
// walks the same compiled schemas (the same regular expressions, the same
// format checkers) without those costs and answers yes only when the
// library would find nothing; for anything else the caller asks the
// library, which alone writes findings. FuzzQuickSchema holds the two
// together.

// verdict is what the quick walk knows of a value against a schema.
type verdict uint8

const (
	valid verdict = iota
	invalid
	// unsure: a keyword or a value the quick walk does not decide; the
	// library must.
	unsure
)

// and combines the verdicts of keywords that must all hold.
func (v verdict) and(w verdict) verdict {
	if v == invalid || w == invalid {
		return invalid
	}
	if v == unsure || w == unsure {
		return unsure
	}
	return valid
}

func (v verdict) not() verdict {
	switch v {
	case valid:
		return invalid
	case invalid:
		return valid
	}
	return unsure
}

// quickSchema returns s when the quick walk may answer for it, or nil.
func quickSchema(s *jsonschema.Schema) *jsonschema.Schema {
	if !quickSupported(s, map[*jsonschema.Schema]bool{}) || inPlaceCycle(s, map[*jsonschema.Schema]bool{}) {
		return nil
	}
	return s
}

// inPlaceCycle reports a schema that reaches itself without descending
// into the value: the library refuses such a loop with an error, and the
// quick walk would never end.
func inPlaceCycle(s *jsonschema.Schema, onPath map[*jsonschema.Schema]bool) bool {
	if s == nil {
		return false
	}
	if onPath[s] {
		return true
	}
	onPath[s] = true
	defer delete(onPath, s)
	subs := append([]*jsonschema.Schema{s.Ref, s.Not}, s.AllOf...)
	subs = append(subs, s.AnyOf...)
	subs = append(subs, s.OneOf...)
	for _, c := range subs {
		if inPlaceCycle(c, onPath) {
			return true
		}
	}
	return false
}

// quickSupported reports whether every schema reachable from s uses only
// keywords the quick walk decides exactly. A schema with any other keyword
// is always left to the library.
func quickSupported(s *jsonschema.Schema, seen map[*jsonschema.Schema]bool) bool {
	if s == nil || seen[s] {
		return true
	}
	seen[s] = true
	if s.RecursiveRef != nil || s.DynamicRef != nil || len(s.Constant) > 0 || s.If != nil ||
		s.MaxProperties != -1 || s.RegexProperties || len(s.PatternProperties) > 0 ||
		len(s.Dependencies) > 0 || len(s.DependentRequired) > 0 || len(s.DependentSchemas) > 0 ||
		s.UnevaluatedProperties != nil || s.UnevaluatedItems != nil || s.Items != nil ||
		s.AdditionalItems != nil || len(s.PrefixItems) > 0 || s.Contains != nil ||
		s.ContentEncoding != "" || s.ContentMediaType != "" || s.ContentSchema != nil ||
		s.ExclusiveMinimum != nil || s.ExclusiveMaximum != nil || s.MultipleOf != nil ||
		len(s.Extensions) > 0 {
		return false
	}
	if s.Format != "" && jsonschema.Formats[s.Format] == nil {
		return false
	}
	switch a := s.AdditionalProperties.(type) {
	case nil, bool:
	case *jsonschema.Schema:
		if !quickSupported(a, seen) {
			return false
		}
	default:
		return false
	}
	for _, t := range s.Types {
		switch t {
		case "null", "boolean", "number", "integer", "string", "array", "object":
		default:
			return false
		}
	}
	subs := []*jsonschema.Schema{s.Ref, s.Not, s.PropertyNames, s.Items2020}
	subs = append(subs, s.AllOf...)
	subs = append(subs, s.AnyOf...)
	subs = append(subs, s.OneOf...)
	for _, p := range s.Properties {
		subs = append(subs, p)
	}
	for _, c := range subs {
		if !quickSupported(c, seen) {
			return false
		}
	}
	return true
}

// quickValid walks v, a value as toValue builds it, against s.
func quickValid(s *jsonschema.Schema, v any) verdict {
	if s.Always != nil {
		if *s.Always {
			return valid
		}
		return invalid
	}
	out := valid
	if len(s.Types) > 0 {
		out = quickType(s.Types, v)
		if out == invalid {
			return invalid
		}
	}
	if len(s.Enum) > 0 {
		out = out.and(quickEnum(s.Enum, v))
	}
	if _, text := v.(string); !text && s.Format != "" && !jsonschema.Formats[s.Format](v) {
		return invalid
	}
	switch v := v.(type) {
	case map[string]any:
		out = out.and(quickObject(s, v))
	case []any:
		out = out.and(quickArray(s, v))
	case string:
		if s.MinLength != -1 || s.MaxLength != -1 {
			n := utf8.RuneCountInString(v)
			if s.MinLength != -1 && n < s.MinLength || s.MaxLength != -1 && n > s.MaxLength {
				return invalid
			}
		}
		if (s.Format != "" || s.Pattern != nil) && !textOK(s, v) {
			return invalid
		}
	case json.Number:
		if s.Minimum != nil || s.Maximum != nil {
			out = out.and(quickRange(s, v))
		}
	}
	if out == invalid {
		return invalid
	}
	out = out.and(applicators(s, func(a *jsonschema.Schema) verdict { return quickValid(a, v) }))
	return out
}

func quickType(types []string, v any) verdict {
	var have string
	switch v.(type) {
	case nil:
		have = "null"
	case bool:
		have = "boolean"
	case json.Number:
		have = "number"
	case string:
		have = "string"
	case []any:
		have = "array"
	case map[string]any:
		have = "object"
	default:
		return unsure
	}
	out := invalid
	for _, t := range types {
		if t == have {
			return valid
		}
		if t == "integer" && have == "number" {
			// 7 is an integer; whether 7.0 or 7e0 is one the library
			// decides.
			if _, err := strconv.ParseInt(string(v.(json.Number)), 10, 64); err == nil {
				return valid
			}
			out = unsure
		}
	}
	return out
}

// quickEnum decides text against enumerations; the library compares
// other values by its own rules.
func quickEnum(enum []any, v any) verdict {
	s, ok := v.(string)
	if !ok {
		return unsure
	}
	for _, e := range enum {
		if e, ok := e.(string); ok && e == s {
			return valid
		}
	}
	return invalid
}

func quickRange(s *jsonschema.Schema, v json.Number) verdict {
	i, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return unsure
	}
	n := new(big.Rat).SetInt64(i)
	if s.Minimum != nil && n.Cmp(s.Minimum) < 0 || s.Maximum != nil && n.Cmp(s.Maximum) > 0 {
		return invalid
	}
	return valid
}

func quickObject(s *jsonschema.Schema, v map[string]any) verdict {
	if s.MinProperties != -1 && len(v) < s.MinProperties {
		return invalid
	}
	for _, name := range s.Required {
		if _, ok := v[name]; !ok {
			return invalid
		}
	}
	out := valid
	for name, pv := range v {
		if s.PropertyNames != nil {
			if out = out.and(quickValid(s.PropertyNames, name)); out == invalid {
				return invalid
			}
		}
		if ps, ok := s.Properties[name]; ok {
			out = out.and(quickValid(ps, pv))
		} else {
			switch a := s.AdditionalProperties.(type) {
			case bool:
				if !a {
					return invalid
				}
			case *jsonschema.Schema:
				out = out.and(quickValid(a, pv))
			}
		}
		if out == invalid {
			return invalid
		}
	}
	return out
}

func quickArray(s *jsonschema.Schema, v []any) verdict {
	if s.MinItems != -1 && len(v) < s.MinItems || s.MaxItems != -1 && len(v) > s.MaxItems {
		return invalid
	}
	out := valid
	if s.UniqueItems {
		out = quickUnique(v)
		if out == invalid {
			return invalid
		}
	}
	if s.Items2020 != nil {
		for _, item := range v {
			if out = out.and(quickValid(s.Items2020, item)); out == invalid {
				return invalid
			}
		}
	}
	return out
}

// quickUnique decides lists of text, the only lists records require to be
// unique; the library compares other values by its own rules.
func quickUnique(v []any) verdict {
	seen := make(map[string]bool, len(v))
	for _, item := range v {
		s, ok := item.(string)
		if !ok {
			return unsure
		}
		if seen[s] {
			return invalid
		}
		seen[s] = true
	}
	return valid
}

// applicators is the verdict of s's $ref, not, allOf, anyOf and oneOf on
// one instance, each subschema judged by judge: the same for a value and
// for a quick tree's node.
func applicators(s *jsonschema.Schema, judge func(*jsonschema.Schema) verdict) verdict {
	out := valid
	if s.Ref != nil {
		out = out.and(judge(s.Ref))
	}
	if s.Not != nil {
		out = out.and(judge(s.Not).not())
	}
	for _, a := range s.AllOf {
		out = out.and(judge(a))
	}
	if len(s.AnyOf) > 0 {
		some := invalid
		for _, a := range s.AnyOf {
			if r := judge(a); r == valid {
				some = valid
				break
			} else if r == unsure {
				some = unsure
			}
		}
		out = out.and(some)
	}
	if len(s.OneOf) > 0 {
		matched, unsureCount := 0, 0
		for _, a := range s.OneOf {
			switch judge(a) {
			case valid:
				matched++
			case unsure:
				unsureCount++
			}
		}
		switch {
		case matched > 1:
			out = invalid
		case unsureCount > 0:
			out = out.and(unsure)
		case matched == 0:
			out = invalid
		}
	}
	return out
}

// quickValidNode is quickValid on a quick tree (see quickTree), read as
// toValue would read it, without building the maps and lists toValue
// builds: a clean record's schema check then allocates nothing.
func quickValidNode(s *jsonschema.Schema, n *yaml.Node) verdict {
	if n.Anchor != "" || n.Kind == yaml.AliasNode || n.Style&yaml.TaggedStyle != 0 {
		return unsure // toValue refuses these; a quick tree has none
	}
	var shape any
	switch n.Kind {
	case yaml.ScalarNode:
		return quickValid(s, scalarValue(n))
	case yaml.MappingNode:
		shape = map[string]any(nil)
	case yaml.SequenceNode:
		shape = []any(nil)
	default:
		return unsure
	}
	if s.Always != nil {
		return quickValid(s, shape)
	}
	if s.Format != "" {
		return unsure
	}
	out := valid
	if len(s.Types) > 0 {
		if out = quickType(s.Types, shape); out == invalid {
			return invalid
		}
	}
	if len(s.Enum) > 0 {
		out = out.and(quickEnum(s.Enum, shape))
	}
	if n.Kind == yaml.MappingNode {
		out = out.and(quickObjectNode(s, n))
	} else {
		out = out.and(quickArrayNode(s, n))
	}
	if out == invalid {
		return invalid
	}
	out = out.and(applicators(s, func(a *jsonschema.Schema) verdict { return quickValidNode(a, n) }))
	return out
}

// quickObjectNode is quickObject on a mapping node whose keys are plain
// scalars, each once (as in a quick tree; anything else is unsure).
func quickObjectNode(s *jsonschema.Schema, n *yaml.Node) verdict {
	pairs := len(n.Content) / 2
	if s.MinProperties != -1 && pairs < s.MinProperties {
		return invalid
	}
	for _, name := range s.Required {
		if !hasKey(n.Content, name) {
			return invalid
		}
	}
	out := valid
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" || k.Style&yaml.TaggedStyle != 0 || k.Anchor != "" || hasKey(n.Content[:i], k.Value) {
			return unsure
		}
		if s.PropertyNames != nil {
			if out = out.and(quickValid(s.PropertyNames, k.Value)); out == invalid {
				return invalid
			}
		}
		if ps, ok := s.Properties[k.Value]; ok {
			out = out.and(quickValidNode(ps, v))
		} else {
			switch a := s.AdditionalProperties.(type) {
			case bool:
				if !a {
					return invalid
				}
			case *jsonschema.Schema:
				out = out.and(quickValidNode(a, v))
			}
		}
		if out == invalid {
			return invalid
		}
	}
	return out
}

// hasKey tells whether the keys and values of a mapping hold key.
func hasKey(content []*yaml.Node, key string) bool {
	for i := 0; i+1 < len(content); i += 2 {
		if content[i].Value == key {
			return true
		}
	}
	return false
}

func quickArrayNode(s *jsonschema.Schema, n *yaml.Node) verdict {
	items := n.Content
	if s.MinItems != -1 && len(items) < s.MinItems || s.MaxItems != -1 && len(items) > s.MaxItems {
		return invalid
	}
	out := valid
	if s.UniqueItems {
		values := make([]any, len(items))
		for i, item := range items {
			if item.Kind != yaml.ScalarNode {
				return unsure
			}
			values[i] = scalarValue(item)
		}
		if out = quickUnique(values); out == invalid {
			return invalid
		}
	}
	if s.Items2020 != nil {
		for _, item := range items {
			if out = out.and(quickValidNode(s.Items2020, item)); out == invalid {
				return invalid
			}
		}
	}
	return out
}
