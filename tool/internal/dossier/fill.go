package dossier

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

var numberLike = regexp.MustCompile(`^[0-9]+([eE][0-9]+)?$`)

// SetDigests rewrites, in a record's bytes, the sha256 field of each entry
// digests names by its field path (e.g. dossier.documents.3) with the
// digest given, touching nothing else: comments, order and flow style
// stay as the operator wrote them. It returns the new bytes and the
// entries that have no sha256 field to rewrite.
func SetDigests(src []byte, digests map[string]string) ([]byte, []string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, nil, fmt.Errorf("reading the record: %w", err)
	}
	if len(doc.Content) == 0 {
		return nil, nil, fmt.Errorf("the record is empty")
	}
	lines := bytes.SplitAfter(src, []byte("\n"))
	var missing []string
	type edit struct {
		line, col, size int
		text            string
	}
	var edits []edit
	for field, digest := range digests {
		n := lookup(doc.Content[0], strings.Split(field, "."))
		if n == nil || n.Kind != yaml.MappingNode {
			missing = append(missing, field)
			continue
		}
		v := lookup(n, []string{"sha256"})
		if v == nil || v.Kind != yaml.ScalarNode || strings.Contains(v.Value, "\n") {
			missing = append(missing, field)
			continue
		}
		size := len(v.Value)
		if v.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			size += 2
		}
		text := digest
		if numberLike.MatchString(digest) {
			// YAML would read it as a number.
			text = `"` + digest + `"`
		}
		edits = append(edits, edit{line: v.Line, col: v.Column, size: size, text: text})
	}
	// Apply from the end so earlier positions stay valid.
	for i := range edits {
		for j := i + 1; j < len(edits); j++ {
			if edits[j].line > edits[i].line || edits[j].line == edits[i].line && edits[j].col > edits[i].col {
				edits[i], edits[j] = edits[j], edits[i]
			}
		}
	}
	for _, e := range edits {
		if e.line < 1 || e.line > len(lines) {
			return nil, nil, fmt.Errorf("line %d is outside the record", e.line)
		}
		l := lines[e.line-1]
		start := byteOffset(l, e.col-1)
		if start < 0 || start+e.size > len(l) {
			return nil, nil, fmt.Errorf("line %d: the sha256 value is not where the parser says", e.line)
		}
		lines[e.line-1] = append(append(append([]byte{}, l[:start]...), e.text...), l[start+e.size:]...)
	}
	return bytes.Join(lines, nil), missing, nil
}

// lookup walks mapping keys and sequence indexes.
func lookup(n *yaml.Node, path []string) *yaml.Node {
	for _, p := range path {
		switch n.Kind {
		case yaml.MappingNode:
			var next *yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == p {
					next = n.Content[i+1]
				}
			}
			if next == nil {
				return nil
			}
			n = next
		case yaml.SequenceNode:
			var i int
			if _, err := fmt.Sscanf(p, "%d", &i); err != nil || i < 0 || i >= len(n.Content) {
				return nil
			}
			n = n.Content[i]
		default:
			return nil
		}
	}
	return n
}

// byteOffset turns a column counted in characters into a byte offset.
func byteOffset(line []byte, chars int) int {
	off := 0
	for i := 0; i < chars; i++ {
		if off >= len(line) {
			return -1
		}
		_, size := utf8.DecodeRune(line[off:])
		off += size
	}
	return off
}
