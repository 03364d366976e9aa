package registry

import (
	"strconv"
	"strings"
	"sync"
	"unsafe"
)

// Index fields: what the cross-record rules (unique Identifiants and ZED
// containers, the operator's records) and the Liste Blanche need of a
// DRIMbox that a change leaves as it was.
var indexFields = map[string]bool{
	"identifiant": true, "operator": true, "status": true, "support_contact": true,
	"endpoints.db": true, "endpoints.vi": true,
	"certificates.server.dn": true, "certificates.server.sha256": true, "certificates.server.serial": true,
	"dossier.zed.container": true, "dossier.zed.order": true,
}

// indexParents are the mappings that hold index fields: they must be
// written as blocks of "key: value" lines, nothing else.
var indexParents = map[string]bool{"endpoints": true, "certificates": true, "certificates.server": true, "dossier": true, "dossier.zed": true}

// indexLevel is one open block collection: a mapping, or a sequence.
type indexLevel struct {
	indent int
	seq    bool
	// compact sequences sit at their key's indentation ("key:\n- a").
	compact bool
	// path is the dotted path of a mapping reached through mappings from
	// the root and that may hold index fields; "-" elsewhere.
	path string
	// keys are the mapping's keys so far, for duplicates; set holds them
	// too once they are many, so that a hostile record with thousands of
	// keys costs linear time.
	keys []string
	set  map[string]bool
}

// indexReader reads a record line by line. It knows a narrow subset of
// YAML, in which every line means what it says on its own: block mappings
// and sequences of "key: value" lines at consistent indentation, each
// value a one-line scalar (plain, or quoted without escapes), an empty
// collection, or a one-line flow mapping of such scalars. Anything else —
// a scalar over several lines, an escape, a block scalar, a tab, a CR, an
// anchor, a tag, a duplicate key, a comment beside a value, a document
// marker, a byte-order mark — makes it decline, and the caller parses the
// record in full. Inside that subset, YAML reads exactly the keys and
// values the lines show, which is what makes the reader equal the parser.
type indexReader struct {
	d     *DRIMbox
	stack []indexLevel
	// open is set after a "key:" line whose value is on the lines below.
	open       bool
	openIndent int
	openPath   string
}

// indexRecord reads a DRIMbox record's index fields far more cheaply than
// the YAML parser and the schema, or declines (false): then the caller
// reads the record in full. For every input it accepts, the YAML parser
// reads the same index fields and finds the record well-formed. It is used
// only for records a change leaves byte for byte as they were in the base
// revision.
func indexRecord(data []byte) (*DRIMbox, bool) {
	if !indexText(data) {
		return nil, false
	}
	r := indexReaders.Get().(*indexReader)
	defer r.release()
	r.d = &DRIMbox{}
	// The lines are read in place: copying the record into a string cost
	// more than reading it. The view lives only during this call (the
	// caller's buffers are reused afterwards), so every string the
	// reader keeps is copied out by ownFields before it returns.
	src := unsafe.String(unsafe.SliceData(data), len(data))
	for len(src) > 0 {
		var line string
		if i := strings.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			line, src = src, ""
		}
		if !r.line(line) {
			return nil, false
		}
	}
	if r.open && (indexFields[r.openPath] || indexParents[r.openPath]) {
		return nil, false
	}
	if r.d.Identifiant == 0 {
		return nil, false
	}
	ownFields(r.d)
	return r.d, true
}

// ownFields copies the index's strings, which point into the record's
// bytes, out into one allocation of their own.
func ownFields(d *DRIMbox) {
	fields := [...]*string{
		&d.Operator, (*string)(&d.Status), &d.SupportContact, &d.Endpoints.DB, &d.Endpoints.VI,
		&d.Certificates.Server.DN, &d.Certificates.Server.SHA256, &d.Certificates.Server.Serial,
		&d.Dossier.ZED.Container, &d.Dossier.ZED.Order,
	}
	n := 0
	for _, f := range fields {
		n += len(*f)
	}
	var b strings.Builder
	b.Grow(n)
	for _, f := range fields {
		b.WriteString(*f)
	}
	all := b.String()
	for _, f := range fields {
		*f, all = all[:len(*f)], all[len(*f):]
	}
}

// indexReaders keep their stacks and key lists from record to record:
// growing them afresh for each of thousands of records cost more than
// reading the lines.
var indexReaders = sync.Pool{New: func() any { return &indexReader{stack: make([]indexLevel, 1, 8)} }}

// release returns the reader to the pool, holding no string of the record
// it read: those point into a buffer that is reused.
func (r *indexReader) release() {
	levels := r.stack[:cap(r.stack)]
	for i := range levels {
		clear(levels[i].keys[:cap(levels[i].keys)])
		levels[i] = indexLevel{keys: levels[i].keys[:0]}
	}
	*r = indexReader{stack: levels[:1]}
	indexReaders.Put(r)
}

func (r *indexReader) line(s string) bool {
	rest := strings.TrimLeft(s, " ")
	n := len(s) - len(rest)
	if rest == "" {
		return true
	}
	if rest[len(rest)-1] == ' ' {
		return false
	}
	if rest[0] == '#' {
		return true
	}
	item := rest == "-" || strings.HasPrefix(rest, "- ")
	if r.open {
		r.open = false
		switch {
		case n > r.openIndent:
			if indexFields[r.openPath] || item && indexParents[r.openPath] {
				return false
			}
			r.push(indexLevel{indent: n, seq: item, path: r.openPath})
		case n == r.openIndent && item:
			if indexFields[r.openPath] || indexParents[r.openPath] {
				return false
			}
			r.push(indexLevel{indent: n, seq: true, compact: true, path: "-"})
		default:
			// The key above holds null; an index field or its parent
			// never does in a record worth indexing.
			if indexFields[r.openPath] || indexParents[r.openPath] {
				return false
			}
		}
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
		return r.entry(top, n, rest)
	}
	// A sequence item: "- scalar" or "- key: value" opening a mapping
	// whose keys stand two columns right of the dash.
	if rest == "-" || rest[2] == ' ' {
		return false
	}
	rest = rest[2:]
	if key, value, ok := splitKey(rest); ok {
		r.push(indexLevel{indent: n + 2, path: "-"})
		top = &r.stack[len(r.stack)-1]
		return r.key(top, n+2, key, value)
	}
	return lineValue(rest)
}

// entry reads a "key: value" line of a mapping.
func (r *indexReader) entry(top *indexLevel, n int, rest string) bool {
	key, value, ok := splitKey(rest)
	if !ok {
		return false
	}
	return r.key(top, n, key, value)
}

func (r *indexReader) push(l indexLevel) {
	if len(r.stack) < cap(r.stack) {
		l.keys = r.stack[:len(r.stack)+1][len(r.stack)].keys[:0]
	}
	r.stack = append(r.stack, l)
}

// key records one key of a mapping at indentation n and its value.
func (r *indexReader) key(top *indexLevel, n int, key, value string) bool {
	// A duplicate: YAML refuses it, and which one counts is unclear.
	if top.set != nil {
		if top.set[key] {
			return false
		}
		top.set[key] = true
	} else {
		for _, k := range top.keys {
			if k == key {
				return false
			}
		}
		top.keys = append(top.keys, key)
		if len(top.keys) > 32 {
			top.set = make(map[string]bool, 2*len(top.keys))
			for _, k := range top.keys {
				top.set[k] = true
			}
		}
	}
	path := "-"
	switch {
	case top.path == "":
		path = key
	case indexParents[top.path]:
		path = top.path + "." + key
	}
	if value == "" {
		r.open, r.openIndent, r.openPath = true, n, path
		return true
	}
	if indexParents[path] {
		return false
	}
	if !indexFields[path] {
		return lineValue(value)
	}
	if path == "identifiant" {
		if !decimalString(value) {
			return false
		}
		r.d.Identifiant, _ = strconv.Atoi(value)
		return true
	}
	v, ok := indexScalar(value)
	if !ok {
		return false
	}
	switch path {
	case "operator":
		r.d.Operator = v
	case "status":
		r.d.Status = Status(v)
	case "support_contact":
		r.d.SupportContact = v
	case "endpoints.db":
		r.d.Endpoints.DB = v
	case "endpoints.vi":
		r.d.Endpoints.VI = v
	case "certificates.server.dn":
		r.d.Certificates.Server.DN = v
	case "certificates.server.sha256":
		r.d.Certificates.Server.SHA256 = v
	case "certificates.server.serial":
		r.d.Certificates.Server.Serial = v
	case "dossier.zed.container":
		r.d.Dossier.ZED.Container = v
	case "dossier.zed.order":
		r.d.Dossier.ZED.Order = v
	}
	return true
}
