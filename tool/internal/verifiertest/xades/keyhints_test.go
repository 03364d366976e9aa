package xadestest

import (
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/drim-m/trust-space/tool/listeblanche/dn"
	. "github.com/drim-m/trust-space/tool/listeblanche/xades"
)

// KeyInfo is not signed: whatever its X509SubjectName, X509IssuerSerial
// and X509SKI say, the signature stays valid (xmlsec1 agrees). They must
// then be written as RFC 3275 and RFC 4514 say and name the signer, or a
// network could make a saved list tell of another signer. Each case is a
// real signed list with its hints rewritten.
func TestKeyInfoHintsNameTheSigner(t *testing.T) {
	p := pki(t)
	signed := signWith(t, unsigned(t), p.Signer, p.Now())
	subjectEl := regexp.MustCompile(`<ds:X509SubjectName>[^<]*</ds:X509SubjectName>`)
	if !subjectEl.Match(signed) {
		t.Fatal("drimm wrote no X509SubjectName")
	}
	withHints := func(hints string) []byte {
		return subjectEl.ReplaceAll(signed, []byte(strings.ReplaceAll(hints, "$", "$$")))
	}
	name := func(text string) string { return "<ds:X509SubjectName>" + text + "</ds:X509SubjectName>" }
	issuerSerial := func(issuer, serial string) string {
		return "<ds:X509IssuerSerial><ds:X509IssuerName>" + issuer + "</ds:X509IssuerName><ds:X509SerialNumber>" +
			serial + "</ds:X509SerialNumber></ds:X509IssuerSerial>"
	}
	ski := func(b []byte) string { return "<ds:X509SKI>" + base64.StdEncoding.EncodeToString(b) + "</ds:X509SKI>" }
	issuer, err := dn.FromDER(p.Signer.Cert.RawIssuer)
	if err != nil {
		t.Fatal(err)
	}
	serial := p.Signer.Cert.SerialNumber.String()
	const subject = "CN=Liste Blanche DRIM-M,OU=318751275100020,O=AGENCE DU NUMERIQUE EN SANTE,ST=Paris (75),C=FR"
	tests := []struct {
		name  string
		hints string
		says  string // "" when accepted
	}{
		{"the subject as drimm writes it", name(subject), ""},
		{"the subject with types in lower case and as OIDs", name("cn=Liste Blanche DRIM-M,2.5.4.11=318751275100020,o=AGENCE DU NUMERIQUE EN SANTE,ST=Paris (75),C=FR"), ""},
		{"the subject with a hex-escaped character", name(`CN=Liste Blanche DRIM-M,OU=318751275100020,O=AGENCE DU NUMERIQUE EN SANTE,ST=Paris \2875),C=FR`), ""},
		{"the signer's issuer and serial", name(subject) + issuerSerial(issuer.String(), serial), ""},
		{"the serial with leading zeros", issuerSerial(issuer.String(), "000"+serial), ""},
		{"the signer's subject key identifier", ski(p.Signer.Cert.SubjectKeyId) + name(subject), ""},
		{"no hint", "", ""},

		{"a subject that is not a DN", name("Liste Blanche DRIM-M"), "X509SubjectName must be the signer's name as RFC 4514 writes it"},
		{"an empty subject", name(""), "X509SubjectName must be the signer's name"},
		{"a subject with spaces after the commas", name(strings.ReplaceAll(subject, ",", ", ")), "X509SubjectName must be the signer's name"},
		{"a subject on a line of its own", name("\n" + subject + "\n"), "X509SubjectName must be the signer's name"},
		{"a subject with a list's entry in it", name(`CN=db999.test.mesimagesmedicales.fr\,O=HOSTILE`), "is not the signer's subject"},
		{"the CA's subject", name(issuer.String()), "is not the signer's subject"},
		{"a subject with one attribute less", name("CN=Liste Blanche DRIM-M,OU=318751275100020,O=AGENCE DU NUMERIQUE EN SANTE,C=FR"), "is not the signer's subject"},
		{"a subject with a second CN", name("CN=Liste Blanche DRIM-M+CN=HOSTILE,OU=318751275100020,O=AGENCE DU NUMERIQUE EN SANTE,ST=Paris (75),C=FR"), "is not the signer's subject"},
		{"an issuer that is not a DN", issuerSerial("TEST AC", serial), "X509IssuerName must be the signer's name"},
		{"another serial", issuerSerial(issuer.String(), "1"+serial), "is not the signer's"},
		{"another issuer", issuerSerial(subject, serial), "is not the signer's"},
		{"a signed serial", issuerSerial(issuer.String(), "+"+serial), "is not a decimal integer"},
		{"a hexadecimal serial", issuerSerial(issuer.String(), p.Signer.Cert.SerialNumber.Text(16)+"x"), "is not a decimal integer"},
		{"a serial longer than any", issuerSerial(issuer.String(), strings.Repeat("9", 50)), "more than a certificate serial has"},
		{"another subject key identifier", ski([]byte("not the signer's key identifier")), "X509SKI is not the signer's"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := withHints(tt.hints)
			_, err := Verify(doc, options(p))
			switch {
			case tt.says == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.says == "":
				if xerr := xmlsecVerify(t, p, doc); xerr != nil {
					t.Errorf("xmlsec1 refuses what drimm accepts: %v", firstLine(xerr.Error()))
				}
			case err == nil:
				t.Fatalf("accepted with KeyInfo hints %q", tt.hints)
			case !errors.Is(err, ErrProfile) || !strings.Contains(err.Error(), tt.says):
				t.Errorf("got %v, want ErrProfile saying %q", err, tt.says)
			}
		})
	}
}
