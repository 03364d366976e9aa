package validation

import (
	"slices"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// identities checks that no two operators share a legal identity: the
// SIREN, or a denomination that looks the same once look-alike letters
// (Unicode confusables), case, accents, spaces and punctuation are set
// aside (identityKeys). DRIMbox software and the public tell operators
// apart by the denomination the list publishes.
func (c *checker) identities() {
	sirens := map[string][]*registry.Operator{}
	names := map[string][]*registry.Operator{}
	for _, id := range sortedKeys(c.r.Operators) {
		o := c.r.Operators[id]
		if o.Source == nil {
			continue
		}
		if o.SIREN != "" {
			sirens[o.SIREN] = append(sirens[o.SIREN], o)
		}
		for _, key := range identityKeys(o.Denomination) {
			if key != "" && !slices.Contains(names[key], o) {
				names[key] = append(names[key], o)
			}
		}
	}
	// Each operator of a shared identity gets the finding, naming the
	// others: the change that made them equal may be in any of them.
	for _, id := range sortedKeys(c.r.Operators) {
		o := c.r.Operators[id]
		if o.Source == nil {
			continue
		}
		for _, other := range sirens[o.SIREN] {
			if other != o {
				c.add(o.Source, "OPERATOR-UNIQUE", f("siren"), "SIREN %s is also the SIREN of operator %s (%s); one legal entity is one operator: keep the SIREN of this operator's Kbis, or ask the ANS to add maintainers to the existing one", o.SIREN, other.ID, other.Source.Path)
			}
		}
		var others []*registry.Operator
		for _, key := range identityKeys(o.Denomination) {
			for _, other := range names[key] {
				if other != o && !slices.Contains(others, other) {
					others = append(others, other)
				}
			}
		}
		for _, other := range others {
			c.add(o.Source, "OPERATOR-UNIQUE", f("denomination"), "denomination %q reads as %q of operator %s (%s) once look-alike letters, case, accents and punctuation are set aside; each operator publishes a denomination of its own: use this operator's legal name", o.Denomination, other.Denomination, other.ID, other.Source.Path)
		}
	}
}
