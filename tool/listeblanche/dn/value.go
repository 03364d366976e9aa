package dn

import (
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// shortNames are the attribute types String writes by name, by OID: the
// RFC 4514 ones and those Go's crypto/x509/pkix names.
var shortNames = map[string]string{
	"2.5.4.3": "CN", "2.5.4.5": "SERIALNUMBER", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "ST",
	"2.5.4.9": "STREET", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.17": "POSTALCODE",
	"0.9.2342.19200300.100.1.25": "DC", "0.9.2342.19200300.100.1.1": "UID",
}

// descrs maps the names a DN may use for a type, in lower case, to its
// OID: the short names and the X.520 long ones.
var descrs = func() map[string]string {
	m := map[string]string{
		"commonname": "2.5.4.3", "countryname": "2.5.4.6", "localityname": "2.5.4.7",
		"stateorprovincename": "2.5.4.8", "streetaddress": "2.5.4.9", "organizationname": "2.5.4.10",
		"organizationalunitname": "2.5.4.11", "domaincomponent": "0.9.2342.19200300.100.1.25", "userid": "0.9.2342.19200300.100.1.1",
	}
	for oid, name := range shortNames {
		m[toLower(name)] = oid
	}
	return m
}()

func toLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// The universal tags of the string types a DN value is read as text from.
const (
	tagUTF8String      = 12
	tagNumericString   = 18
	tagPrintableString = 19
	tagIA5String       = 22
	tagUniversalString = 28
	tagBMPString       = 30
)

// fromDER reads one attribute value from its DER encoding: as text when
// it is one of the string types and its type has a short name, as hex
// otherwise. Both the "#…" form of a string DN and a certificate's subject
// are read here.
func fromDER(typ attrType, der []byte) (Attr, error) {
	var raw asn1.RawValue
	rest, err := asn1.Unmarshal(der, &raw)
	if err != nil {
		return Attr{}, fmt.Errorf("the value is not DER: %v", err)
	}
	if len(rest) > 0 {
		return Attr{}, errors.New("the value has bytes after its DER encoding")
	}
	binary := Attr{Type: typ.name, Value: "#" + hex.EncodeToString(der), Binary: true}
	if typ.oid != "" || raw.Class != asn1.ClassUniversal || raw.IsCompound {
		return binary, nil
	}
	v, ok, err := decodeString(raw.Tag, raw.Bytes)
	if err != nil {
		return Attr{}, err
	}
	if !ok {
		return binary, nil
	}
	return Attr{Type: typ.name, Value: v}, nil
}

// decodeString decodes the content of a string type; ok is false for
// another type. TeletexString is left as hex: its character set is not
// one encoding.
func decodeString(tag int, b []byte) (s string, ok bool, err error) {
	switch tag {
	case tagUTF8String:
		if !utf8.Valid(b) {
			return "", false, errors.New("a UTF8String value is not UTF-8")
		}
		return string(b), true, nil
	case tagNumericString, tagPrintableString, tagIA5String:
		for _, c := range b {
			if c >= 0x80 {
				return "", false, errors.New("an ASCII string value holds a byte over 0x7F")
			}
		}
		return string(b), true, nil
	case tagBMPString:
		if len(b)%2 != 0 {
			return "", false, errors.New("a BMPString value has an odd length")
		}
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		}
		rs := utf16.Decode(u)
		for _, r := range rs {
			if r == utf8.RuneError {
				return "", false, errors.New("a BMPString value is not UTF-16")
			}
		}
		return string(rs), true, nil
	case tagUniversalString:
		if len(b)%4 != 0 {
			return "", false, errors.New("a UniversalString value's length is not a multiple of 4")
		}
		var out []rune
		for i := 0; i < len(b); i += 4 {
			r := rune(b[i])<<24 | rune(b[i+1])<<16 | rune(b[i+2])<<8 | rune(b[i+3])
			if !utf8.ValidRune(r) {
				return "", false, errors.New("a UniversalString value holds an invalid character")
			}
			out = append(out, r)
		}
		return string(out), true, nil
	}
	return "", false, nil
}

// utf8StringDER encodes v as a DER UTF8String.
func utf8StringDER(v string) []byte {
	b, _ := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: tagUTF8String, Bytes: []byte(v)})
	return b
}
