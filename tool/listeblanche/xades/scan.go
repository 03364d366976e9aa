package xades

import (
	"bytes"
	"fmt"
	"strings"
)

// scanner reads the XML this package accepts in one pass over the bytes,
// telling a handler what it meets. It is strict: what it accepts is
// well-formed XML 1.0 with namespaces; what the profile forbids (DOCTYPE,
// comments, processing instructions) it refuses where it meets it.
type scanner struct {
	data  []byte
	pos   int
	lim   Limits
	doc   *document
	h     handler
	text  []byte            // the character data being gathered
	names map[string]string // interned tag and attribute names
	attrs []rawAttr
}

// handler receives what the scanner reads: elements with their
// attributes and the namespaces in scope, and runs of character data with
// references resolved and line ends normalised.
type handler interface {
	start(space, tag, qname string, attrs []rawAttr, scope *ns) error
	text(run []byte) error
	end() error
}

func (s *scanner) errorf(kind error, format string, args ...any) error {
	line := 1 + bytes.Count(s.data[:min(s.pos, len(s.data))], []byte("\n"))
	return fmt.Errorf("%w: line %d: %s", kind, line, fmt.Sprintf(format, args...))
}

func (s *scanner) has(prefix string) bool {
	return len(s.data)-s.pos >= len(prefix) && string(s.data[s.pos:s.pos+len(prefix)]) == prefix
}

func (s *scanner) document() error {
	s.names = make(map[string]string, 64)
	if s.has("\xef\xbb\xbf") {
		s.pos = 3
	}
	if s.has("<?xml") && s.pos+5 < len(s.data) && (isSpace(s.data[s.pos+5]) || s.data[s.pos+5] == '?') {
		if err := s.declaration(); err != nil {
			return err
		}
	}
	if err := s.misc(); err != nil {
		return err
	}
	if s.pos >= len(s.data) || s.data[s.pos] != '<' {
		return s.errorf(ErrMalformed, "no root element")
	}
	if err := s.element(nil, 1); err != nil {
		return err
	}
	if err := s.misc(); err != nil {
		return err
	}
	if s.pos != len(s.data) {
		return s.errorf(ErrMalformed, "content after the root element")
	}
	return nil
}

// declaration reads <?xml version="1.0" encoding="UTF-8" standalone="…"?>.
func (s *scanner) declaration() error {
	s.pos += len("<?xml")
	version := false
	for {
		sp := s.skipSpace()
		if s.has("?>") {
			s.pos += 2
			break
		}
		if !sp {
			return s.errorf(ErrMalformed, "malformed XML declaration")
		}
		name, err := s.name()
		if err != nil {
			return err
		}
		s.skipSpace()
		if !s.has("=") {
			return s.errorf(ErrMalformed, "malformed XML declaration")
		}
		s.pos++
		s.skipSpace()
		if s.pos >= len(s.data) || (s.data[s.pos] != '"' && s.data[s.pos] != '\'') {
			return s.errorf(ErrMalformed, "malformed XML declaration")
		}
		q := s.data[s.pos]
		end := bytes.IndexByte(s.data[s.pos+1:], q)
		if end < 0 {
			return s.errorf(ErrMalformed, "malformed XML declaration")
		}
		value := string(s.data[s.pos+1 : s.pos+1+end])
		s.pos += end + 2
		switch {
		case name == "version" && !version && value == "1.0":
			version = true
		case name == "encoding" && version && strings.EqualFold(value, "UTF-8"):
		case name == "encoding" && version:
			return s.errorf(ErrMalformed, "the document declares encoding %q; only UTF-8 is accepted", value)
		case name == "standalone" && version && (value == "yes" || value == "no"):
		default:
			return s.errorf(ErrMalformed, "XML declaration: unexpected %s=%q (version 1.0 first, then encoding UTF-8 and standalone)", name, value)
		}
	}
	if !version {
		return s.errorf(ErrMalformed, "XML declaration without version")
	}
	return nil
}

// misc skips white space outside the root element, refusing anything else
// but the next tag.
func (s *scanner) misc() error {
	s.skipSpace()
	switch {
	case s.has("<!--"):
		return s.errorf(ErrForbidden, "an XML comment (comments are not covered by the signature)")
	case s.has("<?"):
		return s.errorf(ErrForbidden, "processing instruction <?%s", s.peekWord(2))
	case s.has("<!"):
		return s.errorf(ErrForbidden, "a DOCTYPE or other declaration <!%s>", s.peekWord(2))
	}
	return nil
}

func (s *scanner) peekWord(skip int) string {
	rest := s.data[s.pos+skip:]
	i := bytes.IndexAny(rest, " \t\r\n[>?")
	if i < 0 || i > 20 {
		i = min(len(rest), 20)
	}
	return string(rest[:i])
}

func (s *scanner) skipSpace() bool {
	start := s.pos
	for s.pos < len(s.data) && isSpace(s.data[s.pos]) {
		s.pos++
	}
	return s.pos > start
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// element reads an element whose '<' is at s.pos, and its content.
func (s *scanner) element(outer *ns, depth int) error {
	s.doc.elements++
	if s.doc.elements > s.lim.MaxElements {
		return s.errorf(ErrLimit, "more than %d elements", s.lim.MaxElements)
	}
	if depth > s.lim.MaxDepth {
		return s.errorf(ErrLimit, "elements nested deeper than %d", s.lim.MaxDepth)
	}
	s.pos++
	qn, err := s.name()
	if err != nil {
		return err
	}
	space, tag, err := s.split(qn)
	if err != nil {
		return err
	}
	s.attrs = s.attrs[:0]
	empty := false
	for {
		sp := s.skipSpace()
		if s.has("/>") {
			s.pos += 2
			empty = true
			break
		}
		if s.has(">") {
			s.pos++
			break
		}
		if !sp {
			return s.errorf(ErrMalformed, "<%s>: expected white space, > or />", qn)
		}
		if len(s.attrs) == s.lim.MaxAttrs {
			return s.errorf(ErrLimit, "element <%s> has more than %d attributes", qn, s.lim.MaxAttrs)
		}
		a, err := s.attribute()
		if err != nil {
			return err
		}
		s.attrs = append(s.attrs, a)
	}
	scope, err := declare(outer, space, tag, s.attrs)
	if err != nil {
		return err
	}
	if err := s.h.start(space, tag, qn, s.attrs, scope); err != nil {
		return err
	}
	if empty {
		// An empty root has no end tag to sign before (rootEnd stays -1);
		// the signer refuses it.
		return s.h.end()
	}
	return s.content(qn, scope, depth)
}

// attribute reads name="value".
func (s *scanner) attribute() (rawAttr, error) {
	qn, err := s.name()
	if err != nil {
		return rawAttr{}, err
	}
	space, key, err := s.split(qn)
	if err != nil {
		return rawAttr{}, err
	}
	if space == "" && key == "xmlns" {
		space, key = "", "xmlns"
	}
	s.skipSpace()
	if !s.has("=") {
		return rawAttr{}, s.errorf(ErrMalformed, "attribute %s has no value", qn)
	}
	s.pos++
	s.skipSpace()
	if s.pos >= len(s.data) || (s.data[s.pos] != '"' && s.data[s.pos] != '\'') {
		return rawAttr{}, s.errorf(ErrMalformed, "the value of attribute %s is not quoted", qn)
	}
	value, err := s.attrValue(s.data[s.pos])
	if err != nil {
		return rawAttr{}, err
	}
	return rawAttr{space: space, key: key, value: value}, nil
}
