package registry

import (
	"encoding/binary"
	"strings"
	"unicode/utf8"
)

// The pieces of a line the index reader accepts. Each accepts less than
// YAML does: what it accepts, YAML reads as the text shows.

// indexText tells whether a record's bytes hold only what YAML reads as
// plain characters and line feeds: valid UTF-8 and printable, with no tab,
// CR, byte-order mark or the line breaks YAML 1.1 adds (NEL, LS, PS), and
// within the size a record may have.
func indexText(data []byte) bool {
	if len(data) > MaxFileSize {
		return false
	}
	for i := 0; i < len(data); {
		if i+8 <= len(data) && printable8(binary.LittleEndian.Uint64(data[i:])) {
			i += 8
			continue
		}
		c := data[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return false
		case r < 0xa0, r == 0x2028, r == 0x2029, r == 0xfeff, r >= 0xd800 && r < 0xe000, r == 0xfffe, r == 0xffff:
			return false
		}
		i += size
	}
	return true
}

// printable8 tells whether the eight bytes of x are all printable ASCII,
// 0x20 to 0x7e: a record is mostly such runs, and testing them a word at
// a time rather than a byte at a time halved indexText's cost. A word
// that holds a line feed or a multi-byte character fails, and the caller
// reads its first byte alone.
func printable8(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	if x&highs != 0 {
		return false
	}
	// With no high bit set, (x - n·ones) &^ x & highs is nonzero exactly
	// when some byte is below n, and one of x ^ 0x7f·ones is zero exactly
	// when some byte is DEL.
	del := x ^ 0x7f*ones
	return (x-0x20*ones)&^x&highs == 0 && (del-ones)&^del&highs == 0
}

// splitKey splits "key: value" or "key:" where key is a field name: an
// ASCII letter, then letters, digits, '_' or '-'.
func splitKey(s string) (key, value string, ok bool) {
	i := 0
	for i < len(s) && i < 128 {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && (c >= '0' && c <= '9' || c == '_' || c == '-') {
			i++
			continue
		}
		break
	}
	if i == 0 || i >= len(s) || s[i] != ':' {
		return "", "", false
	}
	key, value = s[:i], s[i+1:]
	if value == "" {
		return key, "", true
	}
	if value[0] != ' ' {
		return "", "", false
	}
	return key, strings.TrimLeft(value, " "), true
}

// fieldName tells whether s is a whole key splitKey reads: an ASCII
// letter, then letters, digits, '_' or '-', fewer than 128 in all.
func fieldName(s string) bool {
	if len(s) == 0 || len(s) >= 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && (c >= '0' && c <= '9' || c == '_' || c == '-')) {
			return false
		}
	}
	return true
}

// lineValue tells whether a value that is not an index field stands whole
// on its line: a one-line scalar, an empty collection or a one-line flow
// mapping of scalars.
func lineValue(v string) bool {
	switch {
	case v == "[]" || v == "{}":
		return true
	case v[0] == '{':
		return flowMapping(v)
	case v[0] == '"' || v[0] == '\'':
		_, ok := quoted(v)
		return ok
	}
	return blockPlain(v)
}

// quoted reads a scalar quoted on one line without escapes.
func quoted(v string) (string, bool) {
	q := v[0]
	if len(v) < 2 || v[len(v)-1] != q {
		return "", false
	}
	inner := v[1 : len(v)-1]
	if strings.IndexByte(inner, q) >= 0 || q == '"' && strings.IndexByte(inner, '\\') >= 0 {
		return "", false
	}
	return inner, true
}

// blockPlain tells whether v is a plain scalar YAML reads whole: it starts
// with a letter or digit, and holds no comment and no mapping indicator.
func blockPlain(v string) bool {
	c := v[0]
	if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
		return false
	}
	return !strings.Contains(v, " #") && !strings.Contains(v, ": ") && v[len(v)-1] != ':'
}

// flowMapping tells whether v is "{key: value, key: value}" on one line,
// each value quoted or a plain scalar of flow-safe characters, each key
// once.
func flowMapping(v string) bool {
	if len(v) < 2 || v[len(v)-1] != '}' {
		return false
	}
	s := v[1:]
	// Records hold many short flow mappings: their keys fit on the stack.
	var held [8]string
	keys := held[:0]
	for len(keys) < 64 {
		key, rest, ok := strings.Cut(s, ": ")
		if !ok {
			return false
		}
		if !fieldName(key) {
			return false
		}
		for _, seen := range keys {
			if seen == key {
				return false
			}
		}
		keys = append(keys, key)
		var val string
		if rest != "" && (rest[0] == '"' || rest[0] == '\'') {
			end := strings.IndexByte(rest[1:], rest[0])
			if end < 0 {
				return false
			}
			val, rest = rest[:end+2], rest[end+2:]
			if _, ok := quoted(val); !ok {
				return false
			}
		} else {
			end := flowEnd(rest)
			if end <= 0 {
				return false
			}
			val, rest = rest[:end], rest[end:]
			if !flowPlain(val) {
				return false
			}
		}
		switch {
		case rest == "}":
			return true
		case strings.HasPrefix(rest, ", "):
			s = rest[2:]
		default:
			return false
		}
	}
	return false // a long flow mapping is for the full parser
}

// flowPlain tells whether v is a plain scalar YAML reads whole inside a
// flow collection. The parser ends such a scalar at any of ",?[]{}"
// (libyaml's rule, stricter than the YAML spec's): "{a: b?c}" is
// malformed YAML to it, and a reader that took it whole would approve a
// record the parser refuses.
func flowPlain(v string) bool {
	c := v[0]
	if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') || v[len(v)-1] == ' ' {
		return false
	}
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case ',', '?', '[', ']', '{', '}', '#', ':':
			return false
		}
	}
	return true
}

// flowEnd is the index of the first ',' or '}' in s, or -1: a loop, as
// strings.IndexAny builds its set of bytes afresh on every call, which
// thousands of records' flow mappings felt.
func flowEnd(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == ',' || s[i] == '}' {
			return i
		}
	}
	return -1
}

// indexScalar reads an index field's one-line value: plain, or quoted
// without escapes. A plain value YAML would read as another type than a
// string, or differently from its text, is refused.
func indexScalar(s string) (string, bool) {
	if s[0] == '"' || s[0] == '\'' {
		return quoted(s)
	}
	if indexPlain(s) {
		return s, true
	}
	return "", false
}

// decimalString tells whether s is a plain decimal Identifiant.
func decimalString(s string) bool {
	if len(s) == 0 || len(s) > 9 || s[0] < '1' || s[0] > '9' {
		return false
	}
	return strings.Trim(s, "0123456789") == ""
}

// indexPlain tells whether YAML reads the plain scalar s as the string s.
func indexPlain(s string) bool {
	if !blockPlain(s) {
		return false
	}
	if c := s[0]; c >= '0' && c <= '9' {
		// Hexadecimal, as digests and serials are written: no YAML
		// number (0x needs an x) or date holds a, c, d or f, and a
		// 0b or 0B prefix with one of them is no binary number.
		return strings.Trim(s, "0123456789abcdefABCDEF") == "" && strings.ContainsAny(s, "acdfACDF")
	}
	switch s {
	case "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE":
		return false
	}
	return true
}
