package xadestest

import (
	"errors"
	. "github.com/drim-m/trust-space/tool/listeblanche/xades"
	"slices"
	"strings"
	"testing"

	"github.com/drim-m/trust-space/tool/internal/testpki"
)

// A signer chained to the pinned root whose subject holds the ANS's CN, OU
// and O beside others, or joined to others in one RDN, is not the ANS's
// signer: pkix.Name would pick the expected value out of it.
func TestSignerNameReadOnce(t *testing.T) {
	p := pki(t)
	const rest = ",O=AGENCE DU NUMERIQUE EN SANTE,ST=Paris (75),C=FR"
	for _, tc := range []struct {
		name, subject, says string
		pkixPasses          bool
	}{
		{"the ANS's subject", testpki.SignerSubject, "", true},
		{"two CNs", "CN=Liste Blanche DRIM-M,CN=Liste Blanche HOSTILE,OU=318751275100020" + rest,
			"has CN more than once", true},
		{"two OUs", "CN=Liste Blanche DRIM-M,OU=318751275100020,OU=999999999" + rest,
			"has OU more than once", true},
		{"two Os", "CN=Liste Blanche DRIM-M,OU=318751275100020,O=AGENCE DU NUMERIQUE EN SANTE,O=HOSTILE,C=FR",
			"has O more than once", true},
		{"CN and OU in one RDN", "CN=Liste Blanche DRIM-M+OU=318751275100020" + rest,
			"multi-valued RDN", true},
		{"CN joined to another", "CN=Liste Blanche DRIM-M+CN=HOSTILE,OU=318751275100020" + rest,
			"multi-valued RDN", true},
		{"another CN", "CN=Liste Blanche HOSTILE,OU=318751275100020" + rest,
			`the signer's CN is "Liste Blanche HOSTILE", expected "Liste Blanche DRIM-M"`, false},
		{"no OU", "CN=Liste Blanche DRIM-M" + rest, "has no OU", false},
		// TeletexString has no one character set: the same bytes are
		// other letters to another reader, so the CN is not read as text.
		{"the CN as a TeletexString", "CN=#14144c6973746520426c616e636865204452494d2d4d,OU=318751275100020" + rest,
			"has no CN as text", true},
		{"an empty O", "CN=Liste Blanche DRIM-M,OU=318751275100020,O=,C=FR",
			`the signer's O is "", expected`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			signer, err := p.IssueSigner(testpki.SignerRequest{Subject: tc.subject})
			if err != nil {
				t.Fatal(err)
			}
			// What the check did before: through pkix.Name.
			s := signer.Cert.Subject
			pkixPasses := s.CommonName == "Liste Blanche DRIM-M" &&
				slices.Contains(s.OrganizationalUnit, "318751275100020") && slices.Contains(s.Organization, "AGENCE DU NUMERIQUE EN SANTE")
			if pkixPasses != tc.pkixPasses {
				t.Fatalf("pkix.Name reading passes = %v, want %v: the case no longer shows what it is for", pkixPasses, tc.pkixPasses)
			}
			_, err = Verify(signWith(t, unsigned(t), signer, p.Now()), options(p))
			switch {
			case tc.says == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.says == "":
			case err == nil:
				t.Fatalf("a signer named %q is accepted", tc.subject)
			case !errors.Is(err, ErrCertificate) || !strings.Contains(err.Error(), tc.says):
				t.Errorf("got %v, want ErrCertificate saying %q", err, tc.says)
			}
		})
	}
}
