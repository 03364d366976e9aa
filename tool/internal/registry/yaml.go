package registry

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// MaxFileSize bounds every record file: records are small, and a bound keeps
// a hostile pull request from exhausting memory.
const MaxFileSize = 1 << 20

// document is one parsed YAML record: its root mapping node, kept for
// positions, and the same content as plain JSON-like values for the schema.
type document struct {
	path string
	root *yaml.Node
	data any
}

var yamlLineRe = regexp.MustCompile(`line (\d+)(?::| column (\d+))?`)

// parseYAML parses one record strictly. It refuses what YAML allows but a
// record must not hold: anchors and aliases (alias bombs), duplicate keys,
// tabs used for indentation, non-UTF-8 bytes, several documents, over-large
// files. Every refusal is a finding at the offending position.
func parseYAML(path string, src []byte) (*document, []Finding) {
	at := func(line, col int, rule, format string, args ...any) []Finding {
		return []Finding{{Path: path, Line: line, Col: col, Rule: rule, Msg: fmt.Sprintf(format, args...)}}
	}
	if len(src) > MaxFileSize {
		return nil, at(1, 1, "REG-SIZE", "file is %d bytes, over the %d-byte limit for a record; records hold references and digests, not documents", len(src), MaxFileSize)
	}
	if !utf8.Valid(src) {
		line, col := invalidUTF8Pos(src)
		return nil, at(line, col, "REG-ENCODING", "file is not valid UTF-8; save it as UTF-8 (without BOM)")
	}
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		return nil, at(1, 1, "REG-ENCODING", "file starts with a byte-order mark; save it as UTF-8 without BOM")
	}
	if line, ok := tabIndent(src); ok {
		return nil, at(line, 1, "REG-YAML", "tab used for indentation; YAML indents with spaces only")
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, at(1, 1, "REG-YAML", "file is empty; a record is a YAML mapping")
		}
		line, col := yamlErrPos(err)
		return nil, at(line, col, "REG-YAML", "malformed YAML: %s; fix the syntax at this position", yamlErrMsg(err))
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, at(extra.Line, extra.Column, "REG-YAML", "file holds several YAML documents; keep one record per file and remove the '---' separator")
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		n := &root
		if len(root.Content) == 1 {
			n = root.Content[0]
		}
		return nil, at(n.Line, n.Column, "REG-YAML", "a record must be a YAML mapping of fields")
	}
	var fs []Finding
	data := toValue(path, root.Content[0], &fs)
	if len(fs) > 0 {
		return nil, fs
	}
	return &document{path: path, root: root.Content[0], data: data}, nil
}

// plainTags are the tags a record may write explicitly: the YAML core
// types, whose value is the text as written. Any other tag (!!binary,
// !!timestamp, local tags) makes the program read something else than the
// schema checks, so it is refused.
var plainTags = map[string]bool{"!!str": true, "!!int": true, "!!float": true, "!!bool": true, "!!null": true, "!!map": true, "!!seq": true}

// toValue converts a node to JSON-like values (map[string]any, []any,
// json.Number, bool, string, nil), recording structural refusals.
func toValue(path string, n *yaml.Node, fs *[]Finding) any {
	if n.Anchor != "" || n.Kind == yaml.AliasNode {
		*fs = append(*fs, Finding{Path: path, Line: n.Line, Col: n.Column, Rule: "REG-YAML",
			Msg: "YAML anchors and aliases are not allowed in records; write the value out in full"})
		return nil
	}
	if n.Style&yaml.TaggedStyle != 0 && !plainTags[n.ShortTag()] {
		*fs = append(*fs, Finding{Path: path, Line: n.Line, Col: n.Column, Rule: "REG-YAML",
			Msg: fmt.Sprintf("YAML tag %s is not allowed in records: the value would be read as something other than what is written; write it as plain text", n.Tag)})
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		seen := make(map[string]*yaml.Node, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" || k.Style&yaml.TaggedStyle != 0 && k.ShortTag() != "!!str" {
				*fs = append(*fs, Finding{Path: path, Line: k.Line, Col: k.Column, Rule: "REG-YAML",
					Msg: "mapping keys must be plain field names (no merge keys or complex keys)"})
				continue
			}
			if prev, dup := seen[k.Value]; dup {
				*fs = append(*fs, Finding{Path: path, Line: k.Line, Col: k.Column, Rule: "REG-YAML",
					Msg: fmt.Sprintf("duplicate key %q (first at line %d); keep one", k.Value, prev.Line)})
				continue
			}
			seen[k.Value] = k
			m[k.Value] = toValue(path, v, fs)
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			s = append(s, toValue(path, c, fs))
		}
		return s
	case yaml.ScalarNode:
		return scalarValue(n)
	}
	return nil
}

// scalarValue is the JSON-like value of a scalar node.
func scalarValue(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		b, _ := strconv.ParseBool(strings.ToLower(n.Value))
		return b
	case "!!int":
		if i, err := strconv.ParseInt(n.Value, 10, 64); err == nil {
			return json.Number(strconv.FormatInt(i, 10))
		}
		// 0x10, 0o7, 1_000: keep as written so the schema refuses it.
		return n.Value
	case "!!float":
		if _, err := strconv.ParseFloat(n.Value, 64); err == nil && !strings.ContainsAny(n.Value, "nN") {
			return json.Number(n.Value)
		}
		return n.Value
	default:
		return n.Value
	}
}

// tabIndent reports the first line whose indentation holds a tab.
func tabIndent(src []byte) (int, bool) {
	line := 1
	atStart := true
	for _, b := range src {
		switch {
		case b == '\n':
			line++
			atStart = true
		case atStart && b == '\t':
			return line, true
		case b != ' ':
			atStart = false
		}
	}
	return 0, false
}

func invalidUTF8Pos(src []byte) (int, int) {
	line, col := 1, 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return line, col
}

func yamlErrPos(err error) (int, int) {
	m := yamlLineRe.FindStringSubmatch(err.Error())
	if m == nil {
		return 1, 1
	}
	line, _ := strconv.Atoi(m[1])
	col := 1
	if m[2] != "" {
		col, _ = strconv.Atoi(m[2])
	}
	return line, col
}

func yamlErrMsg(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = yamlLineRe.ReplaceAllString(msg, "")
	return strings.TrimLeft(msg, ": ")
}
