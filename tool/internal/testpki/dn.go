package testpki

import (
	"crypto/x509/pkix"
	"fmt"
	"strings"
)

// ParseDN reads a distinguished name written as the whitelist writes
// DNCertificatOperateur, most significant last:
// "CN=db3.test.mesimagesmedicales.fr,OU=318751275100020,O=AGENCE DU NUMERIQUE EN SANTE,ST=Paris (75),C=FR".
// It knows CN, OU, O, ST, L and C; a backslash escapes the next character.
// The certificate encodes the attributes in the order IGC Santé uses (C, ST,
// L, O, OU, CN), so the name prints back as written.
func ParseDN(dn string) (pkix.Name, error) {
	var name pkix.Name
	if strings.TrimSpace(dn) == "" {
		return name, fmt.Errorf("empty distinguished name")
	}
	for _, rdn := range splitDN(dn) {
		key, value, ok := strings.Cut(rdn, "=")
		if !ok || value == "" {
			return name, fmt.Errorf("%q: %q is not TYPE=value", dn, rdn)
		}
		value = unescapeDN(value)
		switch strings.ToUpper(strings.TrimSpace(key)) {
		case "CN":
			name.CommonName = value
		case "OU":
			name.OrganizationalUnit = append(name.OrganizationalUnit, value)
		case "O":
			name.Organization = append(name.Organization, value)
		case "ST":
			name.Province = append(name.Province, value)
		case "L":
			name.Locality = append(name.Locality, value)
		case "C":
			name.Country = append(name.Country, value)
		default:
			return name, fmt.Errorf("%q: attribute type %q is not one of CN, OU, O, ST, L, C", dn, key)
		}
	}
	return name, nil
}

// MustDN is ParseDN for names written in tests; it panics on a malformed DN.
func MustDN(dn string) pkix.Name {
	name, err := ParseDN(dn)
	if err != nil {
		panic(err)
	}
	return name
}

// splitDN splits on commas that a backslash does not escape.
func splitDN(dn string) []string {
	var parts []string
	var cur strings.Builder
	escaped := false
	for _, r := range dn {
		switch {
		case escaped:
			cur.WriteRune('\\')
			cur.WriteRune(r)
			escaped = false
		case r == '\\':
			escaped = true
		case r == ',':
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	return append(parts, cur.String())
}

func unescapeDN(s string) string {
	var out strings.Builder
	escaped := false
	for _, r := range s {
		if !escaped && r == '\\' {
			escaped = true
			continue
		}
		escaped = false
		out.WriteRune(r)
	}
	return out.String()
}
