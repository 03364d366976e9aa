package registry

import (
	"bytes"
	"runtime"
	"slices"
	"sync"
)

// FromChange builds the registries of a change's base and head revisions,
// with findings for the head. A DRIMbox record the change leaves byte for
// byte as it was is read once, for its index fields only, and shared by
// both registries: the cross-record rules and the Liste Blanche need no
// more of it, and it was read in full at the base revision. Every other
// record is read in full, so a change is checked at the cost of what it
// touches plus an index of the rest.
func FromChange(prefix string, base, head []File) (b, h *Registry, findings []Finding, err error) {
	baseData := make(map[string][]byte, len(base))
	for _, f := range base {
		if !f.Symlink && !f.Submodule && !f.Executable && !f.TooLarge {
			baseData[f.Path] = f.Data
		}
	}
	display := func(p string) string {
		if prefix == "" || prefix == "." {
			return p
		}
		return prefix + "/" + p
	}
	// What a record's rules read beyond the record: the trust-space
	// settings and conditions (every record) and its operator's record.
	// When those change, the records they concern are read in full.
	headData := make(map[string][]byte, len(head))
	for _, f := range head {
		headData[f.Path] = f.Data
	}
	same := func(p string) bool {
		o, inBase := baseData[p]
		n, inHead := headData[p]
		return inBase == inHead && bytes.Equal(o, n)
	}
	if !same("trust-space.yaml") || !same("conditions.yaml") {
		b, _, err = FromFiles(prefix, base)
		if err != nil {
			return nil, nil, nil, err
		}
		h, findings, err = FromFiles(prefix, head)
		return b, h, findings, err
	}
	indexed := map[string]*DRIMbox{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan File, 256)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range next {
				d, ok := indexRecord(f.Data)
				if !ok {
					continue
				}
				d.indexed = true
				d.Source = &Source{Path: display(f.Path), data: f.Data}
				mu.Lock()
				indexed[f.Path] = d
				mu.Unlock()
			}
		}()
	}
	unchanged := map[string]bool{}
	for _, f := range head {
		if kind, op, _ := classify(f.Path); kind != KindDRIMbox || f.Symlink || f.Submodule || f.Executable || f.TooLarge || !same(OperatorPath(op)) {
			continue
		}
		if old, ok := baseData[f.Path]; ok && bytes.Equal(old, f.Data) {
			unchanged[display(f.Path)] = true
			next <- f
		}
	}
	close(next)
	wg.Wait()
	rest := func(files []File) []File {
		out := make([]File, 0, len(files)-len(indexed))
		for _, f := range files {
			if indexed[f.Path] == nil {
				out = append(out, f)
			}
		}
		return out
	}
	b, _, err = FromFiles(prefix, rest(base))
	if err != nil {
		return nil, nil, nil, err
	}
	h, findings, err = FromFiles(prefix, rest(head))
	if err != nil {
		return nil, nil, nil, err
	}
	// A record the index reader declined is read in full, but the change
	// left it as it was all the same: its own rules are not the change's.
	for _, d := range h.DRIMboxes {
		if d.Source != nil && unchanged[d.Source.Path] {
			d.unchanged = true
		}
	}
	for _, r := range []*Registry{b, h} {
		for _, d := range indexed {
			r.DRIMboxes = append(r.DRIMboxes, d)
		}
		slices.SortStableFunc(r.DRIMboxes, func(x, y *DRIMbox) int { return x.Identifiant - y.Identifiant })
	}
	return b, h, findings, nil
}
