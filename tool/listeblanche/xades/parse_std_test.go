package xades

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/beevik/etree"
)

// parseStd is the parser drimm used before its own scanner: it builds the
// same tree with encoding/xml, and serves as an oracle in the tests. It reads
// data into a tree, refusing anything a Liste Blanche never
// holds and a verifier must not process: DOCTYPE and entity declarations,
// processing instructions, comments (the signature does not cover them), a
// character set other than UTF-8, undeclared namespace prefixes, duplicate
// attributes, and anything beyond the limits.
func parseStd(data []byte, lim Limits) (*document, error) {
	if len(data) > lim.MaxBytes {
		return nil, fmt.Errorf("%w: the file is %d bytes, more than the %d allowed", ErrLimit, len(data), lim.MaxBytes)
	}
	offset := 0
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		offset = 3
	}
	dec := xml.NewDecoder(bytes.NewReader(data[offset:]))
	dec.Strict = true
	dec.Entity = nil
	dec.CharsetReader = func(charset string, _ io.Reader) (io.Reader, error) {
		return nil, fmt.Errorf("the document declares encoding %q; only UTF-8 is accepted", charset)
	}

	doc := &document{root: nil, rootEnd: -1}
	holder := etree.NewElement("")
	stack := []*etree.Element{holder}
	scopes := []*ns{nil}
	names := []string{""}
	// text gathers a run of character data (text, references, CDATA
	// sections) until the next tag, so that each run is one node.
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			stack[len(stack)-1].CreateText(text.String())
			text.Reset()
		}
	}
	for {
		start := int(dec.InputOffset())
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		if _, ok := tok.(xml.CharData); !ok {
			flush()
		}
		top := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) == 1 && doc.root != nil {
				return nil, fmt.Errorf("%w: more than one root element", ErrMalformed)
			}
			doc.elements++
			if doc.elements > lim.MaxElements {
				return nil, fmt.Errorf("%w: more than %d elements", ErrLimit, lim.MaxElements)
			}
			if len(stack) > lim.MaxDepth {
				return nil, fmt.Errorf("%w: elements nested deeper than %d", ErrLimit, lim.MaxDepth)
			}
			if len(t.Attr) > lim.MaxAttrs {
				return nil, fmt.Errorf("%w: element <%s> has more than %d attributes", ErrLimit, qname(t.Name), lim.MaxAttrs)
			}
			scope, err := declareStd(scopes[len(scopes)-1], t)
			if err != nil {
				return nil, err
			}
			el := top.CreateElement(qname(t.Name))
			for _, a := range t.Attr {
				el.CreateAttr(qname(a.Name), a.Value)
			}
			if len(el.Attr) != len(t.Attr) {
				return nil, fmt.Errorf("%w: element <%s> repeats an attribute", ErrMalformed, qname(t.Name))
			}
			if len(stack) == 1 {
				doc.root = el
			}
			stack = append(stack, el)
			scopes = append(scopes, scope)
			names = append(names, qname(t.Name))
		case xml.EndElement:
			if len(stack) == 1 || names[len(names)-1] != qname(t.Name) {
				return nil, fmt.Errorf("%w: end tag </%s> does not match", ErrMalformed, qname(t.Name))
			}
			if len(stack) == 2 {
				doc.rootEnd = offset + start
			}
			stack, scopes, names = stack[:len(stack)-1], scopes[:len(scopes)-1], names[:len(names)-1]
		case xml.CharData:
			if len(stack) == 1 {
				if len(bytes.TrimLeft(t, " \t\r\n")) != 0 {
					return nil, fmt.Errorf("%w: text outside the root element", ErrMalformed)
				}
				continue
			}
			text.Write(t)
		case xml.ProcInst:
			if t.Target == "xml" && start == 0 {
				continue
			}
			return nil, fmt.Errorf("%w: processing instruction <?%s?>", ErrForbidden, t.Target)
		case xml.Comment:
			return nil, fmt.Errorf("%w: an XML comment (comments are not covered by the signature)", ErrForbidden)
		case xml.Directive:
			return nil, fmt.Errorf("%w: a DOCTYPE or other declaration <!%s>", ErrForbidden, firstWordStd(t))
		}
	}
	if doc.root == nil {
		return nil, fmt.Errorf("%w: no root element", ErrMalformed)
	}
	if len(stack) != 1 {
		return nil, fmt.Errorf("%w: the document ends inside <%s>", ErrMalformed, names[len(names)-1])
	}
	doc.root.Parent().RemoveChild(doc.root)
	return doc, nil
}

// declareStd checks the namespace declarations and the prefixes of a start tag
// and returns the scope inside the element.
func declareStd(outer *ns, t xml.StartElement) (*ns, error) {
	scope := outer
	for _, a := range t.Attr {
		switch {
		case a.Name.Space == "xmlns":
			if a.Name.Local == "xmlns" || (a.Name.Local == "xml") != (a.Value == xmlNS) || a.Value == "" {
				return nil, fmt.Errorf("%w: invalid namespace declaration xmlns:%s=%q", ErrMalformed, a.Name.Local, a.Value)
			}
			scope = &ns{prefix: a.Name.Local, uri: a.Value, next: scope}
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			scope = &ns{prefix: "", uri: a.Value, next: scope}
		}
	}
	if _, ok := scope.lookup(t.Name.Space); !ok {
		return nil, fmt.Errorf("%w: undeclared namespace prefix %q on <%s>", ErrMalformed, t.Name.Space, qname(t.Name))
	}
	seen := make(map[xml.Name]bool, len(t.Attr))
	for _, a := range t.Attr {
		key := a.Name
		if a.Name.Space != "" && a.Name.Space != "xmlns" {
			uri, ok := scope.lookup(a.Name.Space)
			if !ok {
				return nil, fmt.Errorf("%w: undeclared namespace prefix %q on attribute %s", ErrMalformed, a.Name.Space, qname(a.Name))
			}
			key.Space = "{" + uri + "}"
		}
		if seen[key] {
			return nil, fmt.Errorf("%w: element <%s> repeats attribute %s", ErrMalformed, qname(t.Name), qname(a.Name))
		}
		seen[key] = true
	}
	return scope, nil
}

func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

func firstWordStd(d xml.Directive) string {
	s := strings.TrimSpace(string(d))
	if i := strings.IndexAny(s, " \t\r\n["); i > 0 {
		s = s[:i]
	}
	if len(s) > 20 {
		s = s[:20]
	}
	return s
}
