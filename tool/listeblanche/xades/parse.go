package xades

import (
	"errors"
	"fmt"

	"github.com/beevik/etree"
)

// Limits bound the work done on one input, so that a hostile file costs at
// most a few hundred milliseconds and a few tens of megabytes, whatever it
// holds.
type Limits struct {
	MaxBytes    int // size of the file
	MaxElements int // elements in the document
	MaxDepth    int // nesting of elements
	MaxAttrs    int // attributes (namespace declarations included) on one element
}

// DefaultLimits fit a Liste Blanche of some 30,000 entries.
var DefaultLimits = Limits{
	MaxBytes:    24 << 20,
	MaxElements: 400_000,
	MaxDepth:    32,
	MaxAttrs:    32,
}

// The kinds of refusal of the parser; verification errors wrap them.
var (
	ErrMalformed = errors.New("not well-formed XML")
	ErrForbidden = errors.New("forbidden XML construct")
	ErrLimit     = errors.New("input too large")
)

// document is a parsed XML document and what the signer and the verifier
// need to know about its bytes.
type document struct {
	root *etree.Element
	// rootEnd is the offset in the input of the root's end tag, where an
	// enveloped signature is inserted.
	rootEnd int
	// elements counts the elements.
	elements int
}

// ns is one namespace binding in scope; bindings form a linked list from
// the innermost element outwards.
type ns struct {
	prefix, uri string
	next        *ns
}

func (b *ns) lookup(prefix string) (string, bool) {
	for ; b != nil; b = b.next {
		if b.prefix == prefix {
			return b.uri, true
		}
	}
	switch prefix {
	case "":
		return "", true
	case "xml":
		return xmlNS, true
	}
	return "", false
}

const xmlNS = "http://www.w3.org/XML/1998/namespace"

// treeBuilder builds the etree tree of what the scanner reads.
type treeBuilder struct {
	s     *scanner
	root  *etree.Element
	stack []*etree.Element
}

func (b *treeBuilder) start(_, _, qname string, attrs []rawAttr, _ *ns) error {
	var el *etree.Element
	if len(b.stack) == 0 {
		el = etree.NewElement(qname)
		b.root = el
	} else {
		el = b.stack[len(b.stack)-1].CreateElement(qname)
	}
	for _, a := range attrs {
		el.CreateAttr(a.name(), a.value)
	}
	b.stack = append(b.stack, el)
	return nil
}

func (b *treeBuilder) text(run []byte) error {
	b.stack[len(b.stack)-1].CreateText(b.s.intern(run))
	return nil
}

func (b *treeBuilder) end() error {
	b.stack = b.stack[:len(b.stack)-1]
	return nil
}

// rawAttr is an attribute as written in a start tag.
type rawAttr struct {
	space, key, value string
}

func (a rawAttr) name() string {
	if a.space == "" {
		return a.key
	}
	return a.space + ":" + a.key
}

// declare checks the namespace declarations and the prefixes of a start tag
// and returns the scope inside the element.
func declare(outer *ns, space, tag string, attrs []rawAttr) (*ns, error) {
	scope := outer
	for _, a := range attrs {
		switch {
		case a.space == "xmlns":
			if a.key == "xmlns" || (a.key == "xml") != (a.value == xmlNS) || a.value == "" || a.value == "http://www.w3.org/2000/xmlns/" {
				return nil, fmt.Errorf("%w: invalid namespace declaration xmlns:%s=%q", ErrMalformed, a.key, a.value)
			}
			scope = &ns{prefix: a.key, uri: a.value, next: scope}
		case a.space == "" && a.key == "xmlns":
			if a.value == xmlNS || a.value == "http://www.w3.org/2000/xmlns/" {
				return nil, fmt.Errorf("%w: invalid default namespace %q", ErrMalformed, a.value)
			}
			scope = &ns{prefix: "", uri: a.value, next: scope}
		}
	}
	if _, ok := scope.lookup(space); !ok || space == "xmlns" {
		return nil, fmt.Errorf("%w: undeclared namespace prefix %q on <%s:%s>", ErrMalformed, space, space, tag)
	}
	for i, a := range attrs {
		uri := ""
		if a.space != "" && a.space != "xmlns" {
			var ok bool
			if uri, ok = scope.lookup(a.space); !ok {
				return nil, fmt.Errorf("%w: undeclared namespace prefix %q on attribute %s", ErrMalformed, a.space, a.name())
			}
		}
		for _, b := range attrs[:i] {
			same := b.key == a.key && b.space == a.space
			if !same && b.key == a.key && a.space != "" && a.space != "xmlns" && b.space != "" && b.space != "xmlns" {
				other, _ := scope.lookup(b.space)
				same = other == uri
			}
			if same {
				return nil, fmt.Errorf("%w: element <%s> repeats attribute %s", ErrMalformed, tag, a.name())
			}
		}
	}
	return scope, nil
}
