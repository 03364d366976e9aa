package xades

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// content reads the content of the element qn up to its end tag.
func (s *scanner) content(qn string, scope *ns, depth int) error {
	s.text = s.text[:0]
	flush := func() error {
		if len(s.text) == 0 {
			return nil
		}
		err := s.h.text(s.text)
		s.text = s.text[:0]
		return err
	}
	for {
		tail, err := s.chars()
		if err != nil {
			return err
		}
		s.text = append(s.text, s.data[tail:s.pos]...)
		if s.pos >= len(s.data) {
			return s.errorf(ErrMalformed, "the document ends inside <%s>", qn)
		}
		switch {
		case s.has("</"):
			if err := flush(); err != nil {
				return err
			}
			at := s.pos
			s.pos += 2
			if !s.endName(qn) {
				end, err := s.name()
				if err != nil {
					return err
				}
				if end != qn {
					return s.errorf(ErrMalformed, "end tag </%s> does not match <%s>", end, qn)
				}
			}
			s.skipSpace()
			if !s.has(">") {
				return s.errorf(ErrMalformed, "malformed end tag </%s", qn)
			}
			s.pos++
			if depth == 1 {
				s.doc.rootEnd = at
			}
			return s.h.end()
		case s.has("<![CDATA["):
			s.pos += len("<![CDATA[")
			end := bytes.Index(s.data[s.pos:], []byte("]]>"))
			if end < 0 {
				return s.errorf(ErrMalformed, "unterminated CDATA section")
			}
			if err := s.raw(s.pos + end); err != nil {
				return err
			}
			s.pos += len("]]>")
		case s.has("<!--"):
			return s.errorf(ErrForbidden, "an XML comment (comments are not covered by the signature)")
		case s.has("<?"):
			return s.errorf(ErrForbidden, "processing instruction <?%s", s.peekWord(2))
		case s.has("<!"):
			return s.errorf(ErrForbidden, "a DOCTYPE or other declaration <!%s>", s.peekWord(2))
		case s.has("<"):
			if err := flush(); err != nil {
				return err
			}
			if err := s.element(scope, depth+1); err != nil {
				return err
			}
			s.text = s.text[:0]
		}
	}
}

// endName moves past qn when it is the name at s.pos, as name would read
// it: qn, then a character that cannot continue a name. It compares bytes
// where name would look the name up; a case it cannot tell is left to name.
func (s *scanner) endName(qn string) bool {
	rest := s.data[s.pos:]
	if len(rest) <= len(qn) || string(rest[:len(qn)]) != qn {
		return false
	}
	if c := rest[len(qn)]; c >= utf8.RuneSelf || isASCIINameChar(c) {
		return false
	}
	s.pos += len(qn)
	return true
}

// intern returns text as a string, shared with earlier equal runs of white
// space: the indentation of a list repeats a few strings a hundred thousand
// times.
func (s *scanner) intern(text []byte) string {
	if len(text) > 64 || len(bytes.TrimLeft(text, " \t\n")) != 0 {
		return string(text)
	}
	if v, ok := s.names[string(text)]; ok {
		return v
	}
	v := string(text)
	s.names[v] = v
	return v
}

// raw appends the characters up to limit to s.text as they are (a CDATA
// section), but for line ends, which become LF.
func (s *scanner) raw(limit int) error {
	for s.pos < limit {
		c := s.data[s.pos]
		switch {
		case c == '\r':
			s.text = append(s.text, '\n')
			s.pos++
			if s.pos < limit && s.data[s.pos] == '\n' {
				s.pos++
			}
		case c < 0x20 && c != '\t' && c != '\n':
			return s.errorf(ErrMalformed, "control character %#x", c)
		case c < utf8.RuneSelf:
			s.text = append(s.text, c)
			s.pos++
		default:
			begin := s.pos
			if err := s.char(); err != nil {
				return err
			}
			s.text = append(s.text, s.data[begin:s.pos]...)
		}
	}
	return nil
}

// chars scans character data from s.pos up to the next '<'. References
// and line ends are resolved into s.text as they come, with the plain runs
// before them; the plain run after the last one is left for the caller to
// copy: chars returns where it starts, and it ends at s.pos.
func (s *scanner) chars() (int, error) {
	start := s.pos
	for s.pos < len(s.data) {
		// Most of a list is plain ASCII text: skip it a byte at a time
		// with one look-up, and look closer at the rest only.
		i := s.pos
		for i < len(s.data) && !textStop[s.data[i]] {
			i++
		}
		s.pos = i
		if i == len(s.data) {
			break
		}
		c := s.data[s.pos]
		switch {
		case c == '<':
			return start, nil
		case c == '&':
			s.text = append(s.text, s.data[start:s.pos]...)
			if err := s.reference(); err != nil {
				return 0, err
			}
			start = s.pos
		case c == '\r':
			s.text = append(s.text, s.data[start:s.pos]...)
			s.text = append(s.text, '\n')
			s.pos++
			if s.pos < len(s.data) && s.data[s.pos] == '\n' {
				s.pos++
			}
			start = s.pos
		case c == ']':
			if s.has("]]>") {
				return 0, s.errorf(ErrMalformed, "]]> in character data")
			}
			s.pos++
		case c == '\n' || c == '\t':
			s.pos++
		case c < 0x20:
			return 0, s.errorf(ErrMalformed, "control character %#x", c)
		case c < utf8.RuneSelf:
			s.pos++
		default:
			if err := s.char(); err != nil {
				return 0, err
			}
		}
	}
	return start, nil
}

// textStop marks the bytes of character data that chars must look at:
// markup, references, line ends, ']' (of "]]>"), controls and the bytes of
// characters outside ASCII. Any other byte is a character as it stands.
var textStop = func() (t [256]bool) {
	for c := range t {
		t[c] = c == '<' || c == '&' || c == '\r' || c == ']' || (c < 0x20 && c != '\n' && c != '\t') || c >= utf8.RuneSelf
	}
	return t
}()

// char checks the character at s.pos and moves past it.
func (s *scanner) char() error {
	r, size := utf8.DecodeRune(s.data[s.pos:])
	if (r == utf8.RuneError && size <= 1) || !isXMLChar(r) {
		return s.errorf(ErrMalformed, "invalid UTF-8 or a character XML does not allow")
	}
	s.pos += size
	return nil
}

// reference reads &name; or &#n; or &#xh; at s.pos into s.text.
func (s *scanner) reference() error {
	end := bytes.IndexByte(s.data[s.pos:min(len(s.data), s.pos+12)], ';')
	if end < 0 {
		return s.errorf(ErrMalformed, "malformed reference %q", s.peekWord(0))
	}
	ref := string(s.data[s.pos+1 : s.pos+end])
	s.pos += end + 1
	switch ref {
	case "lt":
		s.text = append(s.text, '<')
	case "gt":
		s.text = append(s.text, '>')
	case "amp":
		s.text = append(s.text, '&')
	case "apos":
		s.text = append(s.text, '\'')
	case "quot":
		s.text = append(s.text, '"')
	default:
		if len(ref) < 2 || ref[0] != '#' {
			return s.errorf(ErrMalformed, "undefined entity reference &%s; (only &lt; &gt; &amp; &apos; &quot; are defined)", ref)
		}
		var n uint64
		var err error
		if ref[1] == 'x' {
			n, err = strconv.ParseUint(ref[2:], 16, 32)
		} else {
			n, err = strconv.ParseUint(ref[1:], 10, 32)
		}
		if err != nil || ref[1] == '+' || ref[1] == '-' || !isXMLChar(rune(n)) {
			return s.errorf(ErrMalformed, "invalid character reference &%s;", ref)
		}
		s.text = utf8.AppendRune(s.text, rune(n))
	}
	return nil
}

// attrValue reads a quoted attribute value, normalising white space as XML
// requires: each literal tab, line end or space becomes one space;
// characters written as references stay as they are.
func (s *scanner) attrValue(quote byte) (string, error) {
	s.pos++
	s.text = s.text[:0]
	start := s.pos
	for {
		if s.pos >= len(s.data) {
			return "", s.errorf(ErrMalformed, "unterminated attribute value")
		}
		c := s.data[s.pos]
		switch {
		case c == quote:
			s.text = append(s.text, s.data[start:s.pos]...)
			s.pos++
			v := string(s.text)
			s.text = s.text[:0]
			return v, nil
		case c == '<':
			return "", s.errorf(ErrMalformed, "< in an attribute value")
		case c == '&':
			s.text = append(s.text, s.data[start:s.pos]...)
			if err := s.reference(); err != nil {
				return "", err
			}
			start = s.pos
		case c == '\r':
			s.text = append(s.text, s.data[start:s.pos]...)
			s.text = append(s.text, ' ')
			s.pos++
			if s.pos < len(s.data) && s.data[s.pos] == '\n' {
				s.pos++
			}
			start = s.pos
		case c == '\n' || c == '\t':
			s.text = append(s.text, s.data[start:s.pos]...)
			s.text = append(s.text, ' ')
			s.pos++
			start = s.pos
		case c < 0x20:
			return "", s.errorf(ErrMalformed, "control character %#x", c)
		case c < utf8.RuneSelf:
			s.pos++
		default:
			if err := s.char(); err != nil {
				return "", err
			}
		}
	}
}
