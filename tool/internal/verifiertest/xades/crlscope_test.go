package xadestest

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	. "github.com/drim-m/trust-space/tool/listeblanche/xades"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/testpki"
)

var (
	oidDeltaCRL  = asn1.ObjectIdentifier{2, 5, 29, 27}
	oidIssuingDP = asn1.ObjectIdentifier{2, 5, 29, 28}
)

// idp encodes an issuing distribution point whose SEQUENCE content is body.
func idp(body ...byte) pkix.Extension {
	return pkix.Extension{Id: oidIssuingDP, Critical: true, Value: append([]byte{0x30, byte(len(body))}, body...)}
}

// idpURI is an issuing distribution point naming the URI u.
func idpURI(u string) pkix.Extension {
	gn := append([]byte{0x86, byte(len(u))}, u...)
	full := append([]byte{0xa0, byte(len(gn))}, gn...)
	return idp(append([]byte{0xa0, byte(len(full))}, full...)...)
}

// A revoked signer with, at hand, a CRL of its issuer that does not list
// it, because it does not cover it: refused for want of a CRL, never
// accepted. The CRLs are made here, signed by the real CA key.
func TestCRLCoversTheSigner(t *testing.T) {
	p, err := testpki.New(testpki.Options{Now: pki(t).Now(), CRLBaseURL: "http://crl.test.invalid"})
	if err != nil {
		t.Fatal(err)
	}
	signed := signWith(t, unsigned(t), p.Signer, p.Now())
	rootDER, err := p.RootRevocationList(p.Now())
	if err != nil {
		t.Fatal(err)
	}
	rootCRL, _ := x509.ParseRevocationList(rootDER)
	make := func(t *testing.T, exts []pkix.Extension, entryExts []pkix.Extension) *x509.RevocationList {
		t.Helper()
		tmpl := &x509.RevocationList{Number: big.NewInt(2), ThisUpdate: p.Now(), NextUpdate: p.Now().AddDate(0, 0, 7), ExtraExtensions: exts}
		if entryExts != nil {
			// An entry for another certificate, carrying the extension.
			tmpl.RevokedCertificateEntries = []x509.RevocationListEntry{{SerialNumber: big.NewInt(12345), RevocationTime: p.Now(), ExtraExtensions: entryExts}}
		}
		der, err := x509.CreateRevocationList(rand.Reader, tmpl, p.OrgCA.Cert, p.OrgCA.Key)
		if err != nil {
			t.Fatal(err)
		}
		crl, err := x509.ParseRevocationList(der)
		if err != nil {
			t.Fatalf("the CRL made does not parse: %v", err)
		}
		return crl
	}
	delta := pkix.Extension{Id: oidDeltaCRL, Critical: true, Value: []byte{0x02, 0x01, 0x01}}
	tests := []struct {
		name      string
		exts      []pkix.Extension
		entryExts []pkix.Extension
		says      string // "" when the CRL covers the signer
	}{
		{"a full CRL", nil, nil, ""},
		{"a delta CRL", []pkix.Extension{delta}, nil, "delta CRL"},
		{"only CA certificates", []pkix.Extension{idp(0x82, 0x01, 0xff)}, nil, "CA certificates only"},
		{"only attribute certificates", []pkix.Extension{idp(0x85, 0x01, 0xff)}, nil, "attribute certificates only"},
		{"only some reasons", []pkix.Extension{idp(0x83, 0x02, 0x07, 0x80)}, nil, "some revocation reasons"},
		{"indirect", []pkix.Extension{idp(0x84, 0x01, 0xff)}, nil, "indirect CRL"},
		{"only end-entity certificates", []pkix.Extension{idp(0x81, 0x01, 0xff)}, nil, ""},
		{"the signer's distribution point", []pkix.Extension{idpURI("http://crl.test.invalid/org-ca.crl")}, nil, ""},
		{"another distribution point", []pkix.Extension{idpURI("http://crl.test.invalid/other.crl")}, nil, "not of a distribution point"},
		{"an unknown critical extension", []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 2, 3, 4}, Critical: true, Value: []byte{0x05, 0x00}}}, nil, "unknown critical extension 1.2.3.4"},
		{"an unknown non-critical extension", []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 2, 3, 4}, Value: []byte{0x05, 0x00}}}, nil, ""},
		{"an entry naming another issuer", nil, []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 29}, Critical: true, Value: []byte{0x30, 0x00}}}, "unknown critical extension 2.5.29.29"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := options(p)
			opts.CRLs = []*x509.RevocationList{make(t, tt.exts, tt.entryExts), rootCRL}
			_, err := Verify(signed, opts)
			switch {
			case tt.says == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.says != "" && (!errors.Is(err, ErrNoCRL) || !strings.Contains(err.Error(), tt.says)):
				t.Errorf("got %v, want %v saying %q", err, ErrNoCRL, tt.says)
			}
		})
	}
	// Go makes no CRL without nextUpdate: the parsed form of one stands
	// in, with the signature of a real CRL of the CA.
	t.Run("no nextUpdate", func(t *testing.T) {
		crl := *make(t, nil, nil)
		crl.NextUpdate = time.Time{}
		opts := options(p)
		opts.CRLs = []*x509.RevocationList{&crl, rootCRL}
		if _, err := Verify(signed, opts); !errors.Is(err, ErrNoCRL) || !strings.Contains(err.Error(), "no nextUpdate") {
			t.Errorf("got %v, want %v saying no nextUpdate", err, ErrNoCRL)
		}
	})
	// A CRL that lists the signer refuses it, whatever it covers.
	t.Run("a delta CRL listing the signer", func(t *testing.T) {
		tmpl := &x509.RevocationList{Number: big.NewInt(3), ThisUpdate: p.Now(), NextUpdate: p.Now().AddDate(0, 0, 7), ExtraExtensions: []pkix.Extension{delta},
			RevokedCertificateEntries: []x509.RevocationListEntry{{SerialNumber: p.Signer.Cert.SerialNumber, RevocationTime: p.Now()}}}
		der, err := x509.CreateRevocationList(rand.Reader, tmpl, p.OrgCA.Cert, p.OrgCA.Key)
		if err != nil {
			t.Fatal(err)
		}
		crl, _ := x509.ParseRevocationList(der)
		opts := options(p)
		opts.CRLs = []*x509.RevocationList{crl, rootCRL}
		if _, err := Verify(signed, opts); !errors.Is(err, ErrRevoked) {
			t.Errorf("got %v, want %v", err, ErrRevoked)
		}
	})
}
