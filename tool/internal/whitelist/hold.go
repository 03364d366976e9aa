package whitelist

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// Publishing degrades per DRIMbox, never as a whole: a finding in one record
// must not stop the list from being re-signed, or every DRIMbox in France
// would refuse it once it is older than max_age. A DRIMbox whose record has
// findings is held back: the list keeps the entry last published for it
// (or leaves it out if it had none) until the record is clean again.
//
// Leaving the list is never held back: a record that says its DRIMbox is
// excluded or withdrawn removes the entry even with findings, since trust
// must be withdrawable at once.

// Hold says which DRIMboxes a publication holds back, and why.
type Hold struct {
	// Global are findings in records every entry depends on
	// (trust-space.yaml, conditions.yaml, the layout): they hold back every
	// DRIMbox.
	Global []registry.Finding
	// ByID are the findings that hold back one DRIMbox: those of its own
	// record and of its operator's record.
	ByID map[int][]registry.Finding
	// Paths are the records of the held DRIMboxes, as findings name them.
	Paths map[int]string
}

// HoldFor attributes a registry's findings to the DRIMboxes they hold back.
// Findings outside the registry folder (CODEOWNERS, notices) hold nothing
// back: they do not change what the list says.
func HoldFor(reg *registry.Registry, findings []registry.Finding) *Hold {
	h := &Hold{ByID: map[int][]registry.Finding{}, Paths: map[int]string{}}
	prefix := strings.TrimSuffix(reg.Prefix, "/")
	byOperator := map[string][]registry.Finding{}
	for _, f := range findings {
		rel := f.Path
		if prefix != "" && prefix != "." {
			var ok bool
			if rel, ok = strings.CutPrefix(f.Path, prefix+"/"); !ok {
				continue
			}
		}
		parts := strings.Split(rel, "/")
		switch {
		case len(parts) == 4 && parts[0] == "operators" && parts[2] == "drimboxes" && recordID(parts[3]) > 0:
			id := recordID(parts[3])
			h.ByID[id] = append(h.ByID[id], f)
			h.Paths[id] = f.Path
		case len(parts) >= 3 && parts[0] == "operators":
			byOperator[parts[1]] = append(byOperator[parts[1]], f)
		default:
			h.Global = append(h.Global, f)
		}
	}
	if len(byOperator) > 0 {
		for _, d := range reg.DRIMboxes {
			fs := byOperator[d.Operator]
			if d.Source != nil {
				// The folder the record lives in counts too: a record
				// naming another operator is held with its folder's.
				if op := operatorFolder(d.Source.Path, prefix); op != d.Operator {
					fs = append(fs, byOperator[op]...)
				}
			}
			if len(fs) > 0 {
				h.ByID[d.Identifiant] = append(h.ByID[d.Identifiant], fs...)
				if d.Source != nil {
					h.Paths[d.Identifiant] = d.Source.Path
				}
			}
		}
	}
	return h
}

// recordID reads the Identifiant from a DRIMbox record's file name, or 0.
func recordID(name string) int {
	stem, ok := strings.CutSuffix(name, ".yaml")
	if !ok || stem == "" || stem[0] == '0' {
		return 0
	}
	n, err := strconv.Atoi(stem)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// operatorFolder returns the operator folder of a record path.
func operatorFolder(p, prefix string) string {
	if prefix != "" && prefix != "." {
		p = strings.TrimPrefix(p, prefix+"/")
	}
	parts := strings.Split(path.Clean(p), "/")
	if len(parts) >= 2 && parts[0] == "operators" {
		return parts[1]
	}
	return ""
}

// Empty tells whether nothing is held back.
func (h *Hold) Empty() bool { return h == nil || (len(h.Global) == 0 && len(h.ByID) == 0) }

func (h *Hold) held(id int) bool {
	if h == nil {
		return false
	}
	return len(h.Global) > 0 || len(h.ByID[id]) > 0
}

// Held is one DRIMbox a publication held back.
type Held struct {
	Identifiant int `json:"identifiant"`
	// Path is its record, as findings name it; empty when only a global
	// finding holds it.
	Path     string             `json:"path,omitempty"`
	Findings []registry.Finding `json:"findings"`
	// Kept is the entry kept from the last published list; nil when it
	// had none, so the DRIMbox stays out of the list until it is clean.
	Kept *Domain `json:"-"`
	// InList says whether the published list holds the DRIMbox.
	InList bool `json:"in_list"`
}

// BuildHolding is Build for publication: the DRIMboxes hold holds back keep
// their entry from previous (the last published list; nil for the first
// publication) instead of the one their record gives. updated dates the
// fresh entries (see Dates, given FreshEntries). It returns the list and
// the DRIMboxes held back, in Identifiant order.
func BuildHolding(reg *registry.Registry, hold *Hold, previous *List, updated map[int]time.Time, at time.Time) (*List, []Held, error) {
	global := hold != nil && len(hold.Global) > 0
	if global && previous == nil {
		return nil, nil, fmt.Errorf("the registry's shared records have findings and no list was published before: nothing can be published until they are fixed")
	}
	ws := reg.TrustSpace.Whitelist
	l := &List{Namespace: ws.Namespace, VersionFormat: ws.VersionFormat, Generated: at.UTC().Truncate(time.Second)}
	if global {
		// trust-space.yaml itself may be what is wrong: keep the
		// published list's shape.
		l.Namespace, l.VersionFormat = previous.Namespace, previous.VersionFormat
	}
	if l.Namespace == "" {
		l.Namespace = DefaultNamespace
	}
	if l.VersionFormat == "" {
		l.VersionFormat = VersionFormat
	}
	if l.VersionFormat != VersionFormat {
		return nil, nil, fmt.Errorf("trust-space.yaml asks for whitelist version_format %q; this drimm writes %q", l.VersionFormat, VersionFormat)
	}
	var fresh []Domain
	if !global {
		var err error
		if fresh, err = FreshEntries(reg, hold); err != nil {
			return nil, nil, err
		}
	}
	for _, d := range fresh {
		if err := serverDN(d); err != nil {
			return nil, nil, fmt.Errorf("the registry gives an invalid list: Identifiant %d: %w", d.ID, err)
		}
		if t, ok := updated[d.ID]; ok {
			d.Updated = t.UTC().Truncate(time.Second)
		} else {
			d.Updated = l.Generated
		}
		l.Domains = append(l.Domains, d)
	}
	held := HeldBack(reg, hold, previous)
	for _, h := range held {
		if h.Kept != nil {
			l.Domains = append(l.Domains, *h.Kept)
		}
	}
	l.Sort()
	if err := l.Check(""); err != nil {
		return nil, nil, fmt.Errorf("the registry gives an invalid list: %w", err)
	}
	return l, held, nil
}

// FreshEntries is Entries without the DRIMboxes hold holds back: the
// entries a publication takes from the registry.
func FreshEntries(reg *registry.Registry, hold *Hold) ([]Domain, error) {
	if hold != nil && len(hold.Global) > 0 {
		return nil, nil
	}
	all, err := Entries(reg)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, e := range all {
		if !hold.held(e.ID) {
			out = append(out, e)
		}
	}
	return out, nil
}

// HeldBack lists the DRIMboxes whose entry the hold decides: every one
// with findings that the registry says is operational or that list (the
// last published one, or nil) holds, with the entry it keeps from list.
func HeldBack(reg *registry.Registry, hold *Hold, previous *List) []Held {
	if hold.Empty() {
		return nil
	}
	ids := map[int]bool{}
	for id := range hold.ByID {
		ids[id] = true
	}
	if len(hold.Global) > 0 {
		for _, d := range reg.DRIMboxes {
			ids[d.Identifiant] = true
		}
		if previous != nil {
			for _, e := range previous.Domains {
				ids[e.ID] = true
			}
		}
	}
	var out []Held
	for id := range ids {
		rec := reg.DRIMbox(id)
		var last *Domain
		if previous != nil {
			if e := previous.Domain(id); e != nil {
				c := *e
				last = &c
			}
		}
		// Leaving the list is never held back.
		if rec != nil && (rec.Status == registry.StatusExcluded || rec.Status == registry.StatusWithdrawn) {
			continue
		}
		// Not in the list, and a record that does not ask for it (or
		// none and no finding of its own): nothing is held back.
		if last == nil && (rec != nil && !rec.InWhitelist() || rec == nil && len(hold.ByID[id]) == 0) {
			continue
		}
		h := Held{Identifiant: id, Path: hold.Paths[id], Findings: hold.ByID[id], Kept: last, InList: last != nil}
		if h.Path == "" && rec != nil && rec.Source != nil {
			h.Path = rec.Source.Path
		}
		out = append(out, h)
	}
	slices.SortFunc(out, func(a, b Held) int { return a.Identifiant - b.Identifiant })
	return out
}
