package xades

import (
	"bytes"
	"fmt"
	"testing"
)

// list10k is a Liste Blanche of 10,000 fictional entries.
func list10k() []byte {
	var b bytes.Buffer
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListeBlancheDRIM-M xmlns=\"https://github.com/ansforge/DRIM-M_DATA\" versionFormat=\"1.0.0\">\n    <DateDeGeneration>2026-05-01T12:00:00Z</DateDeGeneration>\n    <ListeDomaines>\n")
	for i := 1; i <= 10000; i++ {
		fmt.Fprintf(&b, "        <Domaine>\n            <Identifiant>%d</Identifiant>\n            <db>db%d.test.mesimagesmedicales.fr</db>\n            <vi>vi%d.test.mesimagesmedicales.fr</vi>\n            <Denomination>OPERATEUR FICTIF %d</Denomination>\n            <DNCertificatOperateur>CN=db%d.test.mesimagesmedicales.fr,OU=3%014d,O=CENTRE D'IMAGERIE FICTIF,ST=Côte-d'Or (21),C=FR</DNCertificatOperateur>\n            <SupportContact>support@operateur-fictif.example</SupportContact>\n            <DateMAJ>2026-04-02T09:30:00Z</DateMAJ>\n        </Domaine>\n", i, i, i, i%50, i, i)
	}
	b.WriteString("    </ListeDomaines>\n</ListeBlancheDRIM-M>\n")
	return b.Bytes()
}

func BenchmarkParse10k(b *testing.B) {
	data := list10k()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for range b.N {
		if _, err := parse(data, DefaultLimits); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCanonical10k(b *testing.B) {
	data := list10k()
	doc, err := parse(data, DefaultLimits)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for range b.N {
		excC14N(doc.root, nil)
	}
}
