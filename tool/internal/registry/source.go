package registry

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Source is where a record was read from; it turns field paths into file
// positions for findings.
type Source struct {
	Path string

	mu   sync.Mutex
	root *yaml.Node
	// data rebuilds root when it was dropped or never built (records
	// from the cache); reparsed stops a file that no longer parses from
	// being parsed again and again.
	data     []byte
	reparsed bool
}

// node returns the record's root node, parsing the file when needed.
func (s *Source) node() *yaml.Node {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.root == nil && s.data != nil && !s.reparsed {
		s.reparsed = true
		if doc, _ := parseYAML(s.Path, s.data); doc != nil {
			s.root = doc.root
		}
	}
	return s.root
}

// drop forgets the node tree; node rebuilds it if a position is asked.
func (s *Source) drop() {
	s.mu.Lock()
	s.root = nil
	s.mu.Unlock()
}

// Pos returns the line and column of the value at a field path such as
// ("dossier", "answers", "COND-01"); sequence items are indexed by number.
// When the path does not exist, it returns the position of its deepest
// existing parent, which is where the missing field belongs.
func (s *Source) Pos(path ...string) (int, int) {
	n, _ := walk(s.node(), path)
	if n == nil {
		return 1, 1
	}
	return n.Line, n.Column
}

// KeyPos is like Pos but points at the field's key rather than its value.
func (s *Source) KeyPos(path ...string) (int, int) {
	_, k := walk(s.node(), path)
	if k == nil {
		return s.Pos(path...)
	}
	return k.Line, k.Column
}

// Scalar returns the text of the scalar at a field path, as written.
func (s *Source) Scalar(path ...string) (string, bool) {
	n, _ := walk(s.node(), path)
	if n == nil || n.Kind != yaml.ScalarNode || len(path) == 0 {
		return "", false
	}
	return n.Value, true
}

// Finding builds a finding at a field path of this record.
func (s *Source) Finding(rule string, path []string, format string, args ...any) Finding {
	line, col := s.Pos(path...)
	return Finding{Path: s.Path, Line: line, Col: col, Rule: rule, Msg: fmt.Sprintf(format, args...)}
}

// walk follows a field path and returns the deepest node reached and its key.
func walk(n *yaml.Node, path []string) (val, key *yaml.Node) {
	val = n
	for _, p := range path {
		if val == nil {
			return nil, nil
		}
		switch val.Kind {
		case yaml.MappingNode:
			found := false
			for i := 0; i+1 < len(val.Content); i += 2 {
				if val.Content[i].Value == p {
					key, val, found = val.Content[i], val.Content[i+1], true
					break
				}
			}
			if !found {
				return val, key
			}
		case yaml.SequenceNode:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(val.Content) {
				return val, key
			}
			key, val = val.Content[i], val.Content[i]
		default:
			return val, key
		}
	}
	return val, key
}

// pointerPath splits a JSON pointer ("/a/b~1c") into field names.
func pointerPath(ptr string) []string {
	ptr = strings.TrimPrefix(ptr, "#")
	if ptr == "" || ptr == "/" {
		return nil
	}
	parts := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(p, "~1", "/"), "~0", "~")
	}
	return parts
}
