package dn

import (
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
)

// atv and rdnSET are the DER shapes of an RDNSequence (RFC 5280 4.1.2.4);
// encoding/asn1 encodes a type whose name ends in SET as a SET.
type atv struct {
	Type  asn1.ObjectIdentifier
	Value asn1.RawValue
}

type rdnSET []atv

// FromDER reads a certificate's subject or issuer (x509.Certificate's
// RawSubject, RawIssuer) as Parse reads a string: every RDN and attribute
// as encoded, a repeated or multi-valued one included, which Go's
// pkix.Name would fold away.
func FromDER(raw []byte) (Name, error) {
	var seq []rdnSET
	rest, err := asn1.Unmarshal(raw, &seq)
	if err != nil {
		return nil, fmt.Errorf("reading a DER name: %w", err)
	}
	if len(rest) > 0 {
		return nil, errors.New("reading a DER name: bytes after the name")
	}
	n := make(Name, 0, len(seq))
	for i := len(seq) - 1; i >= 0; i-- {
		if len(seq[i]) == 0 {
			return nil, errors.New("reading a DER name: an RDN with no attribute")
		}
		var rdn RDN
		for _, a := range seq[i] {
			oid := a.Type.String()
			typ := attrType{name: oid, oid: oid}
			if name, ok := shortNames[oid]; ok {
				typ = attrType{name: name}
			}
			attr, err := fromDER(typ, a.Value.FullBytes)
			if err != nil {
				return nil, fmt.Errorf("reading a DER name: %s: %w", typ.name, err)
			}
			rdn = append(rdn, attr)
		}
		n = append(n, rdn)
	}
	return n, nil
}

// DER encodes the name as a certificate's subject, most significant RDN
// first: text as PrintableString when it fits, else UTF8String, as IGC
// Santé and Go encode it. Test certificates take it as RawSubject, so
// that a hostile name reaches the probe exactly as written.
func (n Name) DER() ([]byte, error) {
	seq := make([]rdnSET, 0, len(n))
	for _, rdn := range slices.Backward(n) {
		var set rdnSET
		for _, a := range rdn {
			oid, err := parseOID(a.Type)
			if err != nil {
				return nil, err
			}
			v := asn1.RawValue{Class: asn1.ClassUniversal, Tag: tagUTF8String, Bytes: []byte(a.Value)}
			switch {
			case a.Binary:
				der, err := hex.DecodeString(a.Value[1:])
				if err != nil {
					return nil, fmt.Errorf("%s: %w", a.Type, err)
				}
				v = asn1.RawValue{FullBytes: der}
			case printable(a.Value):
				v.Tag = tagPrintableString
			}
			set = append(set, atv{Type: oid, Value: v})
		}
		seq = append(seq, set)
	}
	return asn1.Marshal(seq)
}

func parseOID(t string) (asn1.ObjectIdentifier, error) {
	s := t
	if oid, ok := descrs[toLower(t)]; ok {
		s = oid
	}
	var oid asn1.ObjectIdentifier
	arc := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '.' {
			oid = append(oid, arc)
			arc = 0
			continue
		}
		if s[i] < '0' || s[i] > '9' {
			return nil, fmt.Errorf("attribute type %q has no OID", t)
		}
		arc = arc*10 + int(s[i]-'0')
	}
	return oid, nil
}

// printable tells whether v fits a PrintableString.
func printable(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ' ' ||
			c == '\'' || c == '(' || c == ')' || c == '+' || c == ',' || c == '-' || c == '.' || c == '/' || c == ':' || c == '=' || c == '?') {
			return false
		}
	}
	return true
}
