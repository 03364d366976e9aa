package xades

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/beevik/etree"
)

// canonicalOrError parses with p and returns the canonical form of the
// root with goxmldsig's canonicaliser, or the error.
func canonicalOrError(p func([]byte, Limits) (*document, error), data []byte) ([]byte, error) {
	doc, err := p(data, DefaultLimits)
	if err != nil {
		return nil, err
	}
	return canonicalDSig(doc.root)
}

// The scanner reads the same trees as encoding/xml where both accept, and
// accepts nothing encoding/xml refuses.
func checkAgainstStd(t *testing.T, data []byte) {
	t.Helper()
	got, err := canonicalOrError(parse, data)
	want, stdErr := canonicalOrError(parseStd, data)
	if err == nil && stdErr != nil {
		t.Fatalf("the scanner accepts what encoding/xml refuses (%v): %q", stdErr, data)
	}
	if err != nil {
		// Stricter than encoding/xml is allowed, but only for a reason
		// the scanner names: a malformed or forbidden construct, or a
		// limit.
		if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrForbidden) && !errors.Is(err, ErrLimit) {
			t.Fatalf("the scanner refuses %q for no named reason: %v", data, err)
		}
		return
	}
	if attrWhitespace(data) {
		// The scanner normalises attribute values as XML requires, where
		// encoding/xml does not: the trees differ by design.
		return
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("the scanner reads another tree:\n got  %q\n want %q\n from %q", got, want, data)
	}
}

// attrWhitespace tells inputs whose attribute values may hold tabs or line
// ends, which the scanner normalises as XML requires and encoding/xml does
// not.
func attrWhitespace(data []byte) bool {
	inTag, quote := false, byte(0)
	for _, c := range data {
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0 && (c == '\t' || c == '\n' || c == '\r'):
			return true
		case inTag && (c == '"' || c == '\''):
			quote = c
		case c == '<':
			inTag = true
		case c == '>':
			inTag = false
		}
	}
	return false
}

func TestScannerAgreesWithEncodingXML(t *testing.T) {
	for name, data := range map[string][]byte{
		"unsigned":        unsigned(t),
		"signed":          signedSample(t),
		"ANS signed":      ansFile(t, anchorSigned),
		"ANS unsigned":    ansFile(t, "LISTEBLANCHE_DRIM-M_NONSIGNEE_TEST.xml"),
		"references":      []byte(`<a xmlns="u" b="&lt;&#x41;&#66;&amp;&quot;&apos;"><![CDATA[<x>&amp;]]>t&gt;&#xE9;</a>`),
		"namespaces":      []byte(`<p:a xmlns:p="u" xmlns:q="v"><q:b p:x="1" y="2"/><c xmlns="w"><d xmlns=""/></c></p:a>`),
		"line ends":       []byte("<a>x\r\ny\rz\n</a>"),
		"cdata line ends": []byte("<a><![CDATA[x\r\ny\rz]]></a>"),
		"unicode names":   []byte(`<é:à xmlns:é="u" é:ç="1">·</é:à>`),
	} {
		t.Run(name, func(t *testing.T) {
			if data == nil {
				ansMissing(t)
			}
			checkAgainstStd(t, data)
		})
	}
}

func TestScannerRefuses(t *testing.T) {
	for name, doc := range map[string]string{
		"mismatched tags":                `<a></b>`,
		"end tag longer":                 `<a></ab>`,
		"end tag longer, not ASCII":      "<a></a\u00e9>",
		"end tag longer by a dot":        `<a></a.>`,
		"end tag cut short":              `<ab></a>`,
		"end tag at the end":             `<a></a`,
		"unclosed":                       `<a><b></b>`,
		"two roots":                      `<a/><b/>`,
		"text after root":                `<a/>x`,
		"attribute without quotes":       `<a b=c/>`,
		"< in attribute":                 `<a b="<"/>`,
		"repeated attribute":             `<a b="1" b="2"/>`,
		"same attribute by two prefixes": `<a xmlns:p="u" xmlns:q="u" p:x="1" q:x="2"/>`,
		"undefined entity":               `<a>&nbsp;</a>`,
		"character reference to NUL":     `<a>&#0;</a>`,
		"control character":              "<a>\x01</a>",
		"invalid UTF-8":                  "<a>\xff</a>",
		"]]> in text":                    `<a>]]></a>`,
		"two colons":                     `<a:b:c/>`,
		"xmlns prefix rebound":           `<a xmlns:xmlns="u"/>`,
		"empty prefix binding":           `<a xmlns:p=""/>`,
		"latin-1 declaration":            `<?xml version="1.0" encoding="ISO-8859-1"?><a/>`,
		"version 1.1":                    `<?xml version="1.1"?><a/>`,
		"comment before root":            `<!-- x --><a/>`,
		"PI":                             `<a><?pi x?></a>`,
		"DOCTYPE":                        `<!DOCTYPE a><a/>`,
		"name starting with digit":       `<1a/>`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := parse([]byte(doc), DefaultLimits); err == nil {
				t.Fatalf("accepted %q", doc)
			} else if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrForbidden) {
				t.Errorf("error %v is neither ErrMalformed nor ErrForbidden", err)
			}
		})
	}
}

func TestScannerNormalisesAttributeWhitespace(t *testing.T) {
	doc, err := parse([]byte("<a b=\"x\ty\r\nz&#9;\"/>"), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.root.SelectAttrValue("b", ""); got != "x y z\t" {
		t.Errorf("b = %q, want %q", got, "x y z\t")
	}
}

func FuzzScanner(f *testing.F) {
	// Small seeds: the fuzzer minimises what it finds, and large inputs
	// make that slow.
	for _, seed := range []string{
		`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<L xmlns="u" v="1.0.0"><D>2026-01-01T00:00:00Z</D><E><I>3</I><db>db3.x</db><vi></vi></E></L>`,
		`<p:a xmlns:p="u" b="&lt;&#x41;"><![CDATA[x]]><c xmlns=""/></p:a>`,
		"<a\tb='1'\r\n>x&amp;y<b/>\r</a>",
		`<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="i"><ds:SignedInfo/></ds:Signature>`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 || strings.Contains(string(data), "\x00") {
			return
		}
		checkAgainstStd(t, data)
		checkCanonicalWriters(t, data)
		checkStreamed(t, data)
	})
}

// parse reads data into a tree: the whole document, for the tests that
// compare the scanner and the canonical writers with other parsers.
func parse(data []byte, lim Limits) (*document, error) {
	if len(data) > lim.MaxBytes {
		return nil, fmt.Errorf("%w: the file is %d bytes, more than the %d allowed", ErrLimit, len(data), lim.MaxBytes)
	}
	s := &scanner{data: data, lim: lim, doc: &document{rootEnd: -1}}
	b := &treeBuilder{s: s}
	s.h = b
	if err := s.document(); err != nil {
		return nil, err
	}
	s.doc.root = b.root
	return s.doc, nil
}

// The one-pass reader digests what the tree writer writes for the document
// without its signature.
func checkStreamed(t *testing.T, data []byte) {
	t.Helper()
	doc, err := parse(data, DefaultLimits)
	env, envErr := readEnveloped(data, DefaultLimits)
	if (err == nil) != (envErr == nil) {
		t.Fatalf("tree: %v, one pass: %v, for %q", err, envErr, data)
	}
	if err != nil {
		return
	}
	var skip *etree.Element
	if env.sig != nil {
		kids := doc.root.ChildElements()
		for _, k := range kids {
			if k.Tag == "Signature" && k.NamespaceURI() == NamespaceDSig {
				skip = k
				break
			}
		}
	}
	if want := excC14N(doc.root, skip); !bytes.Equal(env.content, want) {
		t.Fatalf("one-pass content differs:\n got  %q\n want %q\n from %q", env.content, want, data)
	}
	// A signer hashes the same canonical form in chunks as it is made,
	// and its visitor sees what Walk's does.
	digest := sha256.New()
	seen := &recorder{}
	signing, err := readStream(data, DefaultLimits, digest, seen)
	if err != nil || signing.content != nil || signing.rootEnd != env.rootEnd || signing.signatures != env.signatures {
		t.Fatalf("reading to sign: %v, %+v, reading to verify: %+v, for %q", err, signing, env, data)
	}
	if want := sha256.Sum256(env.content); !bytes.Equal(digest.Sum(nil), want[:]) {
		t.Fatalf("the digest hashed in chunks differs from the digest of the content, for %q", data)
	}
	walked := &recorder{}
	if err := Walk(data, DefaultLimits, walked); err != nil || walked.String() != seen.String() {
		t.Fatalf("Walk (%v) and the signer's reading see different documents:\n%s\n%s", err, walked, seen)
	}
	if env.sig != nil {
		if !bytes.Equal(excC14N(env.sig, nil), excC14N(skip, nil)) {
			t.Fatalf("the signature trees differ for %q", data)
		}
	}
}

func TestOnePassReader(t *testing.T) {
	for name, data := range map[string][]byte{
		"unsigned":     unsigned(t),
		"signed":       signedSample(t),
		"ANS signed":   ansFile(t, anchorSigned),
		"namespaces":   []byte(`<p:a xmlns:p="urn:u" xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><q:b xmlns:q="urn:v" p:x="1"/><ds:Signature Id="x"><ds:SignedInfo xmlns="urn:d"><c/></ds:SignedInfo></ds:Signature></p:a>`),
		"nested first": []byte(`<a xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><b><ds:Signature/></b><ds:Signature/></a>`),
		"many chunks":  manyEntries(5000),
	} {
		t.Run(name, func(t *testing.T) {
			if data == nil {
				ansMissing(t)
			}
			checkStreamed(t, data)
		})
	}
}

// recorder writes down what a Visitor sees.
type recorder struct{ strings.Builder }

func (r *recorder) Start(uri, local string, attrs []Attr) error {
	fmt.Fprintf(r, "<{%s}%s %q>", uri, local, attrs)
	return nil
}

func (r *recorder) Text(run []byte) error {
	fmt.Fprintf(r, "%q", run)
	return nil
}

func (r *recorder) End() error {
	r.WriteString("</>")
	return nil
}

// manyEntries is a document whose canonical form spans many of the chunks
// a signer hashes, with an entry cut across each chunk boundary somewhere.
func manyEntries(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<L xmlns="urn:l" xmlns:x="urn:x" v="1">`)
	for i := range n {
		fmt.Fprintf(&b, "\n  <E x:n=\"%d\"><I>%d</I><T>a &amp; b\r\n</T></E>", i, i)
	}
	b.WriteString("\n</L>\n")
	return b.Bytes()
}
