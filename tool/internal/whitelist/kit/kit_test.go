package kit

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/whitelist"
	"github.com/drim-m/trust-space/tool/listeblanche"
)

var at = time.Date(2026, 6, 19, 18, 6, 52, 0, time.UTC)

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func pemCert(t *testing.T, path string) *x509.Certificate {
	t.Helper()
	block, _ := pem.Decode(readFile(t, path))
	if block == nil {
		t.Fatalf("%s: no PEM block", path)
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func requireTool(t *testing.T, name, pkg string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s not found: install the Debian package %s", name, pkg)
	}
}

func TestHomologationKit(t *testing.T) {
	l, err := whitelist.Parse(readFile(t, filepath.Join("..", "testdata", "golden", "unsigned.xml")))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	kit, err := Write(dir, l, at)
	if err != nil {
		t.Fatal(err)
	}
	var manifest Kit
	if err := json.Unmarshal(readFile(t, filepath.Join(dir, "testvectors.json")), &manifest); err != nil {
		t.Fatal(err)
	}
	if len(manifest.Vectors) != len(vectors) || len(kit.Vectors) != len(vectors) {
		t.Fatalf("%d vectors in the manifest, want %d", len(manifest.Vectors), len(vectors))
	}
	root := pemCert(t, filepath.Join(dir, "root.pem"))
	ca := pemCert(t, filepath.Join(dir, "org-ca.pem"))
	maxAge, err := time.ParseDuration(manifest.MaxAge)
	if err != nil {
		t.Fatal(err)
	}
	// Verify the written files from scratch, as a vendor would, and check
	// that each refusal comes from the check the manifest names.
	states := map[string]*listeblanche.State{}
	for _, v := range manifest.Vectors {
		name := v.File
		if v.CRL != "crl.der" {
			name += " with " + v.CRL
		}
		t.Run(name, func(t *testing.T) {
			crl, err := x509.ParseRevocationList(readFile(t, filepath.Join(dir, v.CRL)))
			if err != nil {
				t.Fatal(err)
			}
			got, err := listeblanche.Verify(context.Background(), readFile(t, filepath.Join(dir, v.File)), listeblanche.Options{
				Roots: []*x509.Certificate{root}, Intermediates: []*x509.Certificate{ca}, CRLs: []*x509.RevocationList{crl},
				SignerCN: manifest.SignerCN, SignerOU: manifest.SignerOU, SignerO: manifest.SignerO,
				Now: manifest.VerificationTime, MaxAge: maxAge, Last: states[v.After],
			})
			var refused *listeblanche.Error
			switch {
			case v.Expect == "accept" && err != nil:
				t.Errorf("refused: %v", err)
			case v.Expect == "refuse" && err == nil:
				t.Errorf("accepted")
			case err == nil:
				states[v.File] = &got.State
			case !errors.As(err, &refused) || refused.Check != v.Check || v.Check == "":
				t.Errorf("refused by another check than %q: %v", v.Check, err)
			}
			if strings.HasPrefix(v.Drimm, "accepted") != (v.Expect == "accept") {
				t.Errorf("the manifest records drimm's verdict %q for a list expected to %s", v.Drimm, v.Expect)
			}
		})
	}

	// The valid list follows the XSD.
	requireTool(t, "xmllint", "libxml2-utils")
	xsd, err := filepath.Abs(filepath.Join("..", "..", "..", "..", "schemas", "liste-blanche.xsd"))
	if err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("xmllint", "--noout", "--schema", xsd, filepath.Join(dir, "valid.xml")).CombinedOutput(); err != nil {
		t.Errorf("xmllint refuses valid.xml: %v\n%s", err, out)
	}

	// The independent verifier agrees where the signature itself decides.
	requireTool(t, "xmlsec1", "xmlsec1")
	for file, ok := range map[string]bool{"valid.xml": true, "valid-octet-stream.xml": true, "byte-changed.xml": false, "other-root.xml": false, "unsigned.xml": false, "expired-signer.xml": false} {
		out, err := exec.Command("xmlsec1", "--verify", "--trusted-pem", filepath.Join(dir, "root.pem"), "--untrusted-pem", filepath.Join(dir, "org-ca.pem"),
			"--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
			"--verification-time", manifest.VerificationTime.Format("2006-01-02 15:04:05"), filepath.Join(dir, file)).CombinedOutput()
		if (err == nil) != ok {
			t.Errorf("xmlsec1 on %s: accepted=%v, want %v\n%s", file, err == nil, ok, out)
		}
	}
}
