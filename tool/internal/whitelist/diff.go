package whitelist

import (
	"fmt"
	"io"
	"sort"
	"strconv"
)

// Diff is what changes from one list to the next, entry by entry.
type Diff struct {
	OldGenerated, NewGenerated string
	OldCount, NewCount         int
	Added                      []Domain      `json:"added"`
	Removed                    []Domain      `json:"removed"`
	Changed                    []DomainDiff  `json:"changed"`
	Header                     []FieldChange `json:"header,omitempty"`
}

// DomainDiff is one entry present in both lists with different fields.
type DomainDiff struct {
	ID     int           `json:"identifiant"`
	DB     string        `json:"db"`
	Fields []FieldChange `json:"fields"`
}

// FieldChange is one field's old and new values.
type FieldChange struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// Compare returns the differences from old to new, entries in Identifiant
// order. DateDeGeneration is not a difference.
func Compare(old, new *List) *Diff {
	d := &Diff{
		OldGenerated: FormatTime(old.Generated), NewGenerated: FormatTime(new.Generated),
		OldCount: len(old.Domains), NewCount: len(new.Domains),
	}
	for _, f := range []FieldChange{
		{"namespace", old.Namespace, new.Namespace},
		{"versionFormat", old.VersionFormat, new.VersionFormat},
	} {
		if f.Old != f.New {
			d.Header = append(d.Header, f)
		}
	}
	olds := map[int]Domain{}
	for _, e := range old.Domains {
		olds[e.ID] = e
	}
	news := map[int]Domain{}
	for _, e := range new.Domains {
		news[e.ID] = e
		o, ok := olds[e.ID]
		if !ok {
			d.Added = append(d.Added, e)
			continue
		}
		if fields := fieldChanges(o, e); len(fields) > 0 {
			d.Changed = append(d.Changed, DomainDiff{ID: e.ID, DB: e.DB, Fields: fields})
		}
	}
	for _, e := range old.Domains {
		if _, ok := news[e.ID]; !ok {
			d.Removed = append(d.Removed, e)
		}
	}
	sort.Slice(d.Added, func(i, j int) bool { return d.Added[i].ID < d.Added[j].ID })
	sort.Slice(d.Removed, func(i, j int) bool { return d.Removed[i].ID < d.Removed[j].ID })
	sort.Slice(d.Changed, func(i, j int) bool { return d.Changed[i].ID < d.Changed[j].ID })
	return d
}

func fieldChanges(o, n Domain) []FieldChange {
	var out []FieldChange
	for _, f := range []FieldChange{
		{"db", o.DB, n.DB},
		{"vi", o.VI, n.VI},
		{"Denomination", o.Denomination, n.Denomination},
		{"DNCertificatOperateur", o.CertDN, n.CertDN},
		{"SupportContact", o.SupportContact, n.SupportContact},
		{"DateMAJ", FormatTime(o.Updated), FormatTime(n.Updated)},
	} {
		if f.Old != f.New {
			out = append(out, f)
		}
	}
	return out
}

// Empty tells whether the lists hold the same entries.
func (d *Diff) Empty() bool {
	return len(d.Added) == 0 && len(d.Removed) == 0 && len(d.Changed) == 0 && len(d.Header) == 0
}

// WriteText writes the differences as a reviewer reads them.
func (d *Diff) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	ew.printf("Liste Blanche of %s → %s: %d → %d DRIMbox(es)\n", d.OldGenerated, d.NewGenerated, d.OldCount, d.NewCount)
	if d.Empty() {
		ew.printf("No entry changes.\n")
		return ew.err
	}
	ew.printf("%s added, %s removed, %s changed.\n", count(len(d.Added)), count(len(d.Removed)), count(len(d.Changed)))
	for _, f := range d.Header {
		ew.printf("\n%s changes from %q to %q.\n", f.Field, f.Old, f.New)
	}
	for _, e := range d.Added {
		ew.printf("\nAdded DRIMbox %d (%s), operated by %s\n", e.ID, e.DB, e.Denomination)
		ew.printf("    vi:               %s\n    certificate DN:   %s\n    support contact:  %s\n", orNone(e.VI), e.CertDN, e.SupportContact)
	}
	for _, e := range d.Removed {
		ew.printf("\nRemoved DRIMbox %d (%s), operated by %s: DRIMboxes will stop trusting it\n", e.ID, e.DB, e.Denomination)
	}
	for _, c := range d.Changed {
		ew.printf("\nChanged DRIMbox %d (%s):\n", c.ID, c.DB)
		for _, f := range c.Fields {
			ew.printf("    %s: %s → %s\n", fieldLabel(f.Field), orNone(f.Old), orNone(f.New))
		}
	}
	return ew.err
}

func fieldLabel(f string) string {
	switch f {
	case "DNCertificatOperateur":
		return "certificate DN (DNCertificatOperateur)"
	case "Denomination":
		return "operator (Denomination)"
	case "DateMAJ":
		return "last change (DateMAJ)"
	}
	return f
}

func count(n int) string { return strconv.Itoa(n) }

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
