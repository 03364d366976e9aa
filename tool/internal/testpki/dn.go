package testpki

import (
	"crypto/x509/pkix"
	"fmt"

	"github.com/drim-m/trust-space/tool/listeblanche/dn"
)

// ParseDN reads a distinguished name written as the whitelist writes
// DNCertificatOperateur, most significant last:
// "CN=db3.test.mesimagesmedicales.fr,OU=318751275100020,O=AGENCE DU NUMERIQUE EN SANTE,ST=Paris (75),C=FR".
// It knows CN, OU, O, ST, L and C, read by package dn. The certificate
// encodes the attributes in the order IGC Santé uses (C, ST, L, O, OU, CN),
// so the name prints back as written. A pkix.Name cannot carry a
// multi-valued RDN or a second CN: ServerRequest.SubjectDN can.
func ParseDN(s string) (pkix.Name, error) {
	var name pkix.Name
	attrs, err := dn.Parse(s)
	if err != nil {
		return name, err
	}
	for _, rdn := range attrs {
		a := rdn[0]
		if len(rdn) > 1 || a.Type == "CN" && name.CommonName != "" {
			return name, fmt.Errorf("%q: a pkix.Name holds no multi-valued RDN and one CN; issue it with ServerRequest.SubjectDN", s)
		}
		switch a.Type {
		case "CN":
			name.CommonName = a.Value
		case "OU":
			name.OrganizationalUnit = append(name.OrganizationalUnit, a.Value)
		case "O":
			name.Organization = append(name.Organization, a.Value)
		case "ST":
			name.Province = append(name.Province, a.Value)
		case "L":
			name.Locality = append(name.Locality, a.Value)
		case "C":
			name.Country = append(name.Country, a.Value)
		default:
			return name, fmt.Errorf("%q: attribute type %q is not one of CN, OU, O, ST, L, C", s, a.Type)
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
