package xades

import (
	"bytes"
	"testing"
)

// FuzzVerify feeds mutated lists to the verifier: it must never panic or
// hang, and whatever it accepts must be content it can read back.
func FuzzVerify(f *testing.F) {
	p := pki(f)
	f.Add(unsigned(f))
	f.Add(signWith(f, unsigned(f), p.Signer, p.Now()))
	f.Add(readAnchor(f, anchorSigned))
	f.Add(readAnchor(f, "LISTEBLANCHE_DRIM-M_NONSIGNEE_TEST.xml"))
	opts := options(p)
	anchor := anchorOptions(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, o := range []VerifyOptions{opts, anchor} {
			s, err := Verify(data, o)
			if err != nil {
				continue
			}
			doc, err := parse(s.Content, DefaultLimits)
			if err != nil {
				t.Fatalf("accepted content does not parse: %v", err)
			}
			again, err := canonical(doc.root)
			if err != nil || !bytes.Equal(again, s.Content) {
				t.Fatalf("accepted content is not in canonical form")
			}
		}
	})
}
