package listeblanche

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The homologation kit is this package's test suite, as it is a vendor's:
// every vector gets its verdict, refused by the check it names.
func TestHomologationKit(t *testing.T) {
	dir := filepath.Join("testdata", "kit")
	var manifest struct {
		VerificationTime time.Time `json:"verification_time"`
		MaxAge           string    `json:"max_age"`
		Vectors          []struct {
			File, Expect, After, CRL string
			Check                    Check
		} `json:"vectors"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "testvectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &manifest); err != nil {
		t.Fatal(err)
	}
	maxAge, err := time.ParseDuration(manifest.MaxAge)
	if err != nil {
		t.Fatal(err)
	}
	cert := func(name string) *x509.Certificate {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		block, _ := pem.Decode(b)
		if block == nil {
			t.Fatalf("%s: no PEM block", name)
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	states := map[string]*State{}
	refusals := 0
	for _, v := range manifest.Vectors {
		t.Run(v.File+" "+v.CRL, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, v.CRL))
			if err != nil {
				t.Fatal(err)
			}
			crl, err := x509.ParseRevocationList(b)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := os.ReadFile(filepath.Join(dir, v.File))
			if err != nil {
				t.Fatal(err)
			}
			got, err := Verify(context.Background(), doc, Options{
				Roots: []*x509.Certificate{cert("root.pem")}, Intermediates: []*x509.Certificate{cert("org-ca.pem")},
				CRLs: []*x509.RevocationList{crl}, Now: manifest.VerificationTime, MaxAge: maxAge, Last: states[v.After],
			})
			var refused *Error
			switch {
			case v.Expect == "accept" && err != nil:
				t.Errorf("refused: %v", err)
			case v.Expect == "accept":
				states[v.File] = &got.State
				if len(got.Entries) == 0 || got.Signer.Subject.CommonName != "Liste Blanche DRIM-M" {
					t.Errorf("accepted with %d entries, signed by %q", len(got.Entries), got.Signer.Subject)
				}
			case err == nil:
				t.Errorf("accepted")
			case !errors.As(err, &refused) || refused.Check != v.Check:
				t.Errorf("refused by another check than %q: %v", v.Check, err)
			default:
				refusals++
			}
		})
	}
	if refusals < 15 {
		t.Errorf("only %d vectors refused as expected", refusals)
	}
}

// The zero options are strict: without a CRL, a list is refused.
func TestStrictByDefault(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("testdata", "kit", "valid.xml"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join("testdata", "kit", "root.pem"))
	block, _ := pem.Decode(b)
	root, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 6, 19, 18, 6, 52, 0, time.UTC)
	_, err = Verify(context.Background(), doc, Options{Roots: []*x509.Certificate{root}, Now: at})
	var refused *Error
	if !errors.As(err, &refused) || refused.Check != CheckRevocation {
		t.Fatalf("without a CRL: got %v, want a refusal by the revocation check", err)
	}
	got, err := Verify(context.Background(), doc, Options{Roots: []*x509.Certificate{root}, Now: at, Revocation: RevocationSkipped})
	if err != nil || len(got.Warnings) != 1 || !strings.Contains(got.Warnings[0], "revocation not checked") {
		t.Fatalf("revocation skipped: %v, warnings %q", err, got.Warnings)
	}
	if _, err := Verify(context.Background(), doc, Options{Roots: []*x509.Certificate{root}}); err == nil || !strings.Contains(err.Error(), "Options.Now") {
		t.Fatalf("without a time: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Verify(ctx, doc, Options{Roots: []*x509.Certificate{root}, Now: at, Revocation: RevocationSkipped}); !errors.Is(err, context.Canceled) {
		t.Fatalf("with a cancelled context: %v", err)
	}
}
