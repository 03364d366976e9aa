// Package dn reads and writes distinguished names as the Liste Blanche
// writes DNCertificatOperateur (RFC 4514 style, most significant last):
// "CN=db3.test.mesimagesmedicales.fr,OU=312345678900017,O=…,ST=Gironde (33),C=FR".
// The registry, the probe and the test PKI all read DNs through it, so they
// agree on escapes and on what counts as the same subject.
package dn

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Attr is one attribute of a DN: its type in upper case and its value
// with escapes removed.
type Attr struct {
	Type, Value string
}

// Parse splits a DN into its attributes, in the order written. Commas and
// plus signs separate attributes unless a backslash escapes them.
func Parse(s string) ([]Attr, error) {
	if strings.TrimSpace(s) == "" {
		return nil, errors.New("empty distinguished name")
	}
	var attrs []Attr
	var cur strings.Builder
	flush := func() error {
		t, v, ok := strings.Cut(cur.String(), "=")
		cur.Reset()
		t, v = strings.ToUpper(strings.TrimSpace(t)), strings.TrimSpace(v)
		if !ok || t == "" || v == "" {
			return fmt.Errorf("%q: an attribute is not TYPE=value", s)
		}
		attrs = append(attrs, Attr{Type: t, Value: unescape(v)})
		return nil
	}
	escaped := false
	for _, r := range s {
		switch {
		case escaped:
			cur.WriteRune('\\')
			cur.WriteRune(r)
			escaped = false
		case r == '\\':
			escaped = true
		case r == ',' || r == '+':
			if err := flush(); err != nil {
				return nil, err
			}
		default:
			cur.WriteRune(r)
		}
	}
	if escaped {
		return nil, fmt.Errorf("%q ends with a lone backslash", s)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return attrs, nil
}

// Equal tells whether two DNs name the same subject: the same attributes
// with the same values, whatever their order. Malformed DNs are equal to
// nothing.
func Equal(a, b string) bool {
	x, errx := Parse(a)
	y, erry := Parse(b)
	if errx != nil || erry != nil || len(x) != len(y) {
		return false
	}
	key := func(a, b Attr) int { return strings.Compare(a.Type+"="+a.Value, b.Type+"="+b.Value) }
	slices.SortFunc(x, key)
	slices.SortFunc(y, key)
	return slices.Equal(x, y)
}

// Escape escapes a value so that it can be written in a DN.
func Escape(v string) string {
	return strings.NewReplacer(`\`, `\\`, ",", `\,`, "+", `\+`, `"`, `\"`, "<", `\<`, ">", `\>`, ";", `\;`, "=", `\=`).Replace(v)
}

func unescape(v string) string {
	if !strings.Contains(v, `\`) {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			i++
		}
		b.WriteByte(v[i])
	}
	return b.String()
}
