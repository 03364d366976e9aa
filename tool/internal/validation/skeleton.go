package validation

import (
	"strings"
	"unicode"

	"go.mau.fi/util/confusable"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// identityKeys are the forms under which two denominations count as one
// operator: each is a UTS #39 skeleton (NFD, Unicode's confusables.txt
// mapping, NFD again: Cyrillic "О", Greek "Ο" and Latin "O" are one
// letter) wrapped in the project's own normalisation (NFKC, so that
// fullwidth and other compatibility forms are their plain letters; case
// folding; only letters and digits kept, so that accents, which NFD makes
// combining marks, spaces, punctuation and invisible characters are set
// aside; œ, æ written out).
//
// A skeleton is case-sensitive: "I" is confusable with "l", "i" is not.
// Folding case first makes "IMAGERIE" and "imagerie" one name; folding
// after makes "IMAGERIE" and "lMAGERIE" one. Two names are the same when
// either key is: the rule must never let a look-alike through.
func identityKeys(s string) [2]string {
	fold := cases.Fold()
	nfkc := norm.NFKC.String(s)
	return [2]string{
		lettersOnly(confusable.Skeleton(fold.String(nfkc))),
		lettersOnly(confusable.Skeleton(nfkc)),
	}
}

// lettersOnly folds case again (a skeleton may map to a capital, as 0 to
// O) and keeps letters and digits.
func lettersOnly(skeleton string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(cases.Fold().String(skeleton)) {
		switch {
		case r == 'œ':
			b.WriteString("oe")
		case r == 'æ':
			b.WriteString("ae")
		case unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r):
			// The Hangul fillers are letters that show nothing: a name
			// ending in one looks like the name without it.
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}
