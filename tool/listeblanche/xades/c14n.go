package xades

import "github.com/beevik/etree"

// canonical returns the exclusive canonical form (without comments) of el,
// taking the namespaces in scope from its ancestors. el is not modified.
func canonical(el *etree.Element) ([]byte, error) {
	return excC14N(el, nil), nil
}
