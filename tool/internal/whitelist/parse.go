package whitelist

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/drim-m/trust-space/tool/internal/xades"
)

// ErrFormat marks a document that is not a Liste Blanche of format 1.0.0.
var ErrFormat = errors.New("not a Liste Blanche in format 1.0.0")

// domaineFields are the children of Domaine, in the order the format fixes.
var domaineFields = []string{"Identifiant", "db", "vi", "Denomination", "DNCertificatOperateur", "SupportContact", "DateMAJ"}

// Parse reads a list, signed or not, without checking any signature: use it
// for lists whose origin is known (diff, import). A relying party uses Verify
// instead. Parse refuses DOCTYPEs and entities, elements out of the format,
// and files over xades.DefaultLimits.MaxBytes; it checks the content with
// Check against the document's own namespace.
func Parse(data []byte) (*List, error) {
	if len(data) > xades.DefaultLimits.MaxBytes {
		return nil, fmt.Errorf("%w: the file is %d bytes, more than the %d allowed", ErrFormat, len(data), xades.DefaultLimits.MaxBytes)
	}
	p := &parser{dec: xml.NewDecoder(bytes.NewReader(data))}
	p.dec.Strict = true
	p.dec.CharsetReader = func(charset string, _ io.Reader) (io.Reader, error) {
		return nil, fmt.Errorf("encoding %q declared; only UTF-8 is accepted", charset)
	}
	l, err := p.list()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if err := l.Check(l.Namespace); err != nil {
		return nil, err
	}
	return l, nil
}

type parser struct {
	dec *xml.Decoder
}

// next returns the next start or end tag, skipping blank text and
// comments, and refusing other text, DOCTYPEs and processing instructions.
func (p *parser) next() (xml.Token, error) {
	for {
		tok, err := p.dec.Token()
		if err != nil {
			if err == io.EOF {
				return nil, fmt.Errorf("unexpected end of document")
			}
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement, xml.EndElement:
			return t, nil
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return nil, fmt.Errorf("unexpected text %q", truncate(string(t)))
			}
		case xml.Directive:
			return nil, fmt.Errorf("DOCTYPE and other declarations are not accepted")
		case xml.ProcInst:
			if t.Target != "xml" {
				return nil, fmt.Errorf("processing instruction <?%s?> is not accepted", t.Target)
			}
		}
	}
}

func (p *parser) start(ns, name string) (xml.StartElement, error) {
	tok, err := p.next()
	if err != nil {
		return xml.StartElement{}, err
	}
	s, ok := tok.(xml.StartElement)
	if !ok || s.Name.Local != name || s.Name.Space != ns {
		return xml.StartElement{}, fmt.Errorf("expected <%s>, found %s", name, describe(tok))
	}
	return s, nil
}

// text reads the text of a leaf element up to its end tag.
func (p *parser) text(name string) (string, error) {
	var b strings.Builder
	for {
		tok, err := p.dec.Token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if b.Len()+len(t) > 4096 {
				return "", fmt.Errorf("<%s> is longer than 4096 bytes", name)
			}
			b.Write(t)
		case xml.Comment:
		case xml.EndElement:
			return b.String(), nil
		default:
			return "", fmt.Errorf("<%s> holds %s, expected text only", name, describe(tok))
		}
	}
}

func (p *parser) list() (*List, error) {
	root, err := p.next()
	if err != nil {
		return nil, err
	}
	rs, ok := root.(xml.StartElement)
	if !ok || rs.Name.Local != "ListeBlancheDRIM-M" {
		return nil, fmt.Errorf("the root element is %s, expected <ListeBlancheDRIM-M>", describe(root))
	}
	l := &List{Namespace: rs.Name.Space}
	for _, a := range rs.Attr {
		if a.Name.Space == "" && a.Name.Local == "versionFormat" {
			l.VersionFormat = a.Value
		}
	}
	ns := rs.Name.Space
	if _, err := p.start(ns, "DateDeGeneration"); err != nil {
		return nil, err
	}
	gen, err := p.text("DateDeGeneration")
	if err != nil {
		return nil, err
	}
	if l.Generated, err = parseTime("DateDeGeneration", strings.TrimSpace(gen)); err != nil {
		return nil, err
	}
	if _, err := p.start(ns, "ListeDomaines"); err != nil {
		return nil, err
	}
	for {
		tok, err := p.next()
		if err != nil {
			return nil, err
		}
		if _, ok := tok.(xml.EndElement); ok {
			break
		}
		s, ok := tok.(xml.StartElement)
		if !ok || s.Name.Local != "Domaine" || s.Name.Space != ns {
			return nil, fmt.Errorf("expected <Domaine>, found %s", describe(tok))
		}
		d, err := p.domaine(ns, len(l.Domains)+1)
		if err != nil {
			return nil, err
		}
		l.Domains = append(l.Domains, d)
	}
	// After ListeDomaines: the signature, if any, then the end of the root.
	for {
		tok, err := p.next()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return l, p.end()
		case xml.StartElement:
			if t.Name.Space != xades.NamespaceDSig || t.Name.Local != "Signature" {
				return nil, fmt.Errorf("unexpected %s after <ListeDomaines>", describe(tok))
			}
			if err := p.dec.Skip(); err != nil {
				return nil, err
			}
		}
	}
}

// end checks that nothing but blank text and comments follows the root.
func (p *parser) end() error {
	for {
		tok, err := p.dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return fmt.Errorf("text after the root element")
			}
		case xml.Comment:
		default:
			return fmt.Errorf("%s after the root element", describe(tok))
		}
	}
}

func (p *parser) domaine(ns string, n int) (Domain, error) {
	var d Domain
	values := make([]string, len(domaineFields))
	for i, name := range domaineFields {
		if _, err := p.start(ns, name); err != nil {
			return d, fmt.Errorf("Domaine %d: %v", n, err)
		}
		v, err := p.text(name)
		if err != nil {
			return d, fmt.Errorf("Domaine %d: %v", n, err)
		}
		values[i] = strings.TrimSpace(v)
	}
	tok, err := p.next()
	if err != nil {
		return d, err
	}
	if _, ok := tok.(xml.EndElement); !ok {
		return d, fmt.Errorf("Domaine %d: unexpected %s after <DateMAJ>", n, describe(tok))
	}
	id, err := strconv.Atoi(values[0])
	if err != nil || id <= 0 {
		return d, fmt.Errorf("Domaine %d: Identifiant %q is not a positive integer", n, values[0])
	}
	d = Domain{ID: id, DB: values[1], VI: values[2], Denomination: values[3], CertDN: values[4], SupportContact: values[5]}
	if d.Updated, err = parseTime("DateMAJ", values[6]); err != nil {
		return d, fmt.Errorf("Domaine %d (Identifiant %d): %v", n, id, err)
	}
	return d, nil
}

func describe(tok xml.Token) string {
	switch t := tok.(type) {
	case xml.StartElement:
		return "<" + t.Name.Local + ">"
	case xml.EndElement:
		return "</" + t.Name.Local + ">"
	}
	return fmt.Sprintf("%T", tok)
}

func truncate(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
