package dossier

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// decodeText turns the file into UTF-8 text with LF line ends.
func decodeText(path string, data []byte) (string, *registry.Finding) {
	switch {
	case len(data) > MaxTemplateSize:
		f := finding(path, 1, 1, RuleCSVEncoding, "the file is over %d bytes, too large for a template; check that it is the right file", MaxTemplateSize)
		return "", &f
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		f := finding(path, 1, 1, RuleCSVEncoding, "the file is a spreadsheet workbook (xlsx/ods), not CSV; export the sheet as \"CSV UTF-8\" and list that file")
		return "", &f
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		f := finding(path, 1, 1, RuleCSVEncoding, "the file is UTF-16 text; save it as \"CSV UTF-8\" instead")
		return "", &f
	case bytes.IndexByte(data, 0) >= 0:
		f := finding(path, 1, 1, RuleCSVEncoding, "the file holds binary data, not CSV text; export the sheet as \"CSV UTF-8\"")
		return "", &f
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	var text string
	if utf8.Valid(data) {
		text = string(data)
	} else {
		// Not UTF-8: Windows-1252, the default encoding of CSV files
		// saved by spreadsheets in Western European locales. Every byte
		// decodes, so this cannot fail.
		text, _ = charmap.Windows1252.NewDecoder().String(string(data))
	}
	if !strings.Contains(text, "\n") {
		text = strings.ReplaceAll(text, "\r", "\n")
	}
	return text, nil
}

// detectSeparator picks the separator that occurs most, outside quotes, in
// the first lines; spreadsheets in a French locale write semicolons.
func detectSeparator(text string) rune {
	counts := map[rune]int{}
	inQuote, lines := false, 0
	for _, ch := range text {
		switch {
		case ch == '"':
			inQuote = !inQuote
		case inQuote:
		case ch == '\n':
			if lines++; lines >= 10 {
				return best(counts)
			}
		case ch == ',' || ch == ';' || ch == '\t':
			counts[ch]++
		}
	}
	return best(counts)
}

func best(counts map[rune]int) rune {
	sep := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[sep] {
			sep = c
		}
	}
	return sep
}

// ligatures do not decompose under Unicode normalisation; French writes
// two of them.
var ligatures = strings.NewReplacer("æ", "ae", "œ", "oe")

// fold normalises text for comparison: lower case, accents removed (NFD,
// then the combining marks dropped), every run of other characters turned
// into one space.
func fold(s string) string {
	var sb strings.Builder
	space := false
	for _, ch := range norm.NFD.String(ligatures.Replace(strings.ToLower(s))) {
		switch {
		case unicode.Is(unicode.Mn, ch):
			// A combining accent: dropped, it does not split a word.
		case unicode.IsLetter(ch) || unicode.IsDigit(ch):
			if space && sb.Len() > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteRune(ch)
			space = false
		default:
			space = true
		}
	}
	return sb.String()
}
