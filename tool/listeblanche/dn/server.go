package dn

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Server is the subject of an IGC Santé server certificate in the one
// shape the Liste Blanche publishes as DNCertificatOperateur:
// "CN=<db name>,OU=<structure id>,O=<organisation>[,ST=<département>],C=FR".
type Server struct {
	CN, OU, O, ST, C string
}

// serverTypes are the attributes the ANS's lists use, in the order they
// write them; ST alone may be absent.
var serverTypes = []string{"CN", "OU", "O", "ST", "C"}

// ParseServer reads a server certificate's DN as the registry records it
// and the list publishes it. Beyond Parse, it must have the shape of
// ServerOf and be written exactly as String writes it: one writing for
// one name, so that a DRIMbox comparing strings and one comparing names
// read the list alike.
func ParseServer(s string) (Server, error) {
	n, err := Parse(s)
	if err != nil {
		return Server{}, err
	}
	srv, err := ServerOf(n)
	if err != nil {
		return Server{}, fmt.Errorf("%q: %w", s, err)
	}
	if c := n.String(); c != s {
		return Server{}, fmt.Errorf("%q is not written the one way the list writes it: write %q", s, c)
	}
	return srv, nil
}

// ServerOf tells whether a name has the shape of a server certificate's
// DN as the lists carry it: single-valued RDNs of CN, OU, O, ST and C, in
// that order, each once, ST optional, every value text without control
// characters nor a character RFC 4514 escapes (or "="). The probe
// applies it to the served certificate's subject too: a multi-valued or
// repeated attribute is refused wherever it is met.
func ServerOf(n Name) (Server, error) {
	var srv Server
	fields := map[string]*string{"CN": &srv.CN, "OU": &srv.OU, "O": &srv.O, "ST": &srv.ST, "C": &srv.C}
	for _, rdn := range n {
		if len(rdn) > 1 {
			return Server{}, fmt.Errorf("the RDN %s is multi-valued (joined by \"+\"); a server certificate's DN has one attribute per RDN", Name{rdn})
		}
	}
	next := 0
	for _, rdn := range n {
		a := rdn[0]
		at := slices.Index(serverTypes, a.Type)
		switch {
		case at < 0:
			return Server{}, fmt.Errorf("attribute %s is not one of CN, OU, O, ST, C, the attributes the Liste Blanche uses", a.Type)
		case seen(n, a.Type) > 1:
			return Server{}, fmt.Errorf("attribute %s appears more than once; a server certificate's DN has each attribute once", a.Type)
		case at < next:
			return Server{}, fmt.Errorf("attribute %s is out of place; write the attributes in the order CN, OU, O, ST, C", a.Type)
		case a.Binary:
			return Server{}, fmt.Errorf("the value of %s is not text", a.Type)
		case strings.TrimSpace(a.Value) == "":
			return Server{}, fmt.Errorf("the value of %s is empty", a.Type)
		case strings.TrimSpace(a.Value) != a.Value:
			// A DRIMbox reading the list may trim values: two readings.
			return Server{}, fmt.Errorf("the value of %s starts or ends with a space", a.Type)
		case strings.IndexFunc(a.Value, unicode.IsControl) >= 0:
			return Server{}, fmt.Errorf("the value of %s holds a control character", a.Type)
		case strings.ContainsAny(a.Value, `,+=;<>"\`):
			// Escaped, they are one name to an RFC 4514 reader, but a
			// DRIMbox that splits the published DN on them reads another
			// (O=X\,CN=db9… would name db9): the lists hold none.
			return Server{}, fmt.Errorf("the value of %s holds one of , + = ; < > \" \\, which a DRIMbox splitting the DN would read another way", a.Type)
		}
		*fields[a.Type] = a.Value
		next = at + 1
	}
	for _, t := range []string{"CN", "OU", "O", "C"} {
		if *fields[t] == "" {
			return Server{}, fmt.Errorf("the DN has no %s; a server certificate's DN has CN, OU, O and C", t)
		}
	}
	return srv, nil
}

// seen counts the attributes of type t in n.
func seen(n Name, t string) int {
	count := 0
	for _, rdn := range n {
		for _, a := range rdn {
			if a.Type == t {
				count++
			}
		}
	}
	return count
}
