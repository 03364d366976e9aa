package probe

import (
	"sort"
	"strings"
)

// SameDN tells whether two distinguished names written as strings
// (RFC 4514 style, as in the whitelist) name the same subject: the same
// attributes with the same values, whatever their order, attribute types
// compared without case, values exactly after unescaping.
func SameDN(a, b string) bool {
	x, y := dnAttrs(a), dnAttrs(b)
	if len(x) != len(y) || len(x) == 0 {
		return false
	}
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

// dnAttrs returns the sorted TYPE=value pairs of dn, or nil when it is not
// a DN.
func dnAttrs(dn string) []string {
	var out []string
	var cur strings.Builder
	escaped := false
	flush := func() bool {
		typ, val, ok := strings.Cut(cur.String(), "=")
		cur.Reset()
		typ = strings.ToUpper(strings.TrimSpace(typ))
		if !ok || typ == "" {
			return false
		}
		out = append(out, typ+"="+strings.TrimSpace(val))
		return true
	}
	for _, r := range dn {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped = false
		case r == '\\':
			escaped = true
		case r == ',' || r == '+':
			if !flush() {
				return nil
			}
		default:
			cur.WriteRune(r)
		}
	}
	if !flush() {
		return nil
	}
	sort.Strings(out)
	return out
}
