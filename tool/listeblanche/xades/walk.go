package xades

import "fmt"

// Visitor receives what Walk reads.
type Visitor interface {
	// Start opens an element, named by namespace URI and local name, with
	// its attributes (namespace declarations left out).
	Start(uri, local string, attrs []Attr) error
	// Text is a run of character data, references resolved and line ends
	// normalised; the slice is only valid during the call.
	Text(run []byte) error
	// End closes the element last opened.
	End() error
}

// Attr is an attribute as Walk reports it.
type Attr struct {
	URI, Local, Value string
}

// Walk reads data with the same parser, bounds and refusals as Verify,
// without building a tree: for reading the content a verified signature
// covers, quickly.
func Walk(data []byte, lim Limits, v Visitor) error {
	lim = limitsOr(lim)
	if len(data) > lim.MaxBytes {
		return fmt.Errorf("%w: the file is %d bytes, more than the %d allowed", ErrLimit, len(data), lim.MaxBytes)
	}
	s := &scanner{data: data, lim: lim, doc: &document{rootEnd: -1}, h: &visiting{v: v}}
	return s.document()
}

// visiting adapts a Visitor to the scanner.
type visiting struct {
	v     Visitor
	attrs []Attr
}

func (w *visiting) start(space, tag, _ string, attrs []rawAttr, scope *ns) error {
	uri, _ := scope.lookup(space)
	w.attrs = w.attrs[:0]
	for _, a := range attrs {
		if a.space == "xmlns" || (a.space == "" && a.key == "xmlns") {
			continue
		}
		au := ""
		if a.space != "" {
			au, _ = scope.lookup(a.space)
		}
		w.attrs = append(w.attrs, Attr{URI: au, Local: a.key, Value: a.value})
	}
	return w.v.Start(uri, tag, w.attrs)
}

func (w *visiting) text(run []byte) error { return w.v.Text(run) }

func (w *visiting) end() error { return w.v.End() }
