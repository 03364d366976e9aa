package plan

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// leaves flattens a record into its field paths as the YAML names them
// (dossier.documents[0].sha256) and their values, so that a plan can list
// every field a change touches, including fields no section of the plan
// knows yet.
func leaves(v any) map[string]string {
	out := map[string]string{}
	flatten(reflect.ValueOf(v), "", out)
	return out
}

func flatten(v reflect.Value, path string, out map[string]string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			flatten(v.Elem(), path, out)
		}
	case reflect.Struct:
		if s, ok := v.Interface().(fmt.Stringer); ok && v.NumField() == 1 {
			// A value type such as a duration reads as its text.
			out[path] = s.String()
			return
		}
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if strings.Contains(opts, "inline") || f.Anonymous && name == "" {
				// An embedded struct's fields are the record's own.
				flatten(v.Field(i), path, out)
				continue
			}
			if name == "" {
				name = strings.ToLower(f.Name)
			}
			flatten(v.Field(i), join(path, name), out)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			flatten(v.Index(i), path+"["+strconv.Itoa(i)+"]", out)
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		for _, k := range keys {
			flatten(v.MapIndex(k), join(path, fmt.Sprint(k)), out)
		}
	default:
		if !v.IsZero() {
			out[path] = fmt.Sprint(v.Interface())
		}
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// otherFields lists, as fields, every path whose value differs between two
// records and that covered does not claim: the sections above it speak of
// what they know, and this fallback makes sure no change is left unsaid.
func otherFields(base, head any, covered func(path string) bool) []Field {
	b, h := leaves(base), leaves(head)
	var paths []string
	for p, v := range h {
		if b[p] != v {
			paths = append(paths, p)
		}
	}
	for p := range b {
		if _, ok := h[p]; !ok {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	var out []Field
	for _, p := range paths {
		if !covered(p) {
			out = append(out, Field{Name: p, Old: b[p], New: h[p]})
		}
	}
	return out
}

// under tells whether a path is one of the prefixes or below one, list
// indices ignored: "dossier.documents" covers dossier.documents[2].sha256.
func under(path string, prefixes ...string) bool {
	plain := withoutIndices(path)
	for _, p := range prefixes {
		if plain == p || strings.HasPrefix(plain, p+".") || strings.HasPrefix(plain, p+"[") {
			return true
		}
	}
	return false
}

// withoutIndices drops the list indices of a path.
func withoutIndices(path string) string {
	var b strings.Builder
	skip := false
	for _, r := range path {
		switch {
		case r == '[':
			skip = true
		case r == ']':
			skip = false
		case !skip:
			b.WriteRune(r)
		}
	}
	return b.String()
}
