package pdfsig

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// signer is a throwaway key and self-signed certificate openssl makes for
// the tests' signatures; it never leaves the test's temporary folder.
type signer struct{ dir string }

var (
	signerOnce sync.Once
	signerDir  string
	signerErr  error
)

func newSigner(t testing.TB) signer {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Fatal("openssl is needed to sign the test PDFs (Debian package openssl)")
	}
	signerOnce.Do(func() {
		signerDir, signerErr = os.MkdirTemp("", "pdfsig-signer")
		if signerErr != nil {
			return
		}
		out, err := exec.Command("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
			"-keyout", filepath.Join(signerDir, "key.pem"), "-out", filepath.Join(signerDir, "cert.pem"),
			"-subj", "/CN=Signataire fictif", "-days", "2").CombinedOutput()
		if err != nil {
			signerErr = fmt.Errorf("openssl req: %v: %s", err, out)
		}
	})
	if signerErr != nil {
		t.Fatal(signerErr)
	}
	return signer{signerDir}
}

// cms signs data as a PAdES signer does: a detached CMS SignedData, DER.
func (s signer) cms(t testing.TB, data []byte) []byte {
	t.Helper()
	dir := t.TempDir()
	in, out := filepath.Join(dir, "data"), filepath.Join(dir, "sig.der")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		t.Fatal(err)
	}
	msg, err := exec.Command("openssl", "cms", "-sign", "-binary", "-in", in, "-signer", filepath.Join(s.dir, "cert.pem"),
		"-inkey", filepath.Join(s.dir, "key.pem"), "-outform", "DER", "-out", out).CombinedOutput()
	if err != nil {
		t.Fatalf("openssl cms: %v: %s", err, msg)
	}
	der, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

const (
	contentsRoom = 8192 // hex digits reserved for /Contents
	rangeHole    = "[0 0000000000 0000000000 0000000000]"
)

// page is a one-page PDF's first objects; field and sig objects follow.
const page = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" +
	"1 0 obj\n<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>\nendobj\n" +
	"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n" +
	"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>\nendobj\n"

// sigObject is a signature dictionary with room for its byte range and
// contents.
func sigObject(num int, subFilter string) string {
	return fmt.Sprintf("%d 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /%s /ByteRange %s /Contents <%s> /M (D:20260105120000Z) >>\nendobj\n",
		num, subFilter, rangeHole, strings.Repeat("0", contentsRoom))
}

func fieldObject(num, sig int) string {
	return fmt.Sprintf("%d 0 obj\n<< /FT /Sig /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /T (Signature%d) /V %d 0 R /P 3 0 R >>\nendobj\n", num, num, sig)
}

func trailer(body string) string {
	return fmt.Sprintf("trailer\n<< /Root 1 0 R /Size 8 >>\nstartxref\n%d\n%%%%EOF\n", len(body))
}

// fill sets the first byte-range hole left and its contents so that the
// signature signs everything up to end but its own /Contents, with a
// CMS signature of those bytes (or with der when it is given).
func fill(t testing.TB, s signer, pdf []byte, end int, der []byte) []byte {
	t.Helper()
	hole := bytes.Index(pdf, []byte(rangeHole))
	open := bytes.Index(pdf[hole:], []byte("/Contents <")) + hole + len("/Contents ")
	closeAt := open + 1 + contentsRoom + 1
	br := fmt.Sprintf("[0 %010d %010d %010d]", open, closeAt, end-closeAt)
	copy(pdf[hole:], br)
	if der == nil {
		signed := append(append([]byte{}, pdf[:open]...), pdf[closeAt:end]...)
		der = s.cms(t, signed)
	}
	h := hex.EncodeToString(der)
	if len(h) > contentsRoom {
		t.Fatalf("a CMS of %d bytes does not fit the room left for it", len(der))
	}
	copy(pdf[open+1:], h)
	return pdf
}

// signedPDF is a one-page PDF signed once, PAdES-style.
func signedPDF(t testing.TB, s signer) []byte {
	t.Helper()
	body := page + fieldObject(4, 5) + sigObject(5, "ETSI.CAdES.detached")
	pdf := []byte(body + trailer(body))
	return fill(t, s, pdf, len(pdf), nil)
}

// twiceSignedPDF is signedPDF with a second signature in an incremental
// update, as when the Client signs after the operator.
func twiceSignedPDF(t testing.TB, s signer) []byte {
	t.Helper()
	first := signedPDF(t, s)
	update := fieldObject(6, 7) + sigObject(7, "adbe.pkcs7.detached")
	pdf := []byte(string(first) + update + trailer(string(first)+update))
	return fill(t, s, pdf, len(pdf), nil)
}
