package xades

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
	"github.com/russellhaering/goxmldsig/etreeutils"
)

// canonicalDSig is goxmldsig's exclusive canonicalisation of el in the
// context of its ancestors: an oracle for the writer outside its two known
// departures from the recommendation.
func canonicalDSig(el *etree.Element) ([]byte, error) {
	ctx, err := etreeutils.NSBuildParentContext(el)
	if err != nil {
		return nil, err
	}
	detached, err := etreeutils.NSDetatch(ctx, el)
	if err != nil {
		return nil, err
	}
	return dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("").Canonicalize(detached)
}

// goxmldsigCorner tells documents where goxmldsig departs from the
// recommendation: an xmlns="" declaration, or an element with two prefixed
// attributes.
func goxmldsigCorner(root *etree.Element) bool {
	corner := false
	var walk func(*etree.Element)
	walk = func(el *etree.Element) {
		prefixed := 0
		for _, a := range el.Attr {
			if a.Space == "" && a.Key == "xmlns" && a.Value == "" {
				corner = true
			}
			if a.Space != "" && a.Space != "xmlns" {
				prefixed++
			}
		}
		if prefixed > 1 {
			corner = true
		}
		for _, c := range el.ChildElements() {
			walk(c)
		}
	}
	walk(root)
	return corner
}

// The writer agrees with goxmldsig on every element of a document, outside
// goxmldsig's corners.
func checkCanonicalWriters(t *testing.T, data []byte) {
	t.Helper()
	doc, err := parse(data, DefaultLimits)
	if err != nil || goxmldsigCorner(doc.root) {
		return
	}
	var walk func(*etree.Element)
	walk = func(el *etree.Element) {
		theirs, err := canonicalDSig(el)
		if err != nil {
			return
		}
		if ours := excC14N(el, nil); !bytes.Equal(ours, theirs) {
			t.Fatalf("canonical forms of <%s> differ:\n ours      %q\n goxmldsig %q\n from %q", el.FullTag(), ours, theirs, data)
		}
		for _, c := range el.ChildElements() {
			walk(c)
		}
	}
	walk(doc.root)
}

// The writer gives what libxml2 gives: xmllint --exc-c14n.
func TestCanonicalFormAsXmllint(t *testing.T) {
	requireTool(t, "xmllint", "libxml2-utils")
	for name, data := range map[string][]byte{
		"unsigned":     unsigned(t),
		"signed":       signedSample(t),
		"ANS signed":   ansFile(t, anchorSigned),
		"ANS unsigned": ansFile(t, "LISTEBLANCHE_DRIM-M_NONSIGNEE_TEST.xml"),
		"namespaces":   []byte(`<p:a xmlns:p="urn:u" xmlns:q="urn:v" xmlns:z="urn:unused"><q:b p:x="1" y="2" q:a="3" q:x="4"/><c xmlns="urn:w"><d xmlns=""><e/></d></c></p:a>`),
		"escapes":      []byte("<a b=\"&lt;&amp;&quot;&#9;&#10;&#13;>'\">&lt;&gt;&amp;&#13;\"'<![CDATA[<&>]]></a>"),
		"default":      []byte(`<a xmlns="urn:u"><b><c xmlns="urn:u"/><d xmlns=""/></b></a>`),
		"unused top":   []byte(`<a><c xmlns=""/></a>`),
		"xml prefix":   []byte(`<a xml:lang="fr"><b xml:space="preserve"/></a>`),
	} {
		t.Run(name, func(t *testing.T) {
			if data == nil {
				ansMissing(t)
			}
			doc, err := parse(data, DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			f := filepath.Join(t.TempDir(), "doc.xml")
			os.WriteFile(f, data, 0o644)
			want, err := exec.Command("xmllint", "--exc-c14n", f).Output()
			if err != nil {
				t.Fatalf("xmllint --exc-c14n: %v", err)
			}
			if got := excC14N(doc.root, nil); !bytes.Equal(got, want) {
				t.Errorf("canonical form differs from xmllint's:\n ours    %q\n xmllint %q", got, want)
			}
			checkCanonicalWriters(t, data)
		})
	}
}
