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
	sirens := map[string]*registry.Operator{}
	names := map[string]*registry.Operator{}
	for _, id := range sortedKeys(c.r.Operators) {
		o := c.r.Operators[id]
		if o.Source == nil {
			continue
		}
		if prev := sirens[o.SIREN]; prev != nil && o.SIREN != "" {
			c.add(o.Source, "OPERATOR-UNIQUE", f("siren"), "SIREN %s is already the SIREN of operator %s (%s); one legal entity is one operator, ask the ANS to add maintainers to it instead", o.SIREN, prev.ID, prev.Source.Path)
		} else {
			sirens[o.SIREN] = o
		}
		key := identityKey(o.Denomination)
		if prev := names[key]; prev != nil && key != "" {
			c.add(o.Source, "OPERATOR-UNIQUE", f("denomination"), "denomination %q reads as %q of operator %s (%s); each operator publishes a denomination of its own, use the legal name of this one", o.Denomination, prev.Denomination, prev.ID, prev.Source.Path)
		} else {
			names[key] = o
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
