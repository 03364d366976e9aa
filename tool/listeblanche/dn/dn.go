// Package dn reads and writes distinguished names as the Liste Blanche
// writes DNCertificatOperateur (RFC 4514, most significant last):
// "CN=db3.test.mesimagesmedicales.fr,OU=312345678900017,O=…,ST=Gironde (33),C=FR".
//
// It is the one reader of DNs: the registry rules, the list builder, the
// probe (which reads the served certificate's subject with FromDER) and the
// test PKI go through it, so that escapes, hex values, attribute types
// written in another case or as OIDs, and spaces are read once, one way.
// Server then says whether a name has the one shape the lists use.
package dn

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Attr is one attribute of a DN. Type is the short name of a known type
// (CN, O, …) in upper case, or the dotted OID of another. Value is the
// value with its escapes and hex pairs decoded; when the value is not a
// string (or its type is not known), Binary is set and Value is "#" and the
// hex of its DER encoding, as RFC 4514 writes it.
type Attr struct {
	Type, Value string
	Binary      bool
}

// RDN is one relative distinguished name: one attribute, or several
// joined by "+" (multi-valued).
type RDN []Attr

// Name is a DN as written, most significant RDN last.
type Name []RDN

// SyntaxError says where a DN departs from RFC 4514.
type SyntaxError struct {
	DN     string
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%q is not an RFC 4514 distinguished name: at byte %d, %s", e.DN, e.Offset, e.Msg)
}

// Parse reads a DN written as RFC 4514 says: no space around "," "+" or
// "=", special characters escaped with a backslash, bytes as \XX hex
// pairs (which must make UTF-8), a value as "#" and the hex of its DER
// encoding. Attribute types are read whatever their case, or as OIDs.
func Parse(s string) (Name, error) {
	if s == "" {
		return nil, errors.New("empty distinguished name")
	}
	if !utf8.ValidString(s) {
		return nil, &SyntaxError{s, 0, "the text is not UTF-8"}
	}
	p := &parser{s: s}
	var n Name
	for {
		rdn, err := p.rdn()
		if err != nil {
			return nil, err
		}
		n = append(n, rdn)
		if p.i == len(s) {
			return n, nil
		}
		p.i++ // the comma rdn stopped at
	}
}

// String writes the name in the one form Parse reads back to it: short
// type names, only the characters RFC 4514 requires escaped escaped.
func (n Name) String() string {
	var b strings.Builder
	for i, rdn := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		for j, a := range rdn {
			if j > 0 {
				b.WriteByte('+')
			}
			b.WriteString(a.Type)
			b.WriteByte('=')
			if a.Binary {
				b.WriteString(a.Value)
			} else {
				b.WriteString(Escape(a.Value))
			}
		}
	}
	return b.String()
}

// Equal tells whether two names are the same: the same RDNs in the same
// order, each with the same attributes (in any order within a
// multi-valued RDN, as a SET has none) and the same decoded values.
func (n Name) Equal(m Name) bool {
	return slices.EqualFunc(n, m, func(a, b RDN) bool {
		if len(a) != len(b) {
			return false
		}
		x, y := slices.Clone(a), slices.Clone(b)
		slices.SortFunc(x, compareAttr)
		slices.SortFunc(y, compareAttr)
		return slices.Equal(x, y)
	})
}

func compareAttr(a, b Attr) int {
	if c := strings.Compare(a.Type, b.Type); c != 0 {
		return c
	}
	return strings.Compare(a.Value, b.Value)
}

// Equal tells whether two DNs written as strings are the same name.
// Malformed DNs are equal to nothing.
func Equal(a, b string) bool {
	x, errx := Parse(a)
	y, erry := Parse(b)
	return errx == nil && erry == nil && x.Equal(y)
}

// Escape escapes a value as String writes it: the characters RFC 4514
// requires escaped (" + , ; < > \ and NUL), a leading space or "#" and a
// trailing space.
func Escape(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == 0:
			b.WriteString(`\00`)
			continue
		case strings.IndexByte(`"+,;<>\`, c) >= 0,
			i == 0 && (c == ' ' || c == '#'),
			i == len(v)-1 && c == ' ':
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}
