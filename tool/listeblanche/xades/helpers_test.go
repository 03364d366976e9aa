package xades

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// These tests need nothing outside this module: the lists they read are the
// homologation kit's (signed by drimm's test PKI when the kit was written)
// and this folder's testdata. The tests that sign, or need the test PKI or
// SoftHSM2, are in the tool's module (tool/internal/verifiertest/xades).

func requireTool(t testing.TB, name, pkg string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s not found: install %s", name, pkg)
	}
}

func readTestFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func unsigned(t testing.TB) []byte { return readTestFile(t, filepath.Join("testdata", "unsigned.xml")) }

// signedSample is the homologation kit's valid list.
func signedSample(t testing.TB) []byte {
	return readTestFile(t, filepath.Join("..", "testdata", "kit", "valid.xml"))
}

// kitOptions verify the kit's lists at the kit's time.
func kitOptions(t testing.TB) VerifyOptions {
	t.Helper()
	cert := func(name string) *x509.Certificate {
		block, _ := pem.Decode(readTestFile(t, filepath.Join("..", "testdata", "kit", name)))
		if block == nil {
			t.Fatalf("%s: no PEM block", name)
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	crl, err := x509.ParseRevocationList(readTestFile(t, filepath.Join("..", "testdata", "kit", "crl.der")))
	if err != nil {
		t.Fatal(err)
	}
	return VerifyOptions{
		Roots: []*x509.Certificate{cert("root.pem")}, Intermediates: []*x509.Certificate{cert("org-ca.pem")},
		CRLs:     []*x509.RevocationList{crl},
		SignerCN: "Liste Blanche DRIM-M", SignerOU: "318751275100020", SignerO: "AGENCE DU NUMERIQUE EN SANTE",
		Now: time.Date(2026, 6, 19, 18, 6, 52, 0, time.UTC),
	}
}

// The ANS's published test lists, beside the repository as the tool's
// package anchors finds them: optional, but required under CI=true.
const (
	ansEnv       = "DRIMM_ANS_ANCHORS"
	anchorSigned = "LISTEBLANCHE_DRIM-M_SIGNEE_TEST.2026.06.01.xml"
)

func ansRequired() bool {
	return os.Getenv("CI") == "true" && os.Getenv("DRIMM_ANS_INTEROP") != "skip"
}

func ansDir(t testing.TB) string {
	t.Helper()
	if dir := os.Getenv(ansEnv); dir != "" && filepath.IsAbs(dir) {
		return dir
	}
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv(ansEnv); dir != "" {
		return filepath.Join(root, dir)
	}
	return filepath.Join(root, "..", "shared", "anchors", "ans-liste-blanche")
}

// ansFile returns one of the ANS's files, or nil when they are missing.
func ansFile(t testing.TB, name string) []byte {
	t.Helper()
	dir := ansDir(t)
	if _, err := os.Stat(filepath.Join(dir, "igc-sante-test-root.pem")); err != nil {
		if ansRequired() {
			ansMissing(t)
		}
		return nil
	}
	return readTestFile(t, filepath.Join(dir, name))
}

func ansMissing(t testing.TB) {
	t.Helper()
	msg := fmt.Sprintf("ANS interop test not run: the ANS's published test lists are not in %s (set %s to the folder that holds them)", ansDir(t), ansEnv)
	if ansRequired() {
		t.Fatal(msg + "; CI=true requires them (DRIMM_ANS_INTEROP=skip where CI cannot have them)")
	}
	t.Skip(msg)
}
