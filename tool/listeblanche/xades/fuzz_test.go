package xades

import (
	"bytes"
	"testing"
)

// FuzzVerify feeds mutated lists to the verifier: it must never panic or
// hang, and whatever it accepts must be content it can read back.
func FuzzVerify(f *testing.F) {
	f.Add(unsigned(f))
	f.Add(signedSample(f))
	all := []VerifyOptions{kitOptions(f)}
	// The ANS's lists seed the corpus and their trust options join the
	// verifier's when they are beside the repository.
	if signed := ansFile(f, anchorSigned); signed != nil {
		f.Add(signed)
		f.Add(ansFile(f, "LISTEBLANCHE_DRIM-M_NONSIGNEE_TEST.xml"))

	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, o := range all {
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
