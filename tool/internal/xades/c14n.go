package xades

import (
	"fmt"

	"github.com/beevik/etree"
)

// canonical returns the exclusive canonical form (without comments) of el,
// taking the namespaces in scope from its ancestors. el is not modified.
func canonical(el *etree.Element) ([]byte, error) {
	return excC14N(el, nil), nil
}

// canonicalWithout returns the exclusive canonical form of the document
// whose root is root, with the element sig left out: the first reference's
// XPath Filter 2.0 subtraction of /descendant::ds:Signature, when sig is the
// document's only signature.
func canonicalWithout(root, sig *etree.Element) ([]byte, error) {
	if root.Parent() != nil {
		return nil, fmt.Errorf("the document root has a parent")
	}
	if sig != nil && sig.Parent() != root {
		return nil, fmt.Errorf("the signature is not a child of the root element")
	}
	return excC14N(root, sig), nil
}
