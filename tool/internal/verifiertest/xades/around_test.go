package xadestest

import (
	"errors"
	"strings"
	"testing"

	. "github.com/drim-m/trust-space/tool/listeblanche/xades"
)

// Bytes outside the root element, and attributes of the xml namespace on
// the signature, are covered by no reference: each is refused, though
// xmlsec1 accepts some of them.
func TestVerifyRefusesAroundTheRoot(t *testing.T) {
	p := pki(t)
	signed := string(signWith(t, unsigned(t), p.Signer, p.Now()))
	forged := "<ListeDomaines><Domaine><Identifiant>999</Identifiant></Domaine></ListeDomaines>"
	tests := []struct {
		name string
		doc  string
		want error
	}{
		{"a comment after the root", signed + "<!--" + forged + "-->", ErrForbidden},
		{"a comment before the root", strings.Replace(signed, "<ListeBlancheDRIM-M", "<!--"+forged+"--><ListeBlancheDRIM-M", 1), ErrForbidden},
		{"a processing instruction after the root", signed + "<?lb " + forged + "?>", ErrForbidden},
		{"text after the root", signed + "db999.test.mesimagesmedicales.fr", ErrMalformed},
		{"a second root", signed + "<ListeBlancheDRIM-M>" + forged + "</ListeBlancheDRIM-M>", ErrMalformed},
		{"a NUL after the root", signed + "\x00", ErrMalformed},
		{"xml:base on the Signature", strings.Replace(signed, "<ds:Signature ", `<ds:Signature xml:base="https://example.invalid/" `, 1), ErrUnsignedContent},
		{"xml:space on the Signature", strings.Replace(signed, "<ds:Signature ", `<ds:Signature xml:space="preserve" `, 1), ErrUnsignedContent},
		{"a default namespace on the Signature", strings.Replace(signed, "<ds:Signature ", `<ds:Signature xmlns="https://github.com/ansforge/DRIM-M_DATA" `, 1), ErrUnsignedContent},
		{"CDATA text in the Signature", strings.Replace(signed, "<ds:KeyInfo>", "<![CDATA["+forged+"]]><ds:KeyInfo>", 1), ErrProfile},
		{"a character reference in the Signature", strings.Replace(signed, "<ds:KeyInfo>", "&#100;&#98;<ds:KeyInfo>", 1), ErrProfile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Verify([]byte(tt.doc), options(p))
			if err == nil {
				t.Fatalf("accepted, signed by %q", got.Signer.Subject)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("refused as %v, want %v", err, tt.want)
			}
		})
	}
}
