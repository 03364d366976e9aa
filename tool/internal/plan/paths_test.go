package plan

import (
	"slices"
	"strings"
	"testing"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// TestEveryChangeShows: whatever field a change touches, the plan names
// it, by its own section or by the fallback that lists changed paths.
func TestEveryChangeShows(t *testing.T) {
	base := &registry.DRIMbox{Identifiant: 5, Operator: "op-a", Status: registry.StatusOperational, DeclaredOn: "2025-05-05",
		Switches: []registry.Switch{{From: "op-b", To: "op-a", On: "2026-01-02", RevocationDue: "2026-01-17"}},
		Dossier: registry.Dossier{
			Documents:    []registry.Document{{Condition: "COND-01", Kind: "matrice-raci", Name: "raci.csv", SHA256: strings.Repeat("a", 64)}},
			Attestations: []registry.Attestation{{Condition: "COND-02", Kind: "engagement", Document: "att.pdf", SHA256: strings.Repeat("b", 64), SignedBy: []registry.Signer{{Party: "operator", Role: "DSI"}}}},
			VA:           &registry.VA{Variant: "segur-integration", Document: "VA.pdf", SHA256: strings.Repeat("c", 64), IssuedOn: "2025-09-15"},
		},
		Reintegration: &registry.Reintegration{Remediation: "Certificat renouvelé.", Refusals: []registry.StatusChange{{On: "2026-02-01", Reason: "insuffisant"}}},
	}
	tests := []struct {
		name string
		edit func(d *registry.DRIMbox)
		want string // a field name the plan must show
		text string // and a value it must show
	}{
		{"declared_on", func(d *registry.DRIMbox) { d.DeclaredOn = "2026-05-05" }, "declared_on", "2026-05-05"},
		{"document digest", func(d *registry.DRIMbox) { d.Dossier.Documents[0].SHA256 = strings.Repeat("d", 64) }, "dossier.documents added", strings.Repeat("d", 64)},
		{"attestation digest", func(d *registry.DRIMbox) { d.Dossier.Attestations[0].SHA256 = strings.Repeat("e", 64) }, "dossier.attestations added", strings.Repeat("e", 64)},
		{"attestation role", func(d *registry.DRIMbox) { d.Dossier.Attestations[0].SignedBy[0].Role = "Directeur" }, "dossier.attestations added", "operator: Directeur"},
		{"VA digest", func(d *registry.DRIMbox) { d.Dossier.VA.SHA256 = strings.Repeat("f", 64) }, "dossier.va", strings.Repeat("f", 64)},
		{"refusal erased", func(d *registry.DRIMbox) { d.Reintegration.Refusals = nil }, "reintegration.refusals removed", "2026-02-01: insuffisant"},
		{"reintegration block erased", func(d *registry.DRIMbox) { d.Reintegration = nil }, "reintegration.remediation", "Certificat renouvelé."},
		// Not a field any section describes: the fallback names it.
		{"past switch rewritten", func(d *registry.DRIMbox) { d.Switches[0].On = "2025-12-01" }, "switches[0].on", "2025-12-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			head := clone(t, base)
			tt.edit(head)
			fields := boxFields(base, head)
			i := slices.IndexFunc(fields, func(f Field) bool { return f.Name == tt.want })
			if i < 0 {
				t.Fatalf("no field %q in %+v", tt.want, fields)
			}
			if f := fields[i]; !strings.Contains(f.Old+f.New, tt.text) {
				t.Fatalf("field %q = %+v, lacks %q", tt.want, f, tt.text)
			}
		})
	}
	if fields := boxFields(base, clone(t, base)); len(fields) != 0 {
		t.Fatalf("an unchanged record shows changes: %+v", fields)
	}
}

// TestOperatorSharedDocuments: a shared document's digest, which every
// dossier naming it takes, shows in the plan.
func TestOperatorSharedDocuments(t *testing.T) {
	base := &registry.Operator{ID: "op-a", Documents: []registry.SharedDocument{{Kind: "pssi", Name: "PSSI.pdf", SHA256: strings.Repeat("a", 64)}}}
	head := &registry.Operator{ID: "op-a", Documents: []registry.SharedDocument{{Kind: "pssi", Name: "PSSI.pdf", SHA256: strings.Repeat("b", 64)}}}
	fields := operatorFields(base, head)
	var names []string
	for _, f := range fields {
		names = append(names, f.Name+"="+f.Old+f.New)
	}
	got := strings.Join(names, "\n")
	if !strings.Contains(got, "documents added=PSSI.pdf (pssi, sha256 "+strings.Repeat("b", 64)) || !strings.Contains(got, "documents removed=PSSI.pdf (pssi, sha256 "+strings.Repeat("a", 64)) {
		t.Fatalf("fields:\n%s", got)
	}
}

// clone copies a record deeply enough that editing the copy leaves the
// original as it was.
func clone(t *testing.T, d *registry.DRIMbox) *registry.DRIMbox {
	t.Helper()
	c := *d
	c.Switches = slices.Clone(d.Switches)
	c.Dossier.Documents = slices.Clone(d.Dossier.Documents)
	c.Dossier.Attestations = slices.Clone(d.Dossier.Attestations)
	for i := range c.Dossier.Attestations {
		c.Dossier.Attestations[i].SignedBy = slices.Clone(d.Dossier.Attestations[i].SignedBy)
	}
	if d.Dossier.VA != nil {
		va := *d.Dossier.VA
		c.Dossier.VA = &va
	}
	if d.Reintegration != nil {
		r := *d.Reintegration
		r.Refusals = slices.Clone(r.Refusals)
		c.Reintegration = &r
	}
	return &c
}
