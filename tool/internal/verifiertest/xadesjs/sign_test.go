package xadesjstest

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/anchors"
	"github.com/drim-m/trust-space/tool/internal/hsm"
	"github.com/drim-m/trust-space/tool/internal/testpki"
	"github.com/drim-m/trust-space/tool/listeblanche/xades"
)

var testNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// testPKI is generated once per test binary: RSA key generation is the
// slow part.
var testPKI = sync.OnceValues(func() (*testpki.PKI, error) {
	return testpki.New(testpki.Options{Now: testNow})
})

func pki(t testing.TB) *testpki.PKI {
	t.Helper()
	p, err := testPKI()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func unsigned(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "listeblanche", "xades", "testdata", "unsigned.xml"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func signed(t testing.TB) []byte {
	t.Helper()
	p := pki(t)
	out, err := xades.Sign(unsigned(t), xades.SignOptions{Key: p.Signer.Key,
		Chain: []*x509.Certificate{p.Signer.Cert, p.OrgCA.Cert, p.Root.Cert}, Time: p.Now()})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// replaceOnce replaces the first match of re in b by repl, failing the
// test when there is none: a tamper that changes nothing proves nothing.
func replaceOnce(t testing.TB, b []byte, re string, repl func([]byte) []byte) []byte {
	t.Helper()
	loc := regexp.MustCompile(re).FindSubmatchIndex(b)
	if loc == nil {
		t.Fatalf("%s not found in the signed list", re)
	}
	out := append([]byte{}, b[:loc[2]]...)
	out = append(out, repl(b[loc[2]:loc[3]])...)
	out = append(out, b[loc[3]:]...)
	if bytes.Equal(out, b) {
		t.Fatalf("tampering with %s changed nothing", re)
	}
	return out
}

// TestXadesjsVerifiesDrimmSignature: xadesjs, with the XPath Filter 2.0
// transform the profile needs, accepts drimm's signature and refuses a
// change to the content, to the signed properties and to the
// SignatureValue, each for its own reason.
func TestXadesjsVerifiesDrimmSignature(t *testing.T) {
	list := signed(t)
	if r := xadesjs(t, list, false); !r.Valid {
		t.Fatalf("xadesjs refuses drimm's signature: %s", r.Reason)
	} else if want := "2 references (content, http://uri.etsi.org/01903#SignedProperties)"; !strings.Contains(r.Reason, want) {
		t.Errorf("xadesjs verified %q, want %q", r.Reason, want)
	}
	denomination := replaceOnce(t, list, `<Denomination>(OPERATEUR FICTIF)</Denomination>`, func([]byte) []byte { return []byte("OPERATEUR FICTIG") })
	mustRefuse(t, "a Denomination changed by one byte", denomination, "Invalid digest for uri ''")
	signingTime := replaceOnce(t, list, `<xades:SigningTime>([^<]+)</xades:SigningTime>`, func(v []byte) []byte {
		at, err := time.Parse(time.RFC3339, string(v))
		if err != nil {
			t.Fatal(err)
		}
		return []byte(at.Add(-time.Hour).Format(time.RFC3339))
	})
	mustRefuse(t, "a changed SigningTime", signingTime, "Invalid digest for uri '#xades-")
	value := replaceOnce(t, list, `<ds:SignatureValue[^>]*>([^<]+)</ds:SignatureValue>`, func(v []byte) []byte {
		raw, err := base64.StdEncoding.DecodeString(string(v))
		if err != nil {
			t.Fatal(err)
		}
		raw[len(raw)/2] ^= 1
		return []byte(base64.StdEncoding.EncodeToString(raw))
	})
	mustRefuse(t, "a changed SignatureValue", value, "the SignatureValue does not verify")
	// A forged QualifyingProperties (another SigningTime) in a ds:Object
	// placed before the signed one: no digest covers it, and xadesjs
	// alone would report its properties; verify.js refuses it.
	forged := replaceOnce(t, list, `(<ds:Object>.*</ds:Object>)`, func(obj []byte) []byte {
		copied := regexp.MustCompile(`<xades:SigningTime>[^<]+`).ReplaceAll(obj, []byte("<xades:SigningTime>2020-01-01T00:00:00Z"))
		copied = bytes.ReplaceAll(copied, []byte(`Id="xades-`), []byte(`Id="forged-`))
		return append(copied, obj...)
	})
	mustRefuse(t, "a forged QualifyingProperties before the signed one", forged, "2 xades:QualifyingProperties")
}

// TestXadesjsStockRefusesFilter2 records an interop finding: xadesjs
// 2.6.8 as shipped (xmldsigjs 2.8) does not implement XPath Filter 2.0
// (http://www.w3.org/2002/06/xmldsig-filter2), which the ANS profile's
// content reference uses, so a DRIMbox on stock xadesjs refuses every
// list, the ANS's own as well as drimm's. verify.js registers the one
// filter the profile uses; if a new xadesjs implements it, this test
// fails and the script's transform can go.
func TestXadesjsStockRefusesFilter2(t *testing.T) {
	lists := map[string]func(t *testing.T) []byte{
		"drimm":   func(t *testing.T) []byte { return signed(t) },
		"ANS":     func(t *testing.T) []byte { return anchors.Read(t, ansSigned) },
		"kit":     func(t *testing.T) []byte { return readKit(t, "valid.xml") },
		"kit-oct": func(t *testing.T) []byte { return readKit(t, "valid-octet-stream.xml") },
	}
	for name, list := range lists {
		t.Run(name, func(t *testing.T) {
			r := xadesjs(t, list(t), true)
			if r.Valid || r.Reason != "XMLJS0015: Unknown transform http://www.w3.org/2002/06/xmldsig-filter2" {
				t.Errorf("stock xadesjs: valid=%v %q; the filter2 finding no longer holds", r.Valid, r.Reason)
			}
		})
	}
}

func TestXadesjsVerifiesSoftHSMSignature(t *testing.T) {
	if _, err := exec.LookPath("softhsm2-util"); err != nil {
		t.Fatal("softhsm2-util not found: install softhsm2")
	}
	p := pki(t)
	h, err := testpki.NewSoftHSM(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tok, err := h.CreateToken("drimm-xadesjs", "731902", p.Signer, "liste-blanche")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOFTHSM2_CONF", tok.Conf)
	key, err := hsm.Open(hsm.Config{Module: tok.Module, Token: tok.Label, KeyLabel: tok.KeyLabel, PIN: tok.PIN})
	if err != nil {
		t.Fatal(err)
	}
	defer key.Close()
	list, err := xades.Sign(unsigned(t), xades.SignOptions{Key: key,
		Chain: []*x509.Certificate{p.Signer.Cert, p.OrgCA.Cert, p.Root.Cert}, Time: p.Now()})
	if err != nil {
		t.Fatal(err)
	}
	mustAccept(t, "the SoftHSM2 signature", list)
}
