package whitelist

import (
	"crypto/x509"
	"encoding/json"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/xades"
)

func TestHomologationKit(t *testing.T) {
	dir := t.TempDir()
	kit, err := WriteKit(dir, buildTestList(t), fixedAt)
	if err != nil {
		t.Fatal(err)
	}
	var manifest Kit
	if err := json.Unmarshal(readFile(t, filepath.Join(dir, "testvectors.json")), &manifest); err != nil {
		t.Fatal(err)
	}
	if len(manifest.Vectors) != len(kitVectors) || len(kit.Vectors) != len(kitVectors) {
		t.Fatalf("%d vectors in the manifest, want %d", len(manifest.Vectors), len(kitVectors))
	}
	root := pemCert(t, filepath.Join(dir, "root.pem"))
	ca := pemCert(t, filepath.Join(dir, "org-ca.pem"))
	maxAge, err := time.ParseDuration(manifest.MaxAge)
	if err != nil {
		t.Fatal(err)
	}
	// Why each vector is refused: a refusal for another reason hides a
	// check that does not work.
	reasons := map[string]error{
		"unsigned.xml": xades.ErrUnsigned, "byte-changed.xml": xades.ErrDigest,
		"wrong-signer.xml": xades.ErrCertificate, "wrong-organisation.xml": xades.ErrCertificate,
		"expired-signer.xml": xades.ErrCertificate, "backdated-signer.xml": xades.ErrCertificate,
		"signed-before-generation.xml": ErrDates, "future-signing-time.xml": xades.ErrSigningTime,
		"other-root.xml": xades.ErrCertificate, "revoked-signer.xml": xades.ErrRevoked,
		"valid.xml crl-expired.der": xades.ErrNoCRL, "unsigned-properties.xml": xades.ErrUnsignedContent,
		"wrapped-signature.xml": xades.ErrProfile, "second-signature.xml": xades.ErrProfile,
		"comment-injected.xml": xades.ErrForbidden, "doctype.xml": xades.ErrForbidden,
		"too-old.xml": ErrStale, "older.xml": ErrRollback,
	}
	// Verify the written files from scratch, as a vendor would.
	states := map[string]*State{}
	for _, v := range manifest.Vectors {
		name := v.File
		if v.CRL != "crl.der" {
			name += " " + v.CRL
		}
		t.Run(name, func(t *testing.T) {
			crl, err := x509.ParseRevocationList(readFile(t, filepath.Join(dir, v.CRL)))
			if err != nil {
				t.Fatal(err)
			}
			opts := VerifyOptions{Signature: xades.VerifyOptions{
				Roots: []*x509.Certificate{root}, Intermediates: []*x509.Certificate{ca},
				CRLs:     []*x509.RevocationList{crl},
				SignerCN: manifest.SignerCN, SignerOU: manifest.SignerOU, SignerO: manifest.SignerO, Now: manifest.VerificationTime,
			}, MaxAge: maxAge}
			opts.Last = states[v.After]
			got, err := Verify(readFile(t, filepath.Join(dir, v.File)), opts)
			switch {
			case v.Expect == "accept" && err != nil:
				t.Errorf("refused: %v", err)
			case v.Expect == "refuse" && err == nil:
				t.Errorf("accepted")
			case err == nil:
				states[v.File] = &got.State
			case !errors.Is(err, reasons[name]):
				t.Errorf("refused for another reason than %v: %v", reasons[name], err)
			}
			if strings.HasPrefix(v.Drimm, "accepted") != (v.Expect == "accept") {
				t.Errorf("the manifest records drimm's verdict %q for a list expected to %s", v.Drimm, v.Expect)
			}
		})
	}
	xmllintValidate(t, readFile(t, filepath.Join(dir, "valid.xml")))

	// The independent verifier agrees where the signature itself decides.
	requireTool(t, "xmlsec1", "xmlsec1")
	for file, ok := range map[string]bool{"valid.xml": true, "valid-octet-stream.xml": true, "byte-changed.xml": false, "other-root.xml": false, "unsigned.xml": false} {
		out, err := exec.Command("xmlsec1", "--verify", "--trusted-pem", filepath.Join(dir, "root.pem"), "--untrusted-pem", filepath.Join(dir, "org-ca.pem"),
			"--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
			"--verification-time", manifest.VerificationTime.Format("2006-01-02 15:04:05"), filepath.Join(dir, file)).CombinedOutput()
		if (err == nil) != ok {
			t.Errorf("xmlsec1 on %s: accepted=%v, want %v\n%s", file, err == nil, ok, out)
		}
	}
}
