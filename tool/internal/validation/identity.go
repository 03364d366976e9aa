package validation

import (
	"strings"
	"unicode"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// identities checks that no two operators share a legal identity: the
// SIREN, or a denomination that reads the same once case, spaces and
// punctuation are set aside. DRIMbox software and the public tell
// operators apart by the denomination the list publishes.
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
		if key := identityKey(o.Denomination); key != "" {
			names[key] = append(names[key], o)
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
		for _, other := range names[identityKey(o.Denomination)] {
			if other != o {
				c.add(o.Source, "OPERATOR-UNIQUE", f("denomination"), "denomination %q reads as %q of operator %s (%s); each operator publishes a denomination of its own: use this operator's legal name", o.Denomination, other.Denomination, other.ID, other.Source.Path)
			}
		}
	}
}

// identityKey is a denomination with only its letters and digits, in
// lower case, Latin letters without their accents: "Opérateur-Fictif" and
// "OPERATEUR FICTIF" are one name.
func identityKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case unaccent[r] != "":
			b.WriteString(unaccent[r])
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// unaccent spells the accented Latin letters of French and its neighbours
// without their accents.
var unaccent = func() map[rune]string {
	m := map[rune]string{'œ': "oe", 'æ': "ae", 'ß': "ss"}
	for base, letters := range map[string]string{
		"a": "àáâãäåāăą", "c": "çćĉċč", "d": "ďđ", "e": "èéêëēĕėęě", "g": "ĝğġģ", "h": "ĥħ", "i": "ìíîïĩīĭįı",
		"j": "ĵ", "k": "ķ", "l": "ĺļľŀł", "n": "ñńņňŉ", "o": "òóôõöøōŏő", "r": "ŕŗř", "s": "śŝşš", "t": "ţťŧ",
		"u": "ùúûüũūŭůűų", "w": "ŵ", "y": "ýÿŷ", "z": "źżž",
	} {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()
