package xadestest

import (
	"errors"
	. "github.com/drim-m/trust-space/tool/listeblanche/xades"
	"strings"
	"testing"
)

// What sits outside the signed content is refused, whatever it is: a file
// any XML parser reads the same as the verifier is one with nothing but the
// profile there. Each case is a real signed list tampered once.
func TestVerifyRefusesUnsignedParts(t *testing.T) {
	p := pki(t)
	signed := signWith(t, unsigned(t), p.Signer, p.Now())
	subject := "<ds:X509SubjectName>"
	forged := "<ListeDomaines><Domaine><Identifiant>999</Identifiant><db>db999.test.mesimagesmedicales.fr</db></Domaine></ListeDomaines>"
	tests := []struct {
		name string
		doc  []byte
		// xmlsec says whether xmlsec1 still finds the signature valid: the
		// tampering then changed nothing signed, and only the profile
		// refuses it.
		xmlsec bool
	}{
		{"a whole ListeDomaines in X509SubjectName", replace(t, signed, subject, subject+forged), true},
		{"an element in X509Certificate", replace(t, signed, "<ds:X509Certificate>", "<ds:X509Certificate><Domaine/>"), false},
		{"an element in SignatureValue", replace(t, signed, `<ds:SignatureValue Id="value-`, `<ds:SignatureValue><Domaine/></ds:SignatureValue><ds:SignatureValue Id="value-`), false},
		{"text between KeyInfo's elements", replace(t, signed, "<ds:X509Data>", "db999.test.mesimagesmedicales.fr<ds:X509Data>"), true},
		// Blank to strings.TrimSpace, text to XML: white space in XML is
		// space, tab, CR and LF only.
		{"a no-break space between KeyInfo's elements", replace(t, signed, "<ds:X509Data>", "\u00a0<ds:X509Data>"), true},
		{"a line separator in the Signature", replace(t, signed, "<ds:KeyInfo>", "\u2028<ds:KeyInfo>"), true},
		{"text between X509Data's elements", replace(t, signed, subject, "db999.test.mesimagesmedicales.fr"+subject), true},
		{"an attribute on KeyInfo", replace(t, signed, "<ds:KeyInfo>", `<ds:KeyInfo db="db999.test.mesimagesmedicales.fr">`), true},
		{"a foreign namespace on KeyInfo", replace(t, signed, "<ds:KeyInfo>", `<ds:KeyInfo xmlns:lb="https://github.com/ansforge/DRIM-M_DATA">`), true},
		{"an attribute on X509Data", replace(t, signed, "<ds:X509Data>", `<ds:X509Data Id="x">`), true},
		{"an attribute on X509SubjectName", replace(t, signed, subject, `<ds:X509SubjectName Id="x">`), true},
		{"an attribute on the Signature", replace(t, signed, `<ds:Signature `, `<ds:Signature db="x" `), true},
		{"an attribute on the Object", replace(t, signed, "<ds:Object>", `<ds:Object MimeType="text/xml">`), true},
		{"an attribute on QualifyingProperties", replace(t, signed, `<xades:QualifyingProperties `, `<xades:QualifyingProperties db="x" `), true},
		{"an element in X509IssuerSerial", replace(t, signed, subject,
			"<ds:X509IssuerSerial><ds:X509IssuerName>CN=x</ds:X509IssuerName><ds:X509SerialNumber>1</ds:X509SerialNumber><Domaine/></ds:X509IssuerSerial>"+subject), false},
		{"an element in X509IssuerName", replace(t, signed, subject,
			"<ds:X509IssuerSerial><ds:X509IssuerName>"+forged+"</ds:X509IssuerName><ds:X509SerialNumber>1</ds:X509SerialNumber></ds:X509IssuerSerial>"+subject), false},
		{"a serial number that is not one", replace(t, signed, subject,
			"<ds:X509IssuerSerial><ds:X509IssuerName>CN=x</ds:X509IssuerName><ds:X509SerialNumber>db999</ds:X509SerialNumber></ds:X509IssuerSerial>"+subject), false},
		{"an element in X509SKI", replace(t, signed, subject, "<ds:X509SKI>"+forged+"</ds:X509SKI>"+subject), false},
		{"an unknown element in X509Data", replace(t, signed, subject, "<ds:X509CRL>AAAA</ds:X509CRL>"+subject), false},
		{"a second KeyInfo item", replace(t, signed, "</ds:KeyInfo>", "<ds:KeyName>x</ds:KeyName></ds:KeyInfo>"), false},
		{"a second Object", replace(t, signed, "</ds:Signature>", "<ds:Object>"+forged+"</ds:Object></ds:Signature>"), true},
		{"an element after QualifyingProperties", replace(t, signed, "</xades:QualifyingProperties>", "</xades:QualifyingProperties>"+forged), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Verify(tt.doc, options(p))
			if err == nil {
				t.Fatalf("accepted, signed by %q", got.Signer.Subject)
			}
			if !errors.Is(err, ErrUnsignedContent) && !errors.Is(err, ErrProfile) {
				t.Errorf("refused as %v, not as content outside the profile", err)
			}
			if tt.xmlsec {
				if xerr := xmlsecVerify(t, p, tt.doc); xerr != nil {
					t.Errorf("xmlsec1 refuses it too, so the case does not show an unsigned part: %v", firstLine(xerr.Error()))
				}
			}
		})
	}
	if err := xmlsecVerify(t, p, signed); err != nil {
		t.Fatalf("xmlsec1 refuses the untampered list: %v", err)
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
