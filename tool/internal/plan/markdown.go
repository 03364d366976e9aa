package plan

import (
	"fmt"
	"io"
	"strings"
	"unicode"
)

// md writes Markdown and keeps the first error.
type md struct {
	w   io.Writer
	err error
}

func (m *md) printf(format string, args ...any) {
	if m.err == nil {
		_, m.err = fmt.Fprintf(m.w, format, args...)
	}
}

func (m *md) line(s string) { m.printf("%s\n", s) }

// text makes a value from a record safe in Markdown prose: it cannot open
// HTML, links, emphasis or mentions, nor break the line it is on. An @ is
// escaped only where it could start a mention, so mailboxes stay readable.
var textEscaper = strings.NewReplacer(
	"\\", "\\\\", "`", "\\`", "*", "\\*", "_", "\\_", "[", "\\[", "]", "\\]",
	"<", "&lt;", ">", "&gt;", "|", "\\|", "#", "\\#", "~", "\\~",
	"\r", " ", "\n", " ",
)

func text(s string) string {
	s = showInvisible(textEscaper.Replace(s))
	if !strings.Contains(s, "@") {
		return s
	}
	var b strings.Builder
	prev := ' '
	for _, r := range s {
		if r == '@' && !unicode.IsLetter(prev) && !unicode.IsDigit(prev) {
			b.WriteString("&#64;")
		} else {
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}

// code writes a value as inline code, safe in a table cell.
func code(s string) string {
	s = strings.NewReplacer("`", "'", "\r", " ", "\n", " ", "|", "\\|").Replace(s)
	return "`" + showInvisible(s) + "`"
}

// invisible tells whether r shows nothing (format characters such as the
// zero-width space or a direction override, variation selectors, and the
// letters Unicode says to ignore, such as the Hangul fillers).
func invisible(r rune) bool {
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r) ||
		unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r)
}

// showInvisible names each invisible character, so that a reviewer sees a
// change made only of them: "before → after" must never look the same.
func showInvisible(s string) string {
	if strings.IndexFunc(s, invisible) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if invisible(r) {
			fmt.Fprintf(&b, "⟨U+%04X⟩", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func cell(s string) string {
	if s == "" {
		return "—"
	}
	return text(s)
}

func cellCode(s string) string {
	if s == "" {
		return "—"
	}
	return code(s)
}
