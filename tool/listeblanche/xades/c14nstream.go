package xades

import (
	"bytes"
	"slices"
	"strings"

	"github.com/beevik/etree"
)

// excC14N writes the exclusive canonical form (without comments, no
// inclusive prefixes) of el, in the context of its ancestors, leaving out
// the element skip, in one pass and without copying the tree.
//
// goxmldsig's canonicaliser copies the tree twice and keeps a map of
// namespaces per element, which is too slow for a list of ten thousand
// entries, and departs from the recommendation (and from libxml2, which
// xmlsec1 uses) in two corners: it writes a superfluous xmlns="" and orders
// same-named attributes of different namespaces by name. The tests hold
// this writer to xmllint --exc-c14n, and to goxmldsig outside those corners.
func excC14N(el *etree.Element, skip *etree.Element) []byte {
	w := &c14nWriter{skip: skip}
	w.buf.Grow(1 << 12)
	w.element(el, ancestorScope(el), nil)
	return w.buf.Bytes()
}

// ancestorScope returns the namespace bindings el inherits.
func ancestorScope(el *etree.Element) *ns {
	var chain []*etree.Element
	for p := el.Parent(); p != nil; p = p.Parent() {
		chain = append(chain, p)
	}
	var scope *ns
	for i := len(chain) - 1; i >= 0; i-- {
		for _, a := range chain[i].Attr {
			switch {
			case a.Space == "xmlns":
				scope = &ns{prefix: a.Key, uri: a.Value, next: scope}
			case a.Space == "" && a.Key == "xmlns":
				scope = &ns{prefix: "", uri: a.Value, next: scope}
			}
		}
	}
	return scope
}

type c14nWriter struct {
	buf   bytes.Buffer
	skip  *etree.Element
	nsd   []rawAttr // scratch: namespace declarations to render
	atts  []rawAttr // scratch: attributes to render
	attrs []rawAttr // scratch: an etree element's attributes
}

// rendered is a namespace declaration already in the output, on the
// element or an output ancestor.
type rendered struct {
	prefix, uri string
	next        *rendered
}

func (r *rendered) lookup(prefix string) (string, bool) {
	for ; r != nil; r = r.next {
		if r.prefix == prefix {
			return r.uri, true
		}
	}
	return "", false
}

// inScope adds the namespace declarations among attrs to scope.
func inScope(scope *ns, attrs []rawAttr) *ns {
	for _, a := range attrs {
		switch {
		case a.space == "xmlns":
			scope = &ns{prefix: a.key, uri: a.value, next: scope}
		case a.space == "" && a.key == "xmlns":
			scope = &ns{prefix: "", uri: a.value, next: scope}
		}
	}
	return scope
}

func (w *c14nWriter) element(el *etree.Element, outer *ns, out *rendered) {
	w.attrs = w.attrs[:0]
	for _, a := range el.Attr {
		w.attrs = append(w.attrs, rawAttr{space: a.Space, key: a.Key, value: a.Value})
	}
	scope := inScope(outer, w.attrs)
	out = w.open(el.Space, el.FullTag(), w.attrs, scope, out)
	for _, t := range el.Child {
		switch t := t.(type) {
		case *etree.Element:
			if t != w.skip {
				w.element(t, scope, out)
			}
		case *etree.CharData:
			escapeText(&w.buf, t.Data)
		}
	}
	w.close(el.FullTag())
}

// open writes the canonical start tag of an element whose own prefix is
// space, with the namespaces it visibly uses that the output ancestors (out)
// do not already declare, then its attributes in canonical order. scope
// holds the namespaces in scope on the element. It returns the namespaces
// rendered for its content.
func (w *c14nWriter) open(space, qname string, attrs []rawAttr, scope *ns, out *rendered) *rendered {
	w.nsd = w.nsd[:0]
	w.atts = w.atts[:0]
	use := func(prefix string) {
		if prefix == "xml" {
			return
		}
		uri, _ := scope.lookup(prefix)
		have, ok := out.lookup(prefix)
		if (ok && have == uri) || (!ok && prefix == "" && uri == "") {
			return
		}
		for _, d := range w.nsd {
			if d.key == prefix {
				return
			}
		}
		w.nsd = append(w.nsd, rawAttr{key: prefix, value: uri})
	}
	use(space)
	for _, a := range attrs {
		if a.space == "xmlns" || (a.space == "" && a.key == "xmlns") {
			continue
		}
		if a.space != "" {
			use(a.space)
		}
		w.atts = append(w.atts, a)
	}
	if len(w.nsd) > 1 {
		slices.SortFunc(w.nsd, func(a, b rawAttr) int { return strings.Compare(a.key, b.key) })
	}
	if len(w.atts) > 1 {
		slices.SortFunc(w.atts, func(a, b rawAttr) int {
			if c := strings.Compare(attrURI(a, scope), attrURI(b, scope)); c != 0 {
				return c
			}
			return strings.Compare(a.key, b.key)
		})
	}
	w.buf.WriteByte('<')
	w.buf.WriteString(qname)
	for _, d := range w.nsd {
		out = &rendered{prefix: d.key, uri: d.value, next: out}
		if d.key == "" {
			w.buf.WriteString(` xmlns="`)
		} else {
			w.buf.WriteString(` xmlns:`)
			w.buf.WriteString(d.key)
			w.buf.WriteString(`="`)
		}
		escapeAttr(&w.buf, d.value)
		w.buf.WriteByte('"')
	}
	for _, a := range w.atts {
		w.buf.WriteByte(' ')
		w.buf.WriteString(a.name())
		w.buf.WriteString(`="`)
		escapeAttr(&w.buf, a.value)
		w.buf.WriteByte('"')
	}
	w.buf.WriteByte('>')
	return out
}

func (w *c14nWriter) close(qname string) {
	w.buf.WriteString("</")
	w.buf.WriteString(qname)
	w.buf.WriteByte('>')
}

// attrURI is the namespace of an attribute: none when unprefixed.
func attrURI(a rawAttr, scope *ns) string {
	if a.space == "" {
		return ""
	}
	uri, _ := scope.lookup(a.space)
	return uri
}

func escapeText(b *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\r':
			esc = "&#xD;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
}

func escapeTextBytes(b *bytes.Buffer, s []byte) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\r':
			esc = "&#xD;"
		default:
			continue
		}
		b.Write(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.Write(s[last:])
}

func escapeAttr(b *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '"':
			esc = "&quot;"
		case '\t':
			esc = "&#x9;"
		case '\n':
			esc = "&#xA;"
		case '\r':
			esc = "&#xD;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
}
