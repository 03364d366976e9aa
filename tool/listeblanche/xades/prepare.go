package xades

import (
	"crypto/sha256"
	"fmt"

	"github.com/beevik/etree"
)

// Prepared is an unsigned document read for signing: checked, and its
// content digested, but not yet signed. It lets a signer read a document
// once, refuse it before reaching for the key, and sign the very bytes it
// checked.
type Prepared struct {
	data    []byte
	root    *etree.Element
	rootEnd int
	digest  [sha256.Size]byte
}

// Prepare reads data for signing in one pass, which canonicalises and
// digests what the first reference covers. v, when not nil, sees the
// document as Walk shows it, in that same pass, so that a caller holds the
// signed bytes to its own format without parsing them again; an error from
// v stops the reading and is returned as it is. Prepare refuses what Sign
// refuses: a document that is not well-formed or outside lim (zero means
// DefaultLimits), that is already signed, that gives an Id twice or whose
// root element is empty. data must not change until the document is signed.
func Prepare(data []byte, lim Limits, v Visitor) (*Prepared, error) {
	digest := sha256.New()
	env, err := readStream(data, limitsOr(lim), digest, v)
	if err != nil {
		return nil, err
	}
	if env.signatures > 0 {
		return nil, fmt.Errorf("the document already holds %d signature(s); sign the unsigned list", env.signatures)
	}
	if env.dupID != "" {
		return nil, fmt.Errorf("the Id %q appears twice in the document", env.dupID)
	}
	if env.rootEnd < 0 {
		return nil, fmt.Errorf("the root element is empty; there is nothing to sign")
	}
	p := &Prepared{data: data, root: env.root, rootEnd: env.rootEnd}
	digest.Sum(p.digest[:0])
	return p, nil
}

// Parts returns the signed document in three parts, to be written one
// after the other: the document up to the root's end tag, the signature
// element sig (from Prepared.Sign), and the rest. The first and the last
// are the prepared bytes themselves, not a copy.
func (p *Prepared) Parts(sig []byte) [][]byte {
	return [][]byte{p.data[:p.rootEnd], sig, p.data[p.rootEnd:]}
}
