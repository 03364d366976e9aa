package registry

import (
	"fmt"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Registry is the whole trust space as read from its records.
type Registry struct {
	// Prefix is prepended to record paths in findings, e.g. "registry".
	Prefix     string
	TrustSpace TrustSpace
	Conditions []Condition
	Operators  map[string]*Operator
	// DRIMboxes are sorted by Identifiant.
	DRIMboxes []*DRIMbox

	trustSpaceSrc *Source
	conditionsSrc *Source
}

// TrustSpaceSource and ConditionsSource locate the two global records.
func (r *Registry) TrustSpaceSource() *Source { return r.trustSpaceSrc }

// ConditionsSource locates registry/conditions.yaml.
func (r *Registry) ConditionsSource() *Source { return r.conditionsSrc }

// Operational returns the DRIMboxes that belong in the Liste Blanche.
func (r *Registry) Operational() []*DRIMbox {
	var out []*DRIMbox
	for _, d := range r.DRIMboxes {
		if d.InWhitelist() {
			out = append(out, d)
		}
	}
	return out
}

// DRIMbox returns the DRIMbox with an Identifiant, or nil.
func (r *Registry) DRIMbox(id int) *DRIMbox {
	i, ok := slices.BinarySearchFunc(r.DRIMboxes, id, func(d *DRIMbox, id int) int { return d.Identifiant - id })
	if !ok {
		return nil
	}
	return r.DRIMboxes[i]
}

// Condition returns the condition with an id, or nil.
func (r *Registry) Condition(id string) *Condition {
	for i := range r.Conditions {
		if r.Conditions[i].ID == id {
			return &r.Conditions[i]
		}
	}
	return nil
}

// Load reads and checks a registry folder: layout, YAML, schemas. It does
// not apply the cross-record rules (see package validation). Findings are
// returned alongside a registry holding every record that could be read.
func Load(dir string) (*Registry, []Finding, error) {
	return LoadAs(dir, filepath.ToSlash(filepath.Clean(dir)))
}

// LoadAs is Load with the prefix shown in findings, such as the folder's
// path relative to the repository root.
func LoadAs(dir, prefix string) (*Registry, []Finding, error) {
	files, err := ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	return FromFiles(prefix, files)
}

type parsed struct {
	file     File
	kind     string
	op       string // operator folder for operator and drimbox records
	id       string // file stem for drimbox records
	src      *Source
	rec      any // *TrustSpace, *conditionsFile, *Operator or *DRIMbox; nil when unreadable
	findings []Finding
}

type conditionsFile struct {
	Conditions []Condition `yaml:"conditions"`
}

// FromFiles builds a registry from files whose paths are relative to the
// registry folder; prefix is prepended to paths in findings.
func FromFiles(prefix string, files []File) (*Registry, []Finding, error) {
	return FromFilesCached(prefix, files, nil)
}

// FromFilesCached is FromFiles with a cache of records already found
// clean, keyed by their content; cache may be nil.
func FromFilesCached(prefix string, files []File, cache *Cache) (*Registry, []Finding, error) {
	sch, err := LoadSchemas()
	if err != nil {
		return nil, nil, err
	}
	r := &Registry{Prefix: prefix, Operators: map[string]*Operator{}}
	display := func(p string) string {
		if prefix == "" || prefix == "." {
			return p
		}
		return path.Join(prefix, p)
	}
	var findings []Finding
	work := make([]*parsed, 0, len(files))
	for _, f := range files {
		p := &parsed{file: f}
		p.kind, p.op, p.id = classify(f.Path)
		dp := display(f.Path)
		switch {
		case f.Submodule:
			findings = append(findings, Finding{Path: dp, Line: 1, Col: 1, Rule: "REG-LAYOUT",
				Msg: "submodules are not allowed in the registry; remove it (git rm --cached " + dp + ")"})
			continue
		case p.kind == "":
			findings = append(findings, Finding{Path: dp, Line: 1, Col: 1, Rule: "REG-LAYOUT",
				Msg: "file outside the registry layout; remove it: the registry holds only trust-space.yaml, conditions.yaml, operators/<operator>/operator.yaml and operators/<operator>/drimboxes/<identifiant>.yaml"})
			continue
		case f.Symlink:
			findings = append(findings, Finding{Path: dp, Line: 1, Col: 1, Rule: "REG-LAYOUT",
				Msg: "symlinks are not allowed in the registry; replace it with a regular file"})
			continue
		case f.Special:
			findings = append(findings, Finding{Path: dp, Line: 1, Col: 1, Rule: "REG-LAYOUT",
				Msg: "not a regular file; the registry holds only plain YAML files, remove it"})
			continue
		case f.Executable:
			findings = append(findings, Finding{Path: dp, Line: 1, Col: 1, Rule: "REG-LAYOUT",
				Msg: "a record is not executable; clear the mode (git update-index --chmod=-x " + dp + ")"})
		case f.TooLarge:
			findings = append(findings, Finding{Path: dp, Line: 1, Col: 1, Rule: "REG-SIZE",
				Msg: fmt.Sprintf("file is over the %d-byte limit for a record; records hold references and digests, not documents", MaxFileSize)})
			continue
		}
		work = append(work, p)
	}
	parseAll(sch, work, display, cache)
	for _, p := range work {
		findings = append(findings, p.findings...)
		switch rec := p.rec.(type) {
		case *TrustSpace:
			r.trustSpaceSrc = p.src
			r.TrustSpace = *rec
		case *conditionsFile:
			r.conditionsSrc = p.src
			r.Conditions = rec.Conditions
		case *Operator:
			if rec.ID != p.op {
				findings = append(findings, p.src.Finding("PATH-MATCH", []string{"id"},
					"operator id %q does not match its folder operators/%s/; set id: %s", rec.ID, p.op, p.op))
			}
			rec.ID, rec.Source = p.op, p.src
			r.Operators[p.op] = rec
		case *DRIMbox:
			rec.Source = p.src
			r.DRIMboxes = append(r.DRIMboxes, rec)
		}
	}
	slices.SortStableFunc(r.DRIMboxes, func(a, b *DRIMbox) int { return a.Identifiant - b.Identifiant })
	if r.trustSpaceSrc == nil {
		findings = append(findings, Finding{Path: display("trust-space.yaml"), Line: 1, Col: 1, Rule: "REG-LAYOUT",
			Msg: "trust-space.yaml is missing or unreadable; every registry needs its trust-space settings"})
	}
	if r.conditionsSrc == nil {
		findings = append(findings, Finding{Path: display("conditions.yaml"), Line: 1, Col: 1, Rule: "REG-LAYOUT",
			Msg: "conditions.yaml is missing or unreadable; every registry needs its conditions catalogue"})
	}
	return r, findings, nil
}

func newRecord(kind string) any {
	switch kind {
	case KindTrustSpace:
		return &TrustSpace{}
	case KindConditions:
		return &conditionsFile{}
	case KindOperator:
		return &Operator{}
	default:
		return &DRIMbox{}
	}
}

// parseAll parses, schema-checks and decodes the records on all cores.
// Records whose exact content the cache knows clean skip parsing.
func parseAll(sch *Schemas, work []*parsed, display func(string) string, cache *Cache) {
	n := min(runtime.GOMAXPROCS(0), max(1, len(work)/64))
	var wg sync.WaitGroup
	next := make(chan *parsed, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			nodes := &nodeArena{}
			for p := range next {
				parseOne(sch, p, display(p.file.Path), cache, nodes)
			}
		}()
	}
	for _, p := range work {
		next <- p
	}
	close(next)
	wg.Wait()
}

// parseOne reads one record; nodes lends the nodes of quick trees, which
// are all dropped by the time it returns.
func parseOne(sch *Schemas, p *parsed, dpath string, cache *Cache, nodes *nodeArena) {
	p.src = &Source{Path: dpath, data: p.file.Data}
	var key cacheKey
	if cache != nil {
		key = contentKey(p.kind, p.file.Data)
		if rec := cache.get(key, p.kind); rec != nil {
			p.rec = rec
			return
		}
	}
	// Most records lie inside the subset of YAML quickTree reads, and
	// are clean: for those the parser's tree is built without the
	// parser. A record with any finding is read again by the parser
	// alone, so that every finding comes from the one reference path.
	defer nodes.reset()
	if root, ok := quickTree(p.file.Data, nodes); ok {
		if q := sch.quick[p.kind]; q != nil && quickValidNode(q, root) == valid {
			// The schema finds nothing: no need for the values it reads.
			p.src.root = root
			decodeRecord(p, root, dpath)
		} else {
			var fs []Finding
			data := toValue(dpath, root, &fs)
			if len(fs) == 0 {
				readRecord(sch, p, &document{path: dpath, root: root, data: data})
			} else {
				p.findings = fs
			}
		}
		if len(p.findings) == 0 {
			p.done(cache, key)
			return
		}
		p.findings, p.rec = nil, nil
		p.src.root = nil
	}
	doc, fs := parseYAML(dpath, p.file.Data)
	p.findings = fs
	if doc == nil {
		return
	}
	readRecord(sch, p, doc)
	if len(p.findings) == 0 {
		p.done(cache, key)
	}
}

// readRecord checks a parsed record against its schema and decodes it.
func readRecord(sch *Schemas, p *parsed, doc *document) {
	p.src.root = doc.root
	// A record with schema findings is still decoded when its shape
	// allows, so that one run reports every problem.
	p.findings = append(p.findings, sch.validate(p.kind, doc)...)
	decodeRecord(p, doc.root, doc.path)
}

// decodeRecord decodes a record's tree into its Go value.
func decodeRecord(p *parsed, root *yaml.Node, dpath string) {
	rec := newRecord(p.kind)
	if err := root.Decode(rec); err != nil {
		if len(p.findings) == 0 {
			p.findings = append(p.findings, Finding{Path: dpath, Line: 1, Col: 1, Rule: "REG-SCHEMA",
				Msg: fmt.Sprintf("cannot read record: %v", err)})
		}
		return
	}
	if d, ok := rec.(*DRIMbox); ok {
		// Written forms YAML reads as the same integer (007, +7) would
		// hide a renamed Identifiant: only the plain decimal form is allowed.
		if raw, ok := p.src.Scalar("identifiant"); ok && raw != strconv.Itoa(d.Identifiant) {
			p.findings = append(p.findings, p.src.Finding("ID-FORMAT", []string{"identifiant"},
				"Identifiant %q must be written as a plain decimal number without leading zeros, e.g. %d", raw, d.Identifiant))
		}
	}
	p.rec = rec
}

// done keeps a clean record.
func (p *parsed) done(cache *Cache, key cacheKey) {
	// A clean record rarely needs positions again; its node tree is
	// dropped and rebuilt from its bytes if a finding asks for one,
	// which keeps a large registry's memory, and collection time, low.
	p.src.drop()
	if cache != nil {
		cache.put(key, p.rec)
	}
}

func equalLogin(a, b string) bool { return strings.EqualFold(a, b) }
