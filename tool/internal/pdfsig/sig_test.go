package pdfsig

import (
	"bytes"
	"encoding/asn1"
	"strings"
	"testing"
)

func TestCheckAccepts(t *testing.T) {
	s := newSigner(t)
	once, err := Check(signedPDF(t, s))
	if err != nil {
		t.Fatalf("a signed PDF is refused: %v", err)
	}
	if len(once) != 1 || once[0].SubFilter != "ETSI.CAdES.detached" || once[0].Type != "Sig" || once[0].Filter != "Adobe.PPKLite" {
		t.Errorf("got %+v", once)
	}
	twice, err := Check(twiceSignedPDF(t, s))
	if err != nil {
		t.Fatalf("a PDF signed twice in two revisions is refused: %v", err)
	}
	if len(twice) != 2 || twice[0].ByteRange[2]+twice[0].ByteRange[3] >= twice[1].ByteRange[2]+twice[1].ByteRange[3] {
		t.Errorf("got %+v", twice)
	}
}

func TestCheckRefuses(t *testing.T) {
	s := newSigner(t)
	good := signedPDF(t, s)
	dataCMS, _ := asn1.Marshal(struct {
		T asn1.ObjectIdentifier
		C asn1.RawValue `asn1:"explicit,tag:0"`
	}{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}, asn1.RawValue{Tag: asn1.TagOctetString, Bytes: []byte("x")}})
	tests := []struct {
		name string
		pdf  func() []byte
		says string
	}{
		{"not a PDF", func() []byte { return []byte("Signé électroniquement /Type /Sig /ByteRange") }, "not a PDF"},
		{"words only", func() []byte {
			text := "BT (Document signé électroniquement : /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 10 20 30] /Contents <3082>) Tj ET"
			body := page + "4 0 obj\n<< /Length " + itoa(len(text)) + " >>\nstream\n" + text + "\nendstream\nendobj\n"
			return []byte(body + trailer(body))
		}, "no signature dictionary"},
		{"byte range not covering the file", func() []byte {
			return append(bytes.Clone(good), "% a line added after signing\n"...)
		}, "changed after it was signed"},
		{"byte range overlapping the contents", func() []byte {
			pdf := bytes.Clone(good)
			i := bytes.Index(pdf, []byte("/ByteRange [0 ")) + len("/ByteRange [0 ")
			a := atoi(string(pdf[i : i+10]))
			copy(pdf[i:], []byte(pad10(a+100)))
			return pdf
		}, "must leave out exactly the /Contents"},
		{"byte range not from the start", func() []byte {
			pdf := bytes.Clone(good)
			i := bytes.Index(pdf, []byte("/ByteRange [0 ")) + len("/ByteRange [")
			pdf[i] = '1'
			return pdf
		}, "not at the start of the file"},
		{"contents not DER", func() []byte {
			body := page + fieldObject(4, 5) + sigObject(5, "ETSI.CAdES.detached")
			pdf := []byte(body + trailer(body))
			return fill(t, s, pdf, len(pdf), []byte("une signature, promis"))
		}, "is not a DER CMS ContentInfo"},
		{"contents another CMS type", func() []byte {
			body := page + fieldObject(4, 5) + sigObject(5, "ETSI.CAdES.detached")
			pdf := []byte(body + trailer(body))
			return fill(t, s, pdf, len(pdf), dataCMS)
		}, "not SignedData"},
		{"garbage after the CMS", func() []byte {
			body := page + fieldObject(4, 5) + sigObject(5, "ETSI.CAdES.detached")
			pdf := []byte(body + trailer(body))
			return fill(t, s, pdf, len(pdf), append(s.cms(t, []byte("x")), 0x01))
		}, "other than zero padding"},
		{"two signatures of the same bytes", func() []byte {
			body := page + fieldObject(4, 5) + sigObject(5, "ETSI.CAdES.detached") + sigObject(6, "adbe.pkcs7.detached")
			pdf := []byte(body + trailer(body))
			der := s.cms(t, []byte("x"))
			// Each leaves out only its own /Contents: both sign to the end.
			pdf = fill(t, s, pdf, len(pdf), der)
			return fill(t, s, pdf, len(pdf), der)
		}, "two signature dictionaries sign the same bytes"},
		{"unknown sub-filter", func() []byte {
			return bytes.Replace(bytes.Clone(good), []byte("/ETSI.CAdES.detached"), []byte("/x.pkcs7.sha999"), 1)
		}, "is not adbe.pkcs7.detached"},
		{"duplicate key", func() []byte {
			return bytes.Replace(bytes.Clone(good), []byte("/M (D:"), []byte("/Filter (D:"), 1)
		}, "twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs, err := Check(tt.pdf())
			if err == nil || !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("Check = %+v, %v; want an error saying %q", sigs, err, tt.says)
			}
		})
	}
}

func itoa(n int) string { return strings.TrimLeft(pad10(n), "0") }

func pad10(n int) string {
	b := []byte("0000000000")
	for i := 9; i >= 0 && n > 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b)
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
