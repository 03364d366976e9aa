package hsm

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"strings"

	"github.com/drim-m/trust-space/tool/listeblanche/dn"
)

// CSR returns a PEM certificate signing request for the key in the token,
// signed in the token (SHA-256 with RSA), with subject as written in the
// Liste Blanche's DN style ("CN=Liste Blanche DRIM-M,OU=…,O=…,C=FR"),
// for the IGC Santé ORG SIGN certificate. The attributes are encoded in
// the order IGC Santé writes them (C, ST, L, O, OU, CN).
func CSR(s *Signer, subject string) ([]byte, error) {
	name, err := subjectName(subject)
	if err != nil {
		return nil, err
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		RawSubject:         name,
		SignatureAlgorithm: x509.SHA256WithRSA,
	}, s)
	if err != nil {
		return nil, fmt.Errorf("signing the request in the token: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}), nil
}

var subjectOIDs = map[string]asn1.ObjectIdentifier{
	"C": {2, 5, 4, 6}, "ST": {2, 5, 4, 8}, "L": {2, 5, 4, 7}, "O": {2, 5, 4, 10}, "OU": {2, 5, 4, 11}, "CN": {2, 5, 4, 3},
}

var subjectOrder = []string{"C", "ST", "L", "O", "OU", "CN"}

func subjectName(subject string) ([]byte, error) {
	attrs, err := dn.Parse(subject)
	if err != nil {
		return nil, fmt.Errorf("subject: %w", err)
	}
	byType := map[string]string{}
	for _, rdn := range attrs {
		if len(rdn) != 1 {
			return nil, fmt.Errorf("subject: a multi-valued attribute (+) is not for this certificate")
		}
		a := rdn[0]
		if _, ok := subjectOIDs[a.Type]; !ok || a.Binary {
			return nil, fmt.Errorf("subject: %s= is not one of %s", a.Type, strings.Join(subjectOrder, ", "))
		}
		if _, dup := byType[a.Type]; dup {
			return nil, fmt.Errorf("subject: %s= appears twice", a.Type)
		}
		byType[a.Type] = a.Value
	}
	if byType["CN"] == "" || byType["O"] == "" || byType["C"] == "" {
		return nil, fmt.Errorf("subject %q: CN, O and C are required", subject)
	}
	var rdn pkix.RDNSequence
	for _, t := range subjectOrder {
		if v, ok := byType[t]; ok {
			rdn = append(rdn, pkix.RelativeDistinguishedNameSET{{Type: subjectOIDs[t], Value: v}})
		}
	}
	return asn1.Marshal(rdn)
}
