package lifecycle

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// Change is a registry change between two revisions, as a pull request
// makes it.
type Change struct {
	// Base is the registry at the merge-base of the pull request's base
	// and head, Head at its head: the change is what lies between them.
	Base, Head *registry.Registry
	// Authority is the registry at the base branch's tip (main as it is
	// now), of which only the trust-space settings and the operator
	// records are read: who the ANS reviewers are and who maintains which
	// operator. Never the merge-base, which the author picks by choosing
	// where to branch: a login removed on main can do nothing through a
	// branch cut before. Nil means Base (a change read without a tip,
	// such as two revisions compared by hand).
	Authority            *registry.Registry
	BaseFiles, HeadFiles []registry.File
	// Author is the GitHub login of the change's author; empty when unknown,
	// in which case authorization rules are not applied.
	Author string
	// Now is when the change is checked: switch and revocation dates are
	// checked against it. The zero time skips those checks.
	Now time.Time
	// Paths are every path the change touches, relative to the repository
	// root, with their file modes; RegistryDir is the registry folder's
	// path in the repository ("registry").
	Paths       []PathChange
	RegistryDir string
}

// BoxChange is what happens to one DRIMbox in a change.
type BoxChange struct {
	Identifiant int
	Base, Head  *registry.DRIMbox // nil when absent
	Procedure   Procedure
	Switch      bool
}

// Boxes pairs the DRIMboxes of base and head by Identifiant and lists those
// whose record changed, in Identifiant order.
func (c *Change) Boxes() []BoxChange {
	base := map[int]*registry.DRIMbox{}
	for _, d := range c.Base.DRIMboxes {
		base[d.Identifiant] = d
	}
	baseData := fileData(c.BaseFiles)
	headData := fileData(c.HeadFiles)
	var out []BoxChange
	seen := map[int]bool{}
	for _, h := range c.Head.DRIMboxes {
		seen[h.Identifiant] = true
		b := base[h.Identifiant]
		if b != nil && b.Source.Path == h.Source.Path && bytes.Equal(baseData[relPath(c.Base, b.Source.Path)], headData[relPath(c.Head, h.Source.Path)]) {
			continue
		}
		bc := BoxChange{Identifiant: h.Identifiant, Base: b, Head: h}
		var from registry.Status
		if b != nil {
			from = b.Status
			bc.Switch = b.Operator != h.Operator
		}
		t, _ := Lookup(from, h.Status)
		bc.Procedure = t.Procedure
		if bc.Switch && t.Procedure == Update {
			bc.Procedure = OperatorSwitch
		}
		out = append(out, bc)
	}
	for _, b := range c.Base.DRIMboxes {
		if !seen[b.Identifiant] {
			out = append(out, BoxChange{Identifiant: b.Identifiant, Base: b})
		}
	}
	slices.SortFunc(out, func(a, b BoxChange) int { return a.Identifiant - b.Identifiant })
	return out
}

func fileData(files []registry.File) map[string][]byte {
	m := make(map[string][]byte, len(files))
	for _, f := range files {
		m[f.Path] = f.Data
	}
	return m
}

// relPath strips a registry's display prefix from a source path.
func relPath(r *registry.Registry, p string) string {
	if r.Prefix == "" || r.Prefix == "." {
		return p
	}
	return strings.TrimPrefix(p, r.Prefix+"/")
}

func (c *Change) authority() *registry.Registry {
	if c.Authority != nil {
		return c.Authority
	}
	return c.Base
}

// Reviewers are the ANS reviewers as the base branch's tip lists them: a
// change cannot grant itself rights, and a reviewer removed on main no
// longer counts.
func (c *Change) Reviewers() registry.Reviewers {
	return c.authority().TrustSpace.Reviewers
}

// Maintainers returns an operator's record as the base branch's tip has
// it, for its maintainers; nil for an operator main does not know.
func (c *Change) Maintainers(operator string) *registry.Operator {
	return c.authority().Operators[operator]
}

// isReviewer tells whether the author is an ANS reviewer.
func (c *Change) isReviewer() bool {
	return c.Reviewers().IsReviewer(c.Author)
}

func (c *Change) maintains(operator string) bool {
	o := c.Maintainers(operator)
	return o != nil && o.IsMaintainer(c.Author)
}

func sameField(a, b any) bool { return reflect.DeepEqual(a, b) }

func at(src *registry.Source, rule string, path []string, format string, args ...any) registry.Finding {
	return src.Finding(rule, path, format, args...)
}

func fileFinding(path, rule, format string, args ...any) registry.Finding {
	return registry.Finding{Path: path, Line: 1, Col: 1, Rule: rule, Msg: fmt.Sprintf(format, args...)}
}
