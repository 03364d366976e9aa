package xadestest

import (
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"errors"
	. "github.com/drim-m/trust-space/tool/listeblanche/xades"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/anchors"
)

// readAnchor returns one of the ANS's published test files; the test is
// skipped (failed under CI=true) when they are not beside the repository.
func readAnchor(t testing.TB, name string) []byte {
	t.Helper()
	return anchors.Read(t, name)
}

func anchorCert(t testing.TB, name string) *x509.Certificate {
	t.Helper()
	block, _ := pem.Decode(readAnchor(t, name))
	if block == nil {
		t.Fatalf("%s holds no PEM certificate", name)
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const anchorSigned = "LISTEBLANCHE_DRIM-M_SIGNEE_TEST.2026.06.01.xml"

func anchorOptions(t testing.TB) VerifyOptions {
	return VerifyOptions{
		Roots:         []*x509.Certificate{anchorCert(t, "igc-sante-test-root.pem")},
		Intermediates: []*x509.Certificate{anchorCert(t, "igc-sante-test-org-ca.pem")},
		SignerCN:      "Liste Blanche DRIM-M",
		SignerOU:      "318751275100020",
		SignerO:       "AGENCE DU NUMERIQUE EN SANTE",
		Now:           time.Date(2026, 3, 17, 14, 46, 8, 0, time.UTC),
		// The IGC Santé CRLs are on the internet; revocation is tested
		// against the test PKI.
		Revocation: RevocationSkipped,
	}
}

func TestVerifyANSSignedList(t *testing.T) {
	got, err := Verify(readAnchor(t, anchorSigned), anchorOptions(t))
	if err != nil {
		t.Fatalf("the ANS signed list is refused: %v", err)
	}
	if want := time.Date(2026, 3, 17, 14, 46, 8, 0, time.UTC); !got.SigningTime.Equal(want) {
		t.Errorf("signing time = %s, want %s", got.SigningTime, want)
	}
	if got.MimeType != MimeOctet {
		t.Errorf("MimeType = %q, want %q", got.MimeType, MimeOctet)
	}
	if len(got.Chain) != 3 {
		t.Errorf("chain has %d certificates, want signer, CA, root", len(got.Chain))
	}
	if strings.Contains(string(got.Content), "Signature") {
		t.Error("the content returned holds the signature")
	}
	if !strings.Contains(string(got.Content), "<Identifiant>175</Identifiant>") {
		t.Error("the content returned lacks the entries")
	}
}

func TestANSIssuerSerialMatchesOurs(t *testing.T) {
	s, err := Verify(readAnchor(t, anchorSigned), anchorOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	der := issuerSerialV2(t, s.Signer)
	// The ANS's own IssuerSerialV2, taken from the file, encodes the same.
	doc := string(readAnchor(t, anchorSigned))
	start := strings.Index(doc, "<xades:IssuerSerialV2>") + len("<xades:IssuerSerialV2>")
	end := strings.Index(doc, "</xades:IssuerSerialV2>")
	if got, want := doc[start:end], b64(der); got != want {
		t.Errorf("our IssuerSerialV2 encoding differs from the ANS's:\n ours %s\n ANS  %s", want, got)
	}
}

func TestRefuseANSUnsignedList(t *testing.T) {
	_, err := Verify(readAnchor(t, "LISTEBLANCHE_DRIM-M_NONSIGNEE_TEST.xml"), anchorOptions(t))
	if !errors.Is(err, ErrUnsigned) {
		t.Fatalf("the ANS unsigned list: got %v, want %v", err, ErrUnsigned)
	}
}

func TestANSSignedListAfterExpiry(t *testing.T) {
	opts := anchorOptions(t)
	opts.Now = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	// After its signer expired (2026-09-12), the list is refused: a
	// relying party trusts only a signer valid now.
	_, err := Verify(readAnchor(t, anchorSigned), opts)
	if !errors.Is(err, ErrCertificate) || !strings.Contains(err.Error(), "is not valid (valid from 2023-09-12T10:00:44Z to 2026-09-12T10:00:44Z)") {
		t.Fatalf("verified after the signer expired: got %v", err)
	}
	opts = anchorOptions(t)
	opts.SignerOU = "300000000000000"
	if _, err := Verify(readAnchor(t, anchorSigned), opts); !errors.Is(err, ErrCertificate) {
		t.Fatalf("a wrong OU expectation: got %v, want %v", err, ErrCertificate)
	}
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// issuerSerialV2 encodes the IssuerSerial of RFC 5035 for c, as the
// signer writes it: GeneralNames holding one directoryName, and the serial.
func issuerSerialV2(t *testing.T, c *x509.Certificate) []byte {
	t.Helper()
	dirName, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 4, IsCompound: true, Bytes: c.RawIssuer})
	if err != nil {
		t.Fatal(err)
	}
	der, err := asn1.Marshal(struct {
		Issuer asn1.RawValue
		Serial *big.Int
	}{asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSequence, IsCompound: true, Bytes: dirName}, c.SerialNumber})
	if err != nil {
		t.Fatal(err)
	}
	return der
}
