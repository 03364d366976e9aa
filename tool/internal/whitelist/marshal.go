package whitelist

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Marshal writes the list in the ANS layout: UTF-8, four-space indentation,
// LF line ends, one element per line, entries in the list's order. The bytes
// depend on nothing but the list.
func Marshal(l *List) ([]byte, error) {
	if err := l.Check(""); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Grow(256 + 600*len(l.Domains))
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	fmt.Fprintf(&b, `<ListeBlancheDRIM-M xmlns="%s" versionFormat="%s">`+"\n", escapeAttr(l.Namespace), escapeAttr(l.VersionFormat))
	field(&b, 1, "DateDeGeneration", FormatTime(l.Generated))
	if len(l.Domains) == 0 {
		b.WriteString("    <ListeDomaines/>\n")
	} else {
		b.WriteString("    <ListeDomaines>\n")
		for _, d := range l.Domains {
			b.WriteString("        <Domaine>\n")
			field(&b, 3, "Identifiant", strconv.Itoa(d.ID))
			field(&b, 3, "db", d.DB)
			field(&b, 3, "vi", d.VI)
			field(&b, 3, "Denomination", d.Denomination)
			field(&b, 3, "DNCertificatOperateur", d.CertDN)
			field(&b, 3, "SupportContact", d.SupportContact)
			field(&b, 3, "DateMAJ", FormatTime(d.Updated))
			b.WriteString("        </Domaine>\n")
		}
		b.WriteString("    </ListeDomaines>\n")
	}
	b.WriteString("</ListeBlancheDRIM-M>\n")
	return b.Bytes(), nil
}

// field writes <name>text</name> on a line of its own. An empty value is
// written <name></name>, as the ANS writes an empty vi.
func field(b *bytes.Buffer, depth int, name, text string) {
	b.WriteString(strings.Repeat("    ", depth))
	b.WriteString("<" + name + ">")
	b.WriteString(escapeText(text))
	b.WriteString("</" + name + ">\n")
}

var (
	textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	attrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", `"`, "&quot;")
)

// escapeText escapes only what XML requires, so that apostrophes in names
// such as "Côte-d'Or" stay as they are.
func escapeText(s string) string { return textEscaper.Replace(s) }

func escapeAttr(s string) string { return attrEscaper.Replace(s) }
