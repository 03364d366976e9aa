package validation

import (
	"strconv"
	"strings"
	"testing"
)

func TestIdentityKeys(t *testing.T) {
	same := func(a, b string) bool {
		ka, kb := identityKeys(a), identityKeys(b)
		return ka[0] == kb[0] || ka[1] == kb[1]
	}
	const name = "OPERATEUR FICTIF 001"
	tests := []struct {
		name, other string
		same        bool
	}{
		{"itself", name, true},
		{"case, accents, punctuation", "Opérateur-fictif, 001", true},
		{"Cyrillic look-alikes", "O\u0420\u0415R\u0410\u0422\u0415UR FICTIF 001", true},
		{"Greek look-alikes", "\u039fP\u0395R\u0391\u03a4\u0395UR F\u0399C\u03a4\u0399F 001", true},
		{"Cyrillic in lower case", "оператеur fictif 001", false}, // п and т are not Latin look-alikes
		{"Cyrillic lower-case look-alikes", "\u043e\u0440\u0435r\u0430teur fi\u0441tif 001", true},
		{"fullwidth forms", "\uff2f\uff30\uff25\uff32\uff21\uff34\uff25\uff35\uff32\u3000\uff26\uff29\uff23\uff34\uff29\uff26\u3000\uff10\uff10\uff11", true},
		{"mathematical bold", "\U0001d40e\U0001d40f\U0001d404\U0001d411\U0001d400\U0001d413\U0001d404\U0001d414\U0001d411 FICTIF 001", true},
		{"combining acute accent", "OPE\u0301RATEUR FICTIF 001", true},
		{"stacked combining marks", "O\u0308\u0323PERATEUR FICTIF 001", true},
		{"zero-width space", "OPERA\u200bTEUR FICTIF 001", true},
		// Default-ignorable code points that Unicode calls letters: they
		// show nothing, so they must not make a name another one.
		{"Hangul filler", "OPERATEUR FICTIF 001\u3164", true},
		{"Hangul choseong filler", "OPERATEUR\u115f FICTIF 001", true},
		{"Hangul jungseong filler", "OPERATEUR FICTIF\u1160 001", true},
		{"halfwidth Hangul filler", "\uffa0OPERATEUR FICTIF 001", true},
		{"Khmer inherent vowel", "OPERATEUR\u17b4 FICTIF 001", true},
		{"letter O for the digit 0", "OPERATEUR FICTIF OO1", true},
		{"lower-case l for capital I", "OPERATEUR FlCTlF 001", true},
		{"another number", "OPERATEUR FICTIF 002", false},
		{"a longer number", "Opérateur fictif 0012", false},
		{"another word", "OPERATEUR FICTIVE 001", false},
	}
	for _, tt := range tests {
		if got := same(name, tt.other); got != tt.same {
			t.Errorf("%s: %q and %q the same = %v, want %v (keys %q, %q)", tt.name, name, tt.other, got, tt.same, identityKeys(name), identityKeys(tt.other))
		}
	}
	for _, pair := range [][2]string{
		{"CENTRE IMAGERIE NORD", "CENTRE IMAGERIE SUD"},
		{"Imagerie des Lacs", "Imagerie des Pins"},
		{"RADIOLOGIE 21", "RADIOLOGIE 12"},
	} {
		if same(pair[0], pair[1]) {
			t.Errorf("%q and %q count as one operator", pair[0], pair[1])
		}
	}
}

// TestOperatorUniqueLookAlikes: a second operator whose denomination only
// looks like the first one's gets OPERATOR-UNIQUE, on both records.
func TestOperatorUniqueLookAlikes(t *testing.T) {
	op1 := "operators/operateur-001/operator.yaml"
	op2 := "operators/operateur-002/operator.yaml"
	for _, look := range []string{
		"O\u0420\u0415R\u0410\u0422\u0415UR FICTIF 001",
		"\u039fP\u0395R\u0391\u03a4\u0395UR F\u0399C\u03a4\u0399F 001",
		"\uff2f\uff30\uff25\uff32\uff21\uff34\uff25\uff35\uff32 \uff26\uff29\uff23\uff34\uff29\uff26 \uff10\uff10\uff11",
		"OPE\u0301RATEUR FICTIF 001",
	} {
		t.Run(look, func(t *testing.T) {
			dir := sample(t)
			edit(t, dir, op2, "denomination: OPERATEUR FICTIF 002", "denomination: "+strconv.Quote(look))
			var on1, on2 bool
			for _, f := range check(t, dir) {
				if f.Rule != "OPERATOR-UNIQUE" {
					continue
				}
				on1 = on1 || strings.HasPrefix(f.String(), "registry/"+op1) && strings.Contains(f.Msg, "look-alike")
				on2 = on2 || strings.HasPrefix(f.String(), "registry/"+op2) && strings.Contains(f.Msg, `reads as "OPERATEUR FICTIF 001"`)
			}
			if !on1 || !on2 {
				t.Fatalf("OPERATOR-UNIQUE on operator 1: %v, on operator 2: %v", on1, on2)
			}
		})
	}
}
