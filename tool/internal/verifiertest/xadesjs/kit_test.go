package xadesjstest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drim-m/trust-space/tool/internal/anchors"
)

var kitDir = filepath.Join("..", "..", "..", "listeblanche", "testdata", "kit")

// xadesjsRefuses records what xadesjs (with verify.js) refuses among the
// homologation kit's lists, and why. xadesjs checks cryptography only:
// the lists refused for their signer, revocation, time, freshness or
// rollback are correctly signed, and it accepts them. It also accepts
// three the profile refuses although their signature verifies: an XML
// comment in a value (the signature is computed without comments), a
// DOCTYPE declaring an entity, and a forged xades:UnsignedProperties
// entry (no signature covers it, by design of XAdES); and KeyInfo's
// X509SubjectName naming another signer, which nothing signs. A DRIMbox
// needs drimm's checks on top of any XAdES library for those.
var xadesjsRefuses = map[string]string{
	"unsigned.xml":          "0 ds:Signature elements",
	"byte-changed.xml":      "Invalid digest for uri ''",
	"wrapped-signature.xml": "Invalid digest for uri ''",
	// Refused by verify.js, which wants one signature, not by xadesjs: it
	// would verify the first and ignore the second.
	"second-signature.xml": "2 ds:Signature elements",
}

// TestXadesjsKitVectors runs xadesjs over every list of the kit: those
// the kit says to accept verify, and those whose signature does not hold
// are refused for the reason recorded in xadesjsRefuses.
func TestXadesjsKitVectors(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(kitDir, "testvectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var kit struct {
		Vectors []struct{ File, Expect, Check string }
	}
	if err := json.Unmarshal(b, &kit); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, v := range kit.Vectors {
		if seen[v.File] {
			continue // the same list under another CRL: same signature
		}
		seen[v.File] = true
		t.Run(v.File, func(t *testing.T) {
			t.Parallel() // one node process each, single-threaded
			list := readKit(t, v.File)
			want, refused := xadesjsRefuses[v.File]
			if v.Expect == "accept" && refused {
				t.Errorf("the kit accepts it but xadesjsRefuses lists it")
			}
			if v.Check == "signature" && !refused {
				t.Errorf("refused by the kit for its signature, so xadesjs must refuse it too")
			}
			r := xadesjs(t, list, false)
			switch {
			case refused && r.Valid:
				t.Errorf("xadesjs accepts it, want refused for %q", want)
			case refused && !strings.Contains(r.Reason, want):
				t.Errorf("xadesjs refuses it for %q, want %q", r.Reason, want)
			case !refused && !r.Valid:
				t.Errorf("(kit: %s %s): xadesjs refuses it: %s", v.Expect, v.Check, r.Reason)
			}
		})
	}
	for f := range xadesjsRefuses {
		if !seen[f] {
			t.Errorf("%s is in xadesjsRefuses but not in the kit", f)
		}
	}
}

const ansSigned = "LISTEBLANCHE_DRIM-M_SIGNEE_TEST.2026.06.01.xml"

// TestXadesjsANSSignedList: xadesjs accepts the list the ANS signed.
func TestXadesjsANSSignedList(t *testing.T) {
	mustAccept(t, "the ANS signed list", anchors.Read(t, ansSigned))
}

func readKit(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(kitDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
