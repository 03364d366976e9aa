package synth

import (
	"fmt"
	"strings"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// DRIMboxSpec says what DRIMbox record to write.
type DRIMboxSpec struct {
	Identifiant int
	Operator    string
	Status      registry.Status
	Zone        string
	Conditions  []registry.Condition
	// Seq varies the fictional details (départements, funding).
	Seq int
	// Funding defaults to segur.
	Funding string
	// Organisation is the O of the server certificate DN.
	Organisation string
}

var departements = []string{"Gironde (33)", "Côte-d'Or (21)", "Ille-et-Vilaine (35)", "Bas-Rhin (67)", "Hérault (34)", "Loire-Atlantique (44)", "Nord (59)", "Rhône (69)"}

// DRIMbox returns a DRIMbox record whose dossier is complete for its status.
func DRIMbox(s DRIMboxSpec) string {
	if s.Funding == "" {
		s.Funding = registry.FundingSegur
	}
	if s.Organisation == "" {
		s.Organisation = fmt.Sprintf("CENTRE IMAGERIE FICTIF %d", s.Identifiant)
	}
	id, op := s.Identifiant, s.Operator
	var b strings.Builder
	fmt.Fprintf(&b, "identifiant: %d\noperator: %s\nstatus: %s\nfunding: %s\ndeclared_on: 2025-%02d-%02d\n", id, op, s.Status, s.Funding, 1+s.Seq%12, 1+s.Seq%28)
	fmt.Fprintf(&b, "support_contact: support@%s.example\n", op)
	fmt.Fprintf(&b, "endpoints:\n  db: db-%d.gw.%s.example\n  vi: vi-%d.gw.%s.example\n", id, op, id, op)
	fmt.Fprintf(&b, "certificates:\n  server:\n    dn: \"CN=db%d.%s,OU=3%014d,O=%s,ST=%s,C=FR\"\n", id, s.Zone, 10000000000000+id, s.Organisation, departements[s.Seq%len(departements)])
	fmt.Fprintf(&b, "    sha256: %s\n    serial: %s\n    not_after: 2028-06-30\n", Digest(fmt.Sprintf("server-%d", id)), Digest(fmt.Sprintf("serial-%d", id))[:32])
	fmt.Fprintf(&b, "  market:\n    sha256: %s\n    serial: %s\n    not_after: 2028-06-30\n", Digest(fmt.Sprintf("market-%d", id)), Digest(fmt.Sprintf("mserial-%d", id))[:32])
	fmt.Fprintf(&b, "pacs:\n  - id: pacs-principal\n    label: PACS principal\n")
	b.WriteString("dossier:\n")
	if s.Status != registry.StatusDeclared {
		writeDossier(&b, s)
	} else {
		b.WriteString("  subcontracting: false\n")
	}
	switch s.Status {
	case registry.StatusExcluded, registry.StatusReintegrating:
		b.WriteString("exclusion:\n  on: 2026-03-02\n  reason: Certificat serveur révoqué non remplacé dans les délais\n")
	case registry.StatusWithdrawn:
		b.WriteString("withdrawal:\n  on: 2026-02-16\n  reason: Fin de contrat du Client, DRIMbox décommissionnée\n")
	}
	return b.String()
}

func writeDossier(b *strings.Builder, s DRIMboxSpec) {
	fmt.Fprintf(b, "  zed:\n    container: ZED-2025-%06d\n    order: CMD-2025-%06d\n", s.Identifiant, s.Identifiant)
	b.WriteString("  subcontracting: false\n  answers:\n")
	for _, c := range s.Conditions {
		if c.Optional || c.AppliesWhen == "subcontracting" {
			continue
		}
		parts := []string{}
		for _, p := range c.Parties() {
			parts = append(parts, p+": conforme")
		}
		fmt.Fprintf(b, "    %s: {%s}\n", c.ID, strings.Join(parts, ", "))
	}
	b.WriteString("  documents:\n")
	for _, c := range s.Conditions {
		if c.Optional || c.AppliesWhen == "subcontracting" {
			continue
		}
		for _, d := range c.Documents {
			name := fmt.Sprintf("%s_%s.pdf", c.ID, d.Kind)
			if d.Template != "" {
				name = fmt.Sprintf("%s_%s.csv", c.ID, d.Kind)
			}
			fmt.Fprintf(b, "    - {condition: %s, kind: %s, name: %s, sha256: %s}\n", c.ID, d.Kind, name, Digest(fmt.Sprintf("%d/%s", s.Identifiant, name)))
		}
	}
	b.WriteString("  attestations:\n")
	for _, c := range s.Conditions {
		if c.Attestation == nil || c.Optional || c.AppliesWhen == "subcontracting" {
			continue
		}
		name := fmt.Sprintf("%s_attestation-%s.pdf", c.ID, c.Attestation.Kind)
		fmt.Fprintf(b, "    - condition: %s\n      kind: %s\n      document: %s\n      sha256: %s\n      signed_by:\n", c.ID, c.Attestation.Kind, name, Digest(fmt.Sprintf("%d/%s", s.Identifiant, name)))
		for _, p := range c.Attestation.Signers {
			role := "Représentant légal"
			if p == "client" {
				role = "Direction de l'établissement"
			}
			fmt.Fprintf(b, "        - {party: %s, role: %s}\n", p, role)
		}
	}
	variant := registry.VASegurIntegration
	if s.Funding != registry.FundingSegur {
		variant = registry.VAIntegration
	}
	if s.Status != registry.StatusOperational {
		return // synthetic records only carry the VA once operational
	}
	fmt.Fprintf(b, "  va:\n    variant: %s\n    document: VA_%d.pdf\n    sha256: %s\n    issued_on: 2025-09-15\n", variant, s.Identifiant, Digest(fmt.Sprintf("va-%d", s.Identifiant)))
}
