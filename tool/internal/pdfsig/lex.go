package pdfsig

import (
	"bytes"
	"errors"
	"strconv"
)

// The objects this reader knows: just enough of PDF's syntax (ISO 32000-1
// 7.3) to read a signature dictionary and the fields that point to one.
type (
	dict  map[string]any
	array []any
	name  string
	ref   struct{ num, gen int64 }
	// hexString is a <…> string and where it stands in the file: Start
	// is the offset of "<", End the offset just after ">".
	hexString struct {
		raw        []byte
		start, end int64
	}
	literal []byte
)

// Limits that keep a hostile file's cost linear in its size.
const (
	maxDepth    = 32
	maxElements = 4096
)

var errSyntax = errors.New("not a PDF object")

// parser reads objects from b starting at i.
type parser struct {
	b     []byte
	i     int
	depth int
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0
}

func isDelim(c byte) bool { return bytes.IndexByte([]byte("()<>[]{}/%"), c) >= 0 }

func (p *parser) skipSpace() {
	for p.i < len(p.b) {
		switch c := p.b[p.i]; {
		case isSpace(c):
			p.i++
		case c == '%':
			for p.i < len(p.b) && p.b[p.i] != '\n' && p.b[p.i] != '\r' {
				p.i++
			}
		default:
			return
		}
	}
}

// regular reads a run of regular characters: a number or a keyword.
func (p *parser) regular() string {
	start := p.i
	for p.i < len(p.b) && !isSpace(p.b[p.i]) && !isDelim(p.b[p.i]) {
		p.i++
	}
	return string(p.b[start:p.i])
}

// value reads one object; an integer followed by another and R is a
// reference.
func (p *parser) value() (any, error) {
	p.skipSpace()
	if p.i >= len(p.b) {
		return nil, errSyntax
	}
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, errors.New("objects nested too deep")
	}
	switch c := p.b[p.i]; {
	case c == '/':
		p.i++
		return decodeName(p.regular()), nil
	case c == '<' && p.i+1 < len(p.b) && p.b[p.i+1] == '<':
		p.i += 2
		return p.dict()
	case c == '<':
		return p.hex()
	case c == '(':
		return p.literal()
	case c == '[':
		p.i++
		var a array
		for {
			p.skipSpace()
			if p.i < len(p.b) && p.b[p.i] == ']' {
				p.i++
				return a, nil
			}
			if len(a) >= maxElements {
				return nil, errors.New("an array too long")
			}
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
	case isDelim(c):
		return nil, errSyntax
	}
	tok := p.regular()
	n, err := strconv.ParseInt(tok, 10, 64)
	if err != nil {
		if _, ferr := strconv.ParseFloat(tok, 64); ferr == nil {
			return tok, nil
		}
		switch tok {
		case "true", "false", "null":
			return tok, nil
		}
		return nil, errSyntax
	}
	// "n g R" is a reference: look ahead without consuming otherwise.
	save := p.i
	p.skipSpace()
	if g, err := strconv.ParseInt(p.regular(), 10, 64); err == nil {
		p.skipSpace()
		if p.regular() == "R" {
			return ref{n, g}, nil
		}
	}
	p.i = save
	return n, nil
}

func (p *parser) dict() (dict, error) {
	d := dict{}
	for {
		p.skipSpace()
		if p.i+1 < len(p.b) && p.b[p.i] == '>' && p.b[p.i+1] == '>' {
			p.i += 2
			return d, nil
		}
		if len(d) >= maxElements {
			return nil, errors.New("a dictionary too long")
		}
		k, err := p.value()
		if err != nil {
			return nil, err
		}
		key, ok := k.(name)
		if !ok {
			return nil, errSyntax
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		if _, dup := d[string(key)]; dup {
			// Two readers could take either value: refuse the file.
			return nil, errors.New("a dictionary holds the key /" + string(key) + " twice")
		}
		d[string(key)] = v
	}
}

func (p *parser) hex() (hexString, error) {
	start := p.i
	end := bytes.IndexByte(p.b[p.i:], '>')
	if end < 0 {
		return hexString{}, errSyntax
	}
	p.i += end + 1
	return hexString{raw: p.b[start+1 : p.i-1], start: int64(start), end: int64(p.i)}, nil
}

func (p *parser) literal() (literal, error) {
	p.i++
	var out []byte
	for level := 1; p.i < len(p.b); p.i++ {
		switch c := p.b[p.i]; c {
		case '\\':
			p.i++
			if p.i < len(p.b) {
				out = append(out, p.b[p.i])
			}
			continue
		case '(':
			level++
		case ')':
			level--
			if level == 0 {
				p.i++
				return out, nil
			}
		}
		out = append(out, p.b[p.i])
	}
	return nil, errSyntax
}

// decodeName undoes #xx escapes: /S#69g is /Sig to every PDF reader.
func decodeName(s string) name {
	if !bytes.ContainsRune([]byte(s), '#') {
		return name(s)
	}
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '#' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				out = append(out, byte(v))
				i += 2
				continue
			}
		}
		out = append(out, s[i])
	}
	return name(out)
}
