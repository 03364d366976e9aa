package whitelist

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/beevik/etree"

	"github.com/drim-m/trust-space/tool/internal/xades"
)

// ErrFormat marks a document that is not a Liste Blanche of format 1.0.0.
var ErrFormat = errors.New("not a Liste Blanche in format 1.0.0")

// domaineFields are the children of Domaine, in the order the format fixes.
var domaineFields = []string{"Identifiant", "db", "vi", "Denomination", "DNCertificatOperateur", "SupportContact", "DateMAJ"}

// Parse reads a list, signed or not, without checking any signature: use it
// for lists whose origin is known (diff, import) and for the content a
// verified signature covers. A relying party uses Verify instead. Parse
// reads with the verifier's XML parser (bounds, no DOCTYPE, entities,
// comments or processing instructions), refuses elements out of the format,
// and checks the content with Check against the document's own namespace.
func Parse(data []byte) (*List, error) {
	root, err := xades.Parse(data, xades.DefaultLimits)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	l, err := fromTree(root)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if err := l.Check(l.Namespace); err != nil {
		return nil, err
	}
	return l, nil
}

func fromTree(root *etree.Element) (*List, error) {
	if root.Tag != "ListeBlancheDRIM-M" {
		return nil, fmt.Errorf("the root element is <%s>, expected <ListeBlancheDRIM-M>", root.FullTag())
	}
	ns := root.NamespaceURI()
	l := &List{Namespace: ns, VersionFormat: root.SelectAttrValue("versionFormat", "")}
	kids, err := elements(root)
	if err != nil {
		return nil, err
	}
	if len(kids) > 0 && kids[len(kids)-1].Tag == "Signature" && kids[len(kids)-1].NamespaceURI() == xades.NamespaceDSig {
		kids = kids[:len(kids)-1]
	}
	if len(kids) != 2 || !named(kids[0], ns, "DateDeGeneration") || !named(kids[1], ns, "ListeDomaines") {
		return nil, fmt.Errorf("<ListeBlancheDRIM-M> must hold DateDeGeneration, then ListeDomaines, then the signature if signed")
	}
	gen, err := leaf(kids[0])
	if err != nil {
		return nil, err
	}
	if l.Generated, err = parseTime("DateDeGeneration", gen); err != nil {
		return nil, err
	}
	domaines, err := elements(kids[1])
	if err != nil {
		return nil, err
	}
	l.Domains = make([]Domain, 0, len(domaines))
	for i, el := range domaines {
		if !named(el, ns, "Domaine") {
			return nil, fmt.Errorf("<ListeDomaines> holds <%s>, expected <Domaine>", el.FullTag())
		}
		d, err := domaine(el, ns, i+1)
		if err != nil {
			return nil, err
		}
		l.Domains = append(l.Domains, d)
	}
	return l, nil
}

func domaine(el *etree.Element, ns string, n int) (Domain, error) {
	var d Domain
	fields, err := elements(el)
	if err != nil {
		return d, fmt.Errorf("Domaine %d: %v", n, err)
	}
	if len(fields) != len(domaineFields) {
		return d, fmt.Errorf("Domaine %d holds %d elements; expected %s", n, len(fields), strings.Join(domaineFields, ", "))
	}
	values := make([]string, len(fields))
	for i, f := range fields {
		if !named(f, ns, domaineFields[i]) {
			return d, fmt.Errorf("Domaine %d: <%s> where <%s> is expected", n, f.FullTag(), domaineFields[i])
		}
		if values[i], err = leaf(f); err != nil {
			return d, fmt.Errorf("Domaine %d: %v", n, err)
		}
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

// elements returns the child elements of el, refusing text among them.
func elements(el *etree.Element) ([]*etree.Element, error) {
	for _, t := range el.Child {
		if cd, ok := t.(*etree.CharData); ok && strings.TrimSpace(cd.Data) != "" {
			return nil, fmt.Errorf("unexpected text %q in <%s>", truncate(cd.Data), el.FullTag())
		}
	}
	return el.ChildElements(), nil
}

// leaf returns the text of an element that holds only text, trimmed.
func leaf(el *etree.Element) (string, error) {
	var b strings.Builder
	for _, t := range el.Child {
		switch t := t.(type) {
		case *etree.CharData:
			b.WriteString(t.Data)
		case *etree.Element:
			return "", fmt.Errorf("<%s> holds <%s>, expected text only", el.FullTag(), t.FullTag())
		}
	}
	if b.Len() > 4096 {
		return "", fmt.Errorf("<%s> is longer than 4096 bytes", el.FullTag())
	}
	return strings.TrimSpace(b.String()), nil
}

func named(el *etree.Element, ns, local string) bool {
	return el.Tag == local && el.NamespaceURI() == ns
}

func truncate(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
