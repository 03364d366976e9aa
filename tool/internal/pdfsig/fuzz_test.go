package pdfsig

import (
	"bytes"
	"os"
	"testing"
)

// FuzzCheck: whatever the bytes, Check returns (no panic, no hang), and
// what it accepts holds together: byte ranges that start at 0, leave out
// a hole inside the file, end in increasing order, the last at the end.
func FuzzCheck(f *testing.F) {
	// The signed attestation the dossier tests use, made by signedPDF's
	// construction; building more here would sign in every fuzz worker.
	f.Add([]byte("%PDF-1.7\n1 0 obj\n<< /Type /Sig /Filter /F /SubFilter /adbe.pkcs7.detached /ByteRange [0 1 2 3] /Contents <30> >>\nendobj\n"))
	good, err := os.ReadFile("../dossier/testdata/zed/good/COND-02_attestation-engagement.pdf")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(append(bytes.Clone(good), '\n'))
	f.Fuzz(func(t *testing.T, pdf []byte) {
		sigs, err := Check(pdf)
		if err != nil {
			return
		}
		if len(sigs) == 0 {
			t.Fatal("accepted with no signature")
		}
		prev := int64(-1)
		for _, s := range sigs {
			a, b, c := s.ByteRange[1], s.ByteRange[2], s.ByteRange[3]
			if s.ByteRange[0] != 0 || a >= b || b+c > int64(len(pdf)) || b+c <= prev || pdf[a] != '<' || pdf[b-1] != '>' {
				t.Fatalf("accepted an incoherent signature %+v in %d bytes", s, len(pdf))
			}
			prev = b + c
		}
		if prev != int64(len(pdf)) {
			t.Fatalf("the last signature ends at %d of %d", prev, len(pdf))
		}
	})
}
