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
	s = textEscaper.Replace(s)
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
	return "`" + s + "`"
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
