package format

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/drim-m/trust-space/tool/listeblanche/xades"
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
	r := &reader{}
	if err := xades.Walk(data, xades.DefaultLimits, r); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if err := r.l.Check(r.l.Namespace); err != nil {
		return nil, err
	}
	return r.l, nil
}

// The elements the reader is in.
const (
	inRoot = iota
	inDate
	inDomaines
	inDomaine
	inField
	inSignature
)

// reader builds a List from what xades.Walk reads, holding the document to
// the format as it goes.
type reader struct {
	l      *List
	stack  []int // what each open element is
	kids   int   // elements seen in the current root, Domaine
	fields int   // fields read in the current Domaine
	skip   int   // depth inside the signature
	text   []byte
	// fields holds the current Domaine's fields, trimmed, one after the
	// other, and ends where each one ends: one string per entry rather
	// than one per field.
	fieldText []byte
	ends      [7]int
	// entries counts the Domaine elements read.
	entries int
	// streaming checks each entry as it ends, and the list as its root
	// ends, as Check would, and keeps no entry (Prepare): seen holds the
	// Identifiants met.
	streaming bool
	seen      map[int]bool
}

func (r *reader) Start(uri, local string, attrs []xades.Attr) error {
	if r.skip > 0 {
		r.skip++
		return nil
	}
	if len(r.stack) == 0 {
		if local != "ListeBlancheDRIM-M" {
			return fmt.Errorf("the root element is <%s>, expected <ListeBlancheDRIM-M>", local)
		}
		r.l = &List{Namespace: uri}
		for _, a := range attrs {
			if a.URI == "" && a.Local == "versionFormat" {
				r.l.VersionFormat = a.Value
			}
		}
		r.stack = append(r.stack, inRoot)
		return nil
	}
	ns := r.l.Namespace
	// The format defines no attribute below the root (the signature's
	// are the profile's): one there (xsi:type, xsi:nil, xml:space...) is
	// signed content that this reader would pass over and another may act
	// on.
	signature := r.stack[len(r.stack)-1] == inRoot && uri == xades.NamespaceDSig && local == "Signature"
	if len(attrs) > 0 && !signature {
		return fmt.Errorf("<%s> carries the attribute %s, which format 1.0.0 does not define", local, attrName(attrs[0]))
	}
	switch top := r.stack[len(r.stack)-1]; {
	case top == inRoot:
		r.kids++
		switch {
		case r.kids == 1 && uri == ns && local == "DateDeGeneration":
			r.stack = append(r.stack, inDate)
		case r.kids == 2 && uri == ns && local == "ListeDomaines":
			r.stack = append(r.stack, inDomaines)
		case r.kids == 3 && uri == xades.NamespaceDSig && local == "Signature":
			r.skip = 1
		default:
			return fmt.Errorf("<ListeBlancheDRIM-M> must hold DateDeGeneration, then ListeDomaines, then the signature if signed; found <%s> in place %d", local, r.kids)
		}
	case top == inDomaines:
		if uri != ns || local != "Domaine" {
			return fmt.Errorf("<ListeDomaines> holds <%s>, expected <Domaine>", local)
		}
		r.fields = 0
		r.fieldText = r.fieldText[:0]
		r.stack = append(r.stack, inDomaine)
	case top == inDomaine:
		n := r.entries + 1
		if r.fields == len(domaineFields) || uri != ns || local != domaineFields[r.fields] {
			want := "</Domaine>"
			if r.fields < len(domaineFields) {
				want = "<" + domaineFields[r.fields] + ">"
			}
			return fmt.Errorf("in Domaine %d: <%s> where %s is expected", n, local, want)
		}
		r.stack = append(r.stack, inField)
	default:
		return fmt.Errorf("<%s> inside a field that holds text only", local)
	}
	r.text = r.text[:0]
	return nil
}

func (r *reader) Text(run []byte) error {
	if r.skip > 0 {
		return nil
	}
	switch r.stack[len(r.stack)-1] {
	case inDate, inField:
		if len(r.text)+len(run) > 4096 {
			return fmt.Errorf("a field is longer than 4096 bytes")
		}
		r.text = append(r.text, run...)
	default:
		if len(trimXMLSpace(run)) != 0 {
			return fmt.Errorf("unexpected text %q", truncate(string(run)))
		}
	}
	return nil
}

func (r *reader) End() error {
	if r.skip > 0 {
		r.skip--
		return nil
	}
	top := r.stack[len(r.stack)-1]
	r.stack = r.stack[:len(r.stack)-1]
	var err error
	switch top {
	case inDate:
		r.l.Generated, err = parseTime("DateDeGeneration", string(trimXMLSpace(r.text)))
	case inField:
		r.fieldText = append(r.fieldText, trimXMLSpace(r.text)...)
		r.ends[r.fields] = len(r.fieldText)
		r.fields++
	case inDomaine:
		return r.domaine()
	case inRoot:
		if r.kids < 2 {
			return fmt.Errorf("<ListeBlancheDRIM-M> must hold DateDeGeneration and ListeDomaines")
		}
		if r.streaming {
			return r.l.checkHead(r.l.Namespace)
		}
	}
	return err
}

func (r *reader) domaine() error {
	r.entries++
	n := r.entries
	if r.fields != len(domaineFields) {
		return fmt.Errorf("the Domaine %d holds %d of its fields; expected %s", n, r.fields, strings.Join(domaineFields, ", "))
	}
	var v [len(r.ends)]string
	all, start := string(r.fieldText), 0
	for i, end := range r.ends {
		v[i], start = all[start:end], end
	}
	id, err := strconv.Atoi(v[0])
	var digits [20]byte
	if err != nil || id <= 0 || string(strconv.AppendInt(digits[:0], int64(id), 10)) != v[0] {
		return fmt.Errorf("in Domaine %d: Identifiant %q is not a positive integer in decimal digits, without sign or leading zero", n, v[0])
	}
	d := Domain{ID: id, DB: v[1], VI: v[2], Denomination: v[3], CertDN: v[4], SupportContact: v[5]}
	if d.Updated, err = parseTime("DateMAJ", v[6]); err != nil {
		return fmt.Errorf("in Domaine %d (Identifiant %d): %v", n, id, err)
	}
	if r.streaming {
		return d.checkIn(r.seen)
	}
	r.l.Domains = append(r.l.Domains, d)
	return nil
}

// attrName names an attribute as the file may write it.
func attrName(a xades.Attr) string {
	if a.URI == "" {
		return a.Local
	}
	return "{" + a.URI + "}" + a.Local
}

// trimXMLSpace trims white space as XML defines it (space, tab, CR, LF).
// bytes.TrimSpace also trims Unicode spaces (no-break space, line
// separator, ideographic space...), which every other XML reader keeps as
// text: trimmed here, the entry handed on would differ from the one
// signed, and the value checks would never see them.
func trimXMLSpace(b []byte) []byte {
	for len(b) > 0 && isXMLSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isXMLSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func truncate(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
