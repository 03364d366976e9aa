// Package xmltext says which strings the trust space can publish as the
// text of an XML element — in the Liste Blanche and in the weather page's
// feed — so that the registry's rules and the list builder refuse the same
// values for the same reason.
//
// A published value must survive being written and read back unchanged:
// XML 1.0 allows no C0 control but tab, line feed and carriage return, and
// a reader normalises line ends and trims fields, so a value here is a
// single line with no surrounding spaces. It must also be what the XSD's
// text type allows: at least one character, at most MaxChars.
package xmltext

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxChars is the XSD's maxLength for the list's text fields, in
// characters as XML Schema counts them.
const MaxChars = 512

// Problem explains, in one sentence saying what to change, why s cannot be
// published as a text field, or returns "" when it can. max bounds its
// length in characters; 0 means MaxChars.
func Problem(s string, max int) string {
	if max <= 0 {
		max = MaxChars
	}
	if plainASCII(s, max) {
		return ""
	}
	return problem(s, max)
}

// plainASCII tells quickly the common value that problem accepts: printable
// ASCII, neither empty nor longer than max, not starting or ending with a
// space. A list's names and mailboxes are mostly that, and a list of ten
// thousand entries checks thirty thousand of them.
func plainASCII(s string, max int) bool {
	if s == "" || len(s) > max || s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

// problem is Problem for any value.
func problem(s string, max int) string {
	if !utf8.ValidString(s) {
		return "the value is not valid UTF-8; write it again as plain text"
	}
	if strings.TrimSpace(s) == "" {
		return "the value is empty; give its text"
	}
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Sprintf("the value is %d characters long, over the %d the published list allows; shorten it", n, max)
	}
	for i, r := range s {
		if what := forbidden(r); what != "" {
			return fmt.Sprintf("the value holds %s (U+%04X at byte %d), which a published XML field cannot carry; remove it and write the value on one line of plain text", what, r, i)
		}
	}
	if strings.TrimSpace(s) != s {
		return "the value starts or ends with spaces, which a reader of the list drops; remove them"
	}
	return ""
}

// ParagraphProblem is Problem for a message of several lines, such as a
// notice's update on the weather page's feed: line feeds are allowed, the
// length is left to the record's schema.
func ParagraphProblem(s string) string {
	if !utf8.ValidString(s) {
		return "the value is not valid UTF-8; write it again as plain text"
	}
	if strings.TrimSpace(s) == "" {
		return "the value is empty; give its text"
	}
	for i, r := range s {
		if what := forbidden(r); what != "" && r != '\n' {
			return fmt.Sprintf("the value holds %s (U+%04X at byte %d), which a published XML field cannot carry; remove it and keep to plain text and line breaks", what, r, i)
		}
	}
	return ""
}

// Valid tells whether s can be published as a text field of at most max
// characters (0 means MaxChars).
func Valid(s string, max int) bool { return Problem(s, max) == "" }

// forbidden names the kind of character r is when it may not be published,
// or returns "".
func forbidden(r rune) string {
	switch {
	case r < 0x20 || r == 0x7f:
		return "a control character"
	case r >= 0x80 && r <= 0x9f:
		return "a C1 control character"
	case r == 0x2028 || r == 0x2029:
		return "a line or paragraph separator"
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		// Direction overrides make a name read differently from what it is.
		return "a text-direction control"
	case r >= 0xfdd0 && r <= 0xfdef, r&0xfffe == 0xfffe:
		return "a Unicode noncharacter"
	case r == utf8.RuneError:
		return "a replacement character"
	}
	return ""
}
