package dn

import (
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"
)

// parser walks one DN; i is the offset of the next byte to read.
type parser struct {
	s string
	i int
}

func (p *parser) fail(at int, format string, args ...any) error {
	return &SyntaxError{DN: p.s, Offset: at, Msg: fmt.Sprintf(format, args...)}
}

// rdn reads attributes joined by "+" and stops at a comma or the end.
func (p *parser) rdn() (RDN, error) {
	var rdn RDN
	for {
		a, err := p.attr()
		if err != nil {
			return nil, err
		}
		rdn = append(rdn, a)
		if p.i == len(p.s) || p.s[p.i] == ',' {
			return rdn, nil
		}
		p.i++ // the plus sign value stopped at
	}
}

func (p *parser) attr() (Attr, error) {
	start := p.i
	eq := strings.IndexByte(p.s[start:], '=')
	if eq < 0 {
		return Attr{}, p.fail(start, "an attribute is not TYPE=value")
	}
	typ, err := p.attrType(p.s[start : start+eq])
	if err != nil {
		return Attr{}, err
	}
	p.i = start + eq + 1
	if p.i < len(p.s) && p.s[p.i] == '#' {
		return p.hexValue(typ)
	}
	v, err := p.stringValue()
	if err != nil {
		return Attr{}, err
	}
	if typ.oid != "" {
		// A type without a short name is written as hex: its value is
		// one string whichever way it was written.
		return Attr{Type: typ.name, Value: "#" + hex.EncodeToString(utf8StringDER(v)), Binary: true}, nil
	}
	return Attr{Type: typ.name, Value: v}, nil
}

// attrType reads a descr (letters, digits, hyphens, starting with a
// letter) or a numericoid, and names it as String writes it.
func (p *parser) attrType(t string) (attrType, error) {
	at := p.i
	switch {
	case t == "":
		return attrType{}, p.fail(at, "an attribute has no type before \"=\"")
	case t[0] >= '0' && t[0] <= '9':
		if !numericOID(t) {
			return attrType{}, p.fail(at, "%q is not an OID (numbers of at most nine digits separated by dots, no leading zeros)", t)
		}
		if name, ok := shortNames[t]; ok {
			return attrType{name: name}, nil
		}
		return attrType{name: t, oid: t}, nil
	}
	for k := 0; k < len(t); k++ {
		c := t[k]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || k > 0 && (c >= '0' && c <= '9' || c == '-')) {
			if c == ' ' {
				return attrType{}, p.fail(at+k, "a space in or around the attribute type %q; RFC 4514 writes none around \",\" \"+\" or \"=\"", t)
			}
			return attrType{}, p.fail(at+k, "%q is not an attribute type", t)
		}
	}
	if oid, ok := descrs[strings.ToLower(t)]; ok {
		return attrType{name: shortNames[oid]}, nil
	}
	return attrType{}, p.fail(at, "attribute type %q is not known; write its OID", t)
}

// attrType is a type as read: name as String writes it, and oid when the
// type has no short name.
type attrType struct{ name, oid string }

// stringValue reads an RFC 4514 string up to an unescaped "," or "+".
func (p *parser) stringValue() (string, error) {
	var b []byte
	start := p.i
	lastPlainSpace := false
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == ',' || c == '+':
			return p.endString(b, start, lastPlainSpace)
		case c == '\\':
			if p.i+1 >= len(p.s) {
				return "", p.fail(p.i, "a value ends with a lone backslash")
			}
			n := p.s[p.i+1]
			if strings.IndexByte(`"+,;<>\ #=`, n) >= 0 {
				b = append(b, n)
				p.i += 2
			} else if p.i+2 < len(p.s) && isHex(n) && isHex(p.s[p.i+2]) {
				x, _ := hex.DecodeString(p.s[p.i+1 : p.i+3])
				b = append(b, x[0])
				p.i += 3
			} else {
				return "", p.fail(p.i, "a backslash escapes neither a special character nor a hex pair")
			}
			lastPlainSpace = false
			continue
		case c == 0:
			return "", p.fail(p.i, "a NUL in a value must be written \\00")
		case strings.IndexByte(`";<>`, c) >= 0:
			return "", p.fail(p.i, "%q in a value must be escaped with a backslash", string(c))
		case c == ' ' && p.i == start:
			return "", p.fail(p.i, "a value starts with a space; RFC 4514 writes none after \"=\" (escape a leading space as \"\\ \")")
		}
		lastPlainSpace = c == ' '
		b = append(b, c)
		p.i++
	}
	return p.endString(b, start, lastPlainSpace)
}

func (p *parser) endString(b []byte, start int, lastPlainSpace bool) (string, error) {
	if lastPlainSpace {
		return "", p.fail(p.i-1, "a value ends with a space; RFC 4514 writes none before \",\" (escape a trailing space as \"\\ \")")
	}
	if !utf8.Valid(b) {
		return "", p.fail(start, "the hex pairs of a value do not make UTF-8")
	}
	return string(b), nil
}

// hexValue reads "#" and the hex of a DER value.
func (p *parser) hexValue(typ attrType) (Attr, error) {
	start := p.i
	p.i++
	for p.i < len(p.s) && p.s[p.i] != ',' && p.s[p.i] != '+' {
		p.i++
	}
	der, err := hex.DecodeString(p.s[start+1 : p.i])
	if err != nil || len(der) == 0 {
		return Attr{}, p.fail(start, "a value starting with \"#\" is not hex pairs (escape a leading \"#\" as \"\\#\")")
	}
	a, err := fromDER(typ, der)
	if err != nil {
		return Attr{}, p.fail(start, "%v", err)
	}
	return a, nil
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func numericOID(s string) bool {
	for _, arc := range strings.Split(s, ".") {
		// Nine digits keep an arc within an int wherever drimm runs.
		if arc == "" || len(arc) > 9 || len(arc) > 1 && arc[0] == '0' || strings.Trim(arc, "0123456789") != "" {
			return false
		}
	}
	return strings.Contains(s, ".")
}
