package xades

import (
	"fmt"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
	"github.com/russellhaering/goxmldsig/etreeutils"
)

// canonical returns the exclusive canonical form (without comments) of el,
// taking the namespaces in scope from its ancestors. el is not modified.
func canonical(el *etree.Element) ([]byte, error) {
	c := dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	if el.Parent() == nil {
		out, err := c.Canonicalize(el.Copy())
		if err != nil {
			return nil, fmt.Errorf("canonicalising <%s>: %w", el.FullTag(), err)
		}
		return out, nil
	}
	ctx, err := etreeutils.NSBuildParentContext(el)
	if err != nil {
		return nil, fmt.Errorf("namespaces around <%s>: %w", el.FullTag(), err)
	}
	detached, err := etreeutils.NSDetatch(ctx, el)
	if err != nil {
		return nil, fmt.Errorf("namespaces of <%s>: %w", el.FullTag(), err)
	}
	out, err := c.Canonicalize(detached)
	if err != nil {
		return nil, fmt.Errorf("canonicalising <%s>: %w", el.FullTag(), err)
	}
	return out, nil
}

// canonicalWithout returns the exclusive canonical form of the root element
// with the element sig removed: the first reference's XPath Filter 2.0
// subtraction of /descendant::ds:Signature, when sig is the document's only
// signature. root is not modified.
func canonicalWithout(root, sig *etree.Element) ([]byte, error) {
	if sig == nil {
		return canonical(root)
	}
	if sig.Parent() != root {
		return nil, fmt.Errorf("the signature is not a child of the root element")
	}
	i := sig.Index()
	root.RemoveChildAt(i)
	out, err := canonical(root)
	root.InsertChildAt(i, sig)
	return out, err
}
