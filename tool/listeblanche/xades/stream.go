package xades

import (
	"fmt"
	"hash"
	"strings"

	"github.com/beevik/etree"
)

// enveloped is a document read for signing or verifying in one pass: the
// canonical form of everything but the signature, and the signature as a
// tree. No tree is built for the content, which is most of a list.
type enveloped struct {
	// content is the exclusive canonical form of the document without the
	// signature element: what the first reference digests.
	content []byte
	// sig is the ds:Signature element, child of the root, or nil. Its
	// parent is a copy of the root element without children, so that the
	// namespaces in scope are those of the document.
	sig *etree.Element
	// root is a copy of the root element without children: the parent of
	// sig, or of a signature being made.
	root *etree.Element
	// rootEnd is the offset of the root's end tag in the input.
	rootEnd int
	// signatures counts the ds:Signature elements anywhere.
	signatures int
	// dupID is an Id value given twice, if any.
	dupID string
	// misplaced tells a signature that is not the last child element of
	// the root.
	misplaced bool
}

// readEnveloped scans data once, writing the canonical form of the content
// as it goes and building a tree of the signature only. It notes what
// Verify refuses: more than one signature, a signature that is not the last
// child element of the root, and an Id given twice (a same-document
// reference must name one element).
func readEnveloped(data []byte, lim Limits) (*enveloped, error) {
	return readStream(data, lim, nil, nil)
}

// readStream is readEnveloped, but when digest is set the canonical form
// is written into it as it is made, and content is left nil: a signer needs
// the digest only, and holding a second copy of a large document costs more
// than hashing it. v, when set, sees the document as the scanner reads it.
func readStream(data []byte, lim Limits, digest hash.Hash, v Visitor) (*enveloped, error) {
	if len(data) > lim.MaxBytes {
		return nil, fmt.Errorf("%w: the file is %d bytes, more than the %d allowed", ErrLimit, len(data), lim.MaxBytes)
	}
	s := &scanner{data: data, lim: lim, doc: &document{rootEnd: -1}}
	st := &streamer{s: s, ids: map[string]bool{}, digest: digest}
	if v != nil {
		st.v = &visiting{v: v}
	}
	if digest != nil {
		st.w.buf.Grow(2 * digestChunk)
	} else {
		st.w.buf.Grow(len(data))
	}
	s.h = st
	if err := s.document(); err != nil {
		return nil, err
	}
	env := &enveloped{
		sig: st.sig, root: st.root, rootEnd: s.doc.rootEnd,
		signatures: st.signatures, dupID: st.dup, misplaced: st.misplaced || (st.signatures > 0 && st.sig == nil),
	}
	if digest != nil {
		digest.Write(st.w.buf.Bytes())
	} else {
		env.content = st.w.buf.Bytes()
	}
	return env, nil
}

// digestChunk is how much canonical form a signer gathers before hashing
// it: enough to amortise the calls, little enough to stay in cache.
const digestChunk = 32 << 10

// streamer is the scanner's handler for readEnveloped.
type streamer struct {
	s          *scanner
	w          c14nWriter
	frames     []frame
	ids        map[string]bool
	dup        string
	signatures int
	// The signature subtree being built, and how deep inside it the
	// scanner is (0: outside).
	sig      *etree.Element
	sigTree  treeBuilder
	sigDepth int
	// sigStart is the offset of the signature's start tag, sigElements
	// the elements in it: bounded by maxSignatureBytes and
	// maxSignatureElements while scanning, so that a hostile KeyInfo costs
	// no more than the profile's signature before it is refused.
	sigStart    int
	sigElements int
	afterSig    bool
	misplaced   bool
	root        *etree.Element
	// digest, when set, takes the canonical form in chunks (readStream).
	digest hash.Hash
	// v, when set, sees what the scanner reads, as Walk's visitor does.
	v *visiting
}

// frame is an open content element: its name, and the namespaces in scope
// and rendered in the output inside it.
type frame struct {
	qname string
	scope *ns
	out   *rendered
}

func (st *streamer) start(space, tag, qname string, attrs []rawAttr, scope *ns) error {
	if st.v != nil {
		if err := st.v.start(space, tag, qname, attrs, scope); err != nil {
			return err
		}
	}
	for _, a := range attrs {
		if a.space == "" && strings.EqualFold(a.key, "id") {
			if st.ids[a.value] {
				st.dup = a.value
			}
			st.ids[a.value] = true
		}
	}
	isSig := false
	if tag == "Signature" {
		uri, _ := scope.lookup(space)
		isSig = uri == NamespaceDSig
	}
	if isSig {
		st.signatures++
	}
	if st.sigDepth > 0 {
		st.sigDepth++
		st.sigElements++
		if err := st.sigBounds(); err != nil {
			return err
		}
		return st.sigTree.start(space, tag, qname, attrs, scope)
	}
	depth := len(st.frames)
	if depth == 1 && st.afterSig {
		st.misplaced = true
	}
	if isSig && depth == 1 && st.sig == nil {
		st.sigDepth = 1
		st.sigStart, st.sigElements = st.s.pos, 0
		st.sigTree = treeBuilder{s: st.s}
		st.sigTree.stack = []*etree.Element{st.root}
		if err := st.sigTree.start(space, tag, qname, attrs, scope); err != nil {
			return err
		}
		st.sig = st.sigTree.stack[len(st.sigTree.stack)-1]
		return nil
	}
	if isSig {
		// A signature anywhere else: counted, and digested as content.
		st.misplaced = st.misplaced || depth != 1
	}
	if depth == 0 {
		// The root, without children, is the signature's parent, so that
		// it sees the document's namespaces.
		st.root = etree.NewElement(qname)
		for _, a := range attrs {
			st.root.CreateAttr(a.name(), a.value)
		}
	}
	var out *rendered
	if depth > 0 {
		out = st.frames[depth-1].out
	}
	out = st.w.open(space, qname, attrs, scope, out)
	st.frames = append(st.frames, frame{qname: qname, scope: scope, out: out})
	return nil
}

func (st *streamer) text(run []byte) error {
	if st.v != nil {
		if err := st.v.text(run); err != nil {
			return err
		}
	}
	if st.sigDepth > 0 {
		if err := st.sigBounds(); err != nil {
			return err
		}
		return st.sigTree.text(run)
	}
	escapeTextBytes(&st.w.buf, run)
	return nil
}

func (st *streamer) end() error {
	if st.v != nil {
		if err := st.v.end(); err != nil {
			return err
		}
	}
	if st.sigDepth > 0 {
		st.sigDepth--
		if st.sigDepth == 0 {
			st.afterSig = true
		}
		return st.sigTree.end()
	}
	f := st.frames[len(st.frames)-1]
	st.frames = st.frames[:len(st.frames)-1]
	st.w.close(f.qname)
	if st.digest != nil && st.w.buf.Len() >= digestChunk {
		st.digest.Write(st.w.buf.Bytes())
		st.w.buf.Reset()
	}
	return nil
}

// The bounds of the signature element. The profile's signature has some
// forty elements and, with the eight certificates a verifier looks at, a
// few tens of kilobytes; the bounds leave room for long chains and
// indentation, and keep a hostile signature (a KeyInfo of 400,000
// elements, say) from costing a tree of it.
const (
	maxSignatureBytes    = 256 << 10
	maxSignatureElements = 256
)

// sigBounds refuses a signature past its bounds, as it is scanned.
func (st *streamer) sigBounds() error {
	if st.sigElements > maxSignatureElements {
		return st.s.errorf(ErrLimit, "the ds:Signature holds more than %d elements", maxSignatureElements)
	}
	if st.s.pos-st.sigStart > maxSignatureBytes {
		return st.s.errorf(ErrLimit, "the ds:Signature is larger than %d bytes", maxSignatureBytes)
	}
	return nil
}
