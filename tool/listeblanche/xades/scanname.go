package xades

import (
	"strings"
	"unicode/utf8"
)

// The names and characters of XML 1.0 (fifth edition), as the scanner
// reads them.

// split splits a QName at its colon.
func (s *scanner) split(qn string) (space, local string, err error) {
	i := strings.IndexByte(qn, ':')
	if i < 0 {
		return "", qn, nil
	}
	if i == 0 || i == len(qn)-1 || strings.IndexByte(qn[i+1:], ':') >= 0 {
		return "", "", s.errorf(ErrMalformed, "%q is not a qualified name", qn)
	}
	return qn[:i], qn[i+1:], nil
}

// name reads an XML Name and returns it interned.
func (s *scanner) name() (string, error) {
	start := s.pos
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		if c < utf8.RuneSelf {
			if isASCIINameChar(c) && (s.pos > start || !(c == '-' || c == '.' || c >= '0' && c <= '9')) {
				s.pos++
				continue
			}
			break
		}
		r, size := utf8.DecodeRune(s.data[s.pos:])
		if (r == utf8.RuneError && size <= 1) || !isNameRune(r, s.pos == start) {
			break
		}
		s.pos += size
	}
	if s.pos == start {
		return "", s.errorf(ErrMalformed, "expected a name")
	}
	b := s.data[start:s.pos]
	if n, ok := s.names[string(b)]; ok {
		return n, nil
	}
	n := string(b)
	s.names[n] = n
	return n, nil
}

func isASCIINameChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == ':' || c == '-' || c == '.'
}

// isNameRune tells the non-ASCII name characters of XML 1.0 (fifth edition).
func isNameRune(r rune, first bool) bool {
	switch {
	case r >= 0xC0 && r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x2FF, r >= 0x370 && r <= 0x37D,
		r >= 0x37F && r <= 0x1FFF, r >= 0x200C && r <= 0x200D, r >= 0x2070 && r <= 0x218F, r >= 0x2C00 && r <= 0x2FEF,
		r >= 0x3001 && r <= 0xD7FF, r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFFD, r >= 0x10000 && r <= 0xEFFFF:
		return true
	case first:
		return false
	}
	return r == 0xB7 || r >= 0x300 && r <= 0x36F || r >= 0x203F && r <= 0x2040
}

func isXMLChar(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}
