package registry

import (
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// The YAML parser spends most of a registry's load on machinery records
// do not use: tokens, events, simple-key bookkeeping, comments. Records as
// drimm and operators write them use a narrow subset of YAML in which each
// line means what it says on its own (see indexReader): block mappings and
// sequences at consistent indentation, one-line scalars (plain, or quoted
// without escapes), empty collections and one-line flow mappings.
// quickTree builds, for a record inside that subset, the very node tree the
// parser builds (kinds, tags, styles, values, lines and columns; comments
// aside, which nothing reads from a record's tree), and declines anything
// else, duplicate keys included: toValue finds nothing to refuse in a
// quick tree. FuzzQuickTree holds it to the parser.

// quickLevel is one open block collection.
type quickLevel struct {
	indent  int
	seq     bool
	compact bool // a sequence at its key's indentation ("key:\n- a")
	node    *yaml.Node
}

type quickReader struct {
	nodes *nodeArena
	stack []quickLevel
	// pending is the mapping whose last key, at pendingIndent, has its
	// value on the lines below.
	pending       *yaml.Node
	pendingIndent int
	line          int
	text          string // the current line, for columns
}

// nodeArena hands out nodes from blocks it keeps between records: a
// record's tree is garbage once the record is read, and tens of thousands
// of small objects per second would otherwise keep the collector, and the
// zeroing of fresh memory, busy. Its nodes are valid until reset.
type nodeArena struct {
	blocks [][]yaml.Node
	block  int // index of the block being filled
	used   int // nodes used in it
}

const arenaBlock = 256

func (a *nodeArena) node() *yaml.Node {
	if a.block == len(a.blocks) {
		a.blocks = append(a.blocks, make([]yaml.Node, arenaBlock))
	}
	n := &a.blocks[a.block][a.used]
	if a.used++; a.used == arenaBlock {
		a.block, a.used = a.block+1, 0
	}
	return n
}

// reset makes every node handed out free for reuse; no tree built before
// may be used after. Lists of children keep their room, emptied.
func (a *nodeArena) reset() {
	for i := 0; i <= a.block && i < len(a.blocks); i++ {
		for j := range a.blocks[i] {
			n := &a.blocks[i][j]
			*n = yaml.Node{Content: n.Content[:0]}
		}
	}
	a.block, a.used = 0, 0
}

// quickTree returns the root mapping of a record, or false when the record
// is outside the subset; the caller then parses it in full. The tree's
// nodes come from nodes, or from the heap when nodes is nil.
func quickTree(data []byte, nodes *nodeArena) (*yaml.Node, bool) {
	if !indexText(data) {
		return nil, false
	}
	if nodes == nil {
		nodes = &nodeArena{}
	}
	r := &quickReader{nodes: nodes, stack: make([]quickLevel, 0, 8)}
	src := string(data)
	for len(src) > 0 {
		r.line++
		if i := strings.IndexByte(src, '\n'); i >= 0 {
			r.text, src = src[:i], src[i+1:]
		} else {
			r.text, src = src, ""
		}
		if !r.next() {
			return nil, false
		}
	}
	if r.pending != nil || len(r.stack) == 0 {
		return nil, false
	}
	return r.stack[0].node, true
}

// col is the column YAML gives byte offset i of the current line: it
// counts characters.
func (r *quickReader) col(i int) int {
	return utf8.RuneCountInString(r.text[:i]) + 1
}

func (r *quickReader) next() bool {
	rest := strings.TrimLeft(r.text, " ")
	n := len(r.text) - len(rest)
	if rest == "" || rest[0] == '#' {
		return true
	}
	if rest[len(rest)-1] == ' ' {
		return false
	}
	item := rest == "-" || strings.HasPrefix(rest, "- ")
	if len(r.stack) == 0 {
		if n != 0 || item {
			return false
		}
		r.stack = append(r.stack, quickLevel{indent: 0, node: r.collection(yaml.MappingNode, n)})
	}
	if r.pending != nil {
		m := r.pending
		r.pending = nil
		var l quickLevel
		switch {
		case n > r.pendingIndent:
			l = quickLevel{indent: n, seq: item}
		case n == r.pendingIndent && item:
			l = quickLevel{indent: n, seq: true, compact: true}
		default:
			return false // the key holds null
		}
		if item {
			l.node = r.collection(yaml.SequenceNode, n)
		} else {
			l.node = r.collection(yaml.MappingNode, n)
		}
		m.Content = append(m.Content, l.node)
		r.stack = append(r.stack, l)
	}
	for len(r.stack) > 1 && r.stack[len(r.stack)-1].indent > n {
		r.stack = r.stack[:len(r.stack)-1]
	}
	top := &r.stack[len(r.stack)-1]
	if top.indent != n {
		return false
	}
	if top.seq && !item {
		if !top.compact {
			return false
		}
		r.stack = r.stack[:len(r.stack)-1]
		top = &r.stack[len(r.stack)-1]
		if top.indent != n || top.seq {
			return false
		}
	}
	if !top.seq {
		if item {
			return false
		}
		return r.entry(top.node, n, rest)
	}
	// "- scalar", "- {flow}" or "- key: value" opening a mapping whose
	// keys stand two columns right of the dash.
	if rest == "-" || rest[2] == ' ' {
		return false
	}
	rest = rest[2:]
	if _, _, ok := splitKey(rest); ok {
		m := r.collection(yaml.MappingNode, n+2)
		top.node.Content = append(top.node.Content, m)
		r.stack = append(r.stack, quickLevel{indent: n + 2, node: m})
		return r.entry(m, n+2, rest)
	}
	v, ok := r.value(rest, n+2)
	if ok {
		top.node.Content = append(top.node.Content, v)
	}
	return ok
}

// entry reads "key: value" or "key:" at byte offset at into mapping m.
func (r *quickReader) entry(m *yaml.Node, at int, s string) bool {
	key, value, ok := splitKey(s)
	if !ok {
		return false
	}
	if !newKey(m, key) {
		return false
	}
	k := r.plain(key, at)
	if value == "" {
		// The value's node comes with the next line; the key holds
		// its place until then.
		m.Content = append(m.Content, k)
		r.pending, r.pendingIndent = m, at
		return true
	}
	v, ok := r.value(value, len(r.text)-len(value))
	if !ok {
		return false
	}
	m.Content = append(m.Content, k, v)
	return true
}

// value reads a one-line value starting at byte offset at.
func (r *quickReader) value(v string, at int) (*yaml.Node, bool) {
	switch {
	case v == "[]":
		n := r.collection(yaml.SequenceNode, at)
		n.Style = yaml.FlowStyle
		return n, true
	case v[0] == '{':
		return r.flowMapping(v, at)
	case v[0] == '"' || v[0] == '\'':
		return r.quoted(v, at)
	case blockPlain(v):
		return r.plain(v, at), true
	}
	return nil, false
}

func (r *quickReader) collection(kind yaml.Kind, at int) *yaml.Node {
	tag := "!!map"
	if kind == yaml.SequenceNode {
		tag = "!!seq"
	}
	n := r.nodes.node()
	n.Kind, n.Tag, n.Line, n.Column = kind, tag, r.line, r.col(at)
	return n
}

// plain is a plain scalar, tagged as the parser resolves it.
func (r *quickReader) plain(v string, at int) *yaml.Node {
	n := r.nodes.node()
	n.Kind, n.Value, n.Line, n.Column = yaml.ScalarNode, v, r.line, r.col(at)
	if textual(v) {
		n.Tag = "!!str"
	} else {
		n.Tag = n.ShortTag()
	}
	return n
}

// textual tells, cheaply, that yaml.v3 resolves the plain scalar v as a
// string: it starts with a letter and is none of the words it reads as a
// boolean or null (it reads no other word as anything else), or it is
// hexadecimal, as digests and serials are written, with a, c, d or f,
// which no YAML number (0x needs an x) or date holds. Everything else is
// resolved by yaml.v3 itself.
func textual(v string) bool {
	c := v[0]
	if c >= '0' && c <= '9' {
		return strings.Trim(v, "0123456789abcdefABCDEF") == "" && strings.ContainsAny(v, "acdfACDF")
	}
	if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
		return false
	}
	switch v {
	case "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL":
		return false
	}
	return true
}

func (r *quickReader) quoted(v string, at int) (*yaml.Node, bool) {
	inner, ok := quoted(v)
	if !ok {
		return nil, false
	}
	style := yaml.DoubleQuotedStyle
	if v[0] == '\'' {
		style = yaml.SingleQuotedStyle
	}
	n := r.nodes.node()
	n.Kind, n.Style, n.Tag, n.Value, n.Line, n.Column = yaml.ScalarNode, style, "!!str", inner, r.line, r.col(at)
	return n, true
}

// flowMapping reads "{key: value, key: value}" or "{}" on one line, each
// value quoted or a plain scalar of flow-safe characters.
func (r *quickReader) flowMapping(v string, at int) (*yaml.Node, bool) {
	if v[len(v)-1] != '}' {
		return nil, false
	}
	m := r.collection(yaml.MappingNode, at)
	m.Style = yaml.FlowStyle
	if v == "{}" {
		return m, true
	}
	s := v[1:]
	for len(m.Content) < 128 {
		keyAt := at + len(v) - len(s)
		key, rest, ok := strings.Cut(s, ": ")
		if !ok {
			return nil, false
		}
		if k, _, ok := splitKey(key + ":"); !ok || k != key {
			return nil, false
		}
		rest = strings.TrimLeft(rest, " ")
		valAt := at + len(v) - len(rest)
		var val *yaml.Node
		if rest != "" && (rest[0] == '"' || rest[0] == '\'') {
			end := strings.IndexByte(rest[1:], rest[0])
			if end < 0 {
				return nil, false
			}
			if val, ok = r.quoted(rest[:end+2], valAt); !ok {
				return nil, false
			}
			rest = rest[end+2:]
		} else {
			end := flowEnd(rest)
			if end <= 0 || !flowPlain(rest[:end]) {
				return nil, false
			}
			val, rest = r.plain(rest[:end], valAt), rest[end:]
		}
		if !newKey(m, key) {
			return nil, false
		}
		m.Content = append(m.Content, r.plain(key, keyAt), val)
		switch {
		case rest == "}":
			return m, true
		case strings.HasPrefix(rest, ", ") && len(rest) > 2 && rest[2] != ' ':
			s = rest[2:]
		default:
			return nil, false
		}
	}
	return nil, false // a long flow mapping is for the full parser
}

// newKey tells whether mapping m lacks key. A duplicate is left to the
// parser and toValue, which refuse it, so that a quick tree holds nothing
// toValue refuses; so is a mapping too long for a scan per key to be cheap.
func newKey(m *yaml.Node, key string) bool {
	if len(m.Content) >= 2*256 {
		return false
	}
	for i := 0; i < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return false
		}
	}
	return true
}
