package validation

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// Requirement is one thing a dossier still lacks, in the order an operator
// would provide it.
type Requirement struct {
	Rule      string
	Condition string
	Path      []string
	Msg       string
	// Due is the last day (YYYY-MM-DD) to meet a pending requirement.
	Due string
}

// Missing lists what a DRIMbox's dossier lacks for the given status. A
// dossier is complete for integration when every applicable condition is
// answered "conforme" by whoever must answer it and every required document
// and attestation is present with its digest; for operational and
// reintegrating, the VA in the variant the procedure needs is also present.
// A versioned condition (applies_from) that came after the DRIMbox was
// declared is not missing but pending: see Pending.
func Missing(r *registry.Registry, d *registry.DRIMbox, target registry.Status) []Requirement {
	all, _ := requirements(r, d, target)
	return all
}

// Pending lists what a DRIMbox's dossier lacks of the versioned conditions
// that came after it was declared: each Requirement's Due is the last day
// to meet it. They are deadlines, not findings.
func Pending(r *registry.Registry, d *registry.DRIMbox) []Requirement {
	_, pending := requirements(r, d, d.Status)
	return pending
}

func requirements(r *registry.Registry, d *registry.DRIMbox, target registry.Status) ([]Requirement, []Requirement) {
	var out, pending []Requirement
	add := func(rule, cond string, path []string, format string, args ...any) {
		out = append(out, Requirement{Rule: rule, Condition: cond, Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	ds := d.Dossier
	if ds.ZED.Container == "" {
		add("DOSSIER-ZED", "", f("dossier"), "the dossier names no ZED container; add dossier.zed: {container: ZED-YYYY-NNNN, order: CMD-YYYY-NNNN}")
	}
	for _, cond := range r.Conditions {
		if !cond.Applies(ds) || cond.Optional {
			continue
		}
		due, grace := cond.Due(d.DeclaredOn)
		add := add
		if grace {
			add = func(rule, cond string, path []string, format string, args ...any) {
				pending = append(pending, Requirement{Rule: rule, Condition: cond, Path: path, Msg: fmt.Sprintf(format, args...), Due: due})
			}
		}
		ans, answered := ds.Answers[cond.ID]
		for _, party := range cond.Parties() {
			switch v := ans.By(party); {
			case !answered || v == "":
				add("DOSSIER-ANSWER", cond.ID, f("dossier", "answers"), "%s (%s) needs the %s's answer; add dossier.answers.%s.%s: conforme once it is met (drimm explain %s)", cond.ID, cond.Title, partyName(party), cond.ID, party, cond.ID)
			case v != "conforme":
				add("DOSSIER-ANSWER", cond.ID, f("dossier", "answers", cond.ID, party), "%s is answered %q by the %s; it must be conforme before integration", cond.ID, v, partyName(party))
			}
		}
		for _, req := range cond.Documents {
			if !hasDocument(r, d, cond.ID, req.Kind) {
				add("DOSSIER-DOCUMENT", cond.ID, f("dossier", "documents"), "%s requires the document %q (%s); add it to the ZED container and list it under dossier.documents with condition: %s, kind: %s, name and sha256", cond.ID, req.Title, req.Kind, cond.ID, req.Kind)
			}
		}
		if a := cond.Attestation; a != nil {
			att := findAttestation(ds, cond.ID, a.Kind)
			if att == nil {
				add("DOSSIER-ATTESTATION", cond.ID, f("dossier", "attestations"), "%s requires the attestation %q signed by %s; list it under dossier.attestations with its document, sha256 and signed_by", cond.ID, a.Kind, partyNames(a.Signers))
				continue
			}
			for _, party := range a.Signers {
				if !signedBy(att, party) {
					add("DOSSIER-ATTESTATION", cond.ID, f("dossier", "attestations"), "the %s attestation of %s lacks the %s's signature; add signed_by: {party: %s, role: <function>}", a.Kind, cond.ID, partyName(party), party)
				}
			}
		}
	}
	// A reintegration request shows what changed since the exclusion.
	if target == registry.StatusReintegrating || target == registry.StatusOperational && d.Exclusion != nil {
		re := d.Reintegration
		if re == nil || strings.TrimSpace(re.Remediation) == "" {
			add("DOSSIER-REINTEGRATION", "", f("status"), "a reintegration request says what changed since the exclusion; add reintegration.remediation: the remediation statement")
		}
		if re == nil || len(re.Documents) == 0 {
			add("DOSSIER-REINTEGRATION", "", f("status"), "a reintegration request shows its remediation with documents; list them under reintegration.documents (kind, name, sha256) and put them in the ZED container")
		}
	}
	// A reintegration VA the operator supplies while reintegrating is
	// refused at once when it predates the exclusion, not only when the ANS
	// comes to decide.
	if target == registry.StatusReintegrating && ds.VA != nil && ds.VA.Variant == registry.VAReintegration &&
		d.Exclusion != nil && ds.VA.IssuedOn < d.Exclusion.On {
		add("DOSSIER-VA", "", f("dossier", "va", "issued_on"), "the reintegration VA was issued on %s, before the exclusion on %s: supply a VA issued after the exclusion", ds.VA.IssuedOn, d.Exclusion.On)
	}
	// The operator supplies the VA document (one of its forms) while the
	// dossier is integrating or reintegrating; the ANS decides by the
	// status change. A reintegration's VA replaces the earlier one.
	if target == registry.StatusOperational {
		want := VAVariant(d, target)
		switch {
		case ds.VA == nil:
			add("DOSSIER-VA", "", f("dossier"), "the DRIMbox, to be %s, needs its Validation d'Aptitude; the operator supplies the VA document as dossier.va with variant %s (document, sha256, issued_on), then the ANS decides", target, want)
		case ds.VA.Variant != want:
			add("DOSSIER-VA", "", f("dossier", "va", "variant"), "the VA variant is %s but this procedure needs %s", ds.VA.Variant, want)
		case want == registry.VAReintegration && d.Exclusion != nil && ds.VA.IssuedOn < d.Exclusion.On:
			add("DOSSIER-VA", "", f("dossier", "va", "issued_on"), "the VA was issued on %s, before the exclusion on %s: a reintegration needs a new VA, the old one cannot be reused", ds.VA.IssuedOn, d.Exclusion.On)
		}
	}
	return out, pending
}

// VAVariant is the variant of Validation d'Aptitude a DRIMbox needs: the
// reintegration variant once it has been excluded, otherwise the SEGUR
// integration variant when SEGUR-funded, the plain integration otherwise.
func VAVariant(d *registry.DRIMbox, target registry.Status) string {
	switch {
	case target == registry.StatusReintegrating || d.Exclusion != nil:
		return registry.VAReintegration
	case d.Funding == registry.FundingSegur:
		return registry.VASegurIntegration
	default:
		return registry.VAIntegration
	}
}

func (c *checker) dossier(d *registry.DRIMbox) {
	for _, m := range Missing(c.r, d, d.Status) {
		c.add(d.Source, m.Rule, m.Path, "%s", m.Msg)
	}
	known := map[string]bool{}
	for _, cond := range c.r.Conditions {
		known[cond.ID] = true
	}
	for id := range d.Dossier.Answers {
		if !known[id] && len(c.r.Conditions) > 0 {
			c.add(d.Source, "DOSSIER-ANSWER", f("dossier", "answers", id), "%s is not in the conditions catalogue; remove the answer or fix the id", id)
		}
	}
	for i, doc := range d.Dossier.Documents {
		if _, ok := c.r.Resolve(d, doc); !ok {
			c.add(d.Source, "DOSSIER-SHARED", f("dossier", "documents", strconv.Itoa(i), "shared"),
				"document %s is shared, but operator %s declares no document of that name and kind %s; add it to operators/%s/operator.yaml under documents (kind, name, sha256) or give name and sha256 here",
				doc.Shared, d.Operator, doc.Kind, d.Operator)
		}
		if !known[doc.Condition] && len(c.r.Conditions) > 0 {
			c.add(d.Source, "DOSSIER-DOCUMENT", f("dossier", "documents", strconv.Itoa(i), "condition"), "document %s refers to %s, which is not in the conditions catalogue", doc.Name, doc.Condition)
		}
	}
	if d.Status == registry.StatusOperational {
		cert := d.Certificates
		if cert.Server.SHA256 == "" || cert.Server.Serial == "" || cert.Server.NotAfter == "" {
			c.add(d.Source, "CERT-IDENTITY", f("certificates", "server"), "an operational DRIMbox records its server certificate's sha256, serial and not_after; copy them from the certificate")
		}
		if cert.Market.SHA256 == "" {
			c.add(d.Source, "CERT-IDENTITY", f("certificates"), "an operational DRIMbox records its market certificate (certificates.market: sha256, serial, not_after)")
		}
	}
}

func hasDocument(r *registry.Registry, d *registry.DRIMbox, cond, kind string) bool {
	for _, doc := range d.Dossier.Documents {
		if doc, ok := r.Resolve(d, doc); ok && doc.Condition == cond && doc.Kind == kind && doc.SHA256 != "" {
			return true
		}
	}
	return false
}

func findAttestation(ds registry.Dossier, cond, kind string) *registry.Attestation {
	for i := range ds.Attestations {
		if a := &ds.Attestations[i]; a.Condition == cond && a.Kind == kind && a.SHA256 != "" {
			return a
		}
	}
	return nil
}

func signedBy(a *registry.Attestation, party string) bool {
	for _, s := range a.SignedBy {
		if s.Party == party {
			return true
		}
	}
	return false
}

func partyName(p string) string {
	switch p {
	case "client":
		return "Client"
	case "subcontractor":
		return "subcontractor"
	}
	return "Opérateur"
}

func partyNames(ps []string) string {
	s := ""
	for i, p := range ps {
		if i > 0 {
			s += " and "
		}
		s += partyName(p)
	}
	return s
}

// switches checks each recorded operator switch: it ends at the current
// operator and its revocation deadline is the switch date plus the
// trust space's revocation days.
func (c *checker) switches(d *registry.DRIMbox) {
	days := c.r.TrustSpace.SwitchRevocationDays
	for i, s := range d.Switches {
		p := strconv.Itoa(i)
		on, err := time.Parse(time.DateOnly, s.On)
		if err != nil {
			continue
		}
		if want := on.AddDate(0, 0, days).Format(time.DateOnly); s.RevocationDue != want {
			c.add(d.Source, "SWITCH-DEADLINE", f("switches", p, "revocation_due"), "revocation_due is %s but the former operator has %d days from the switch on %s; set revocation_due: %s", s.RevocationDue, days, s.On, want)
		}
		if rv, err := time.Parse(time.DateOnly, s.RevokedOn); err == nil && rv.Before(on) {
			c.add(d.Source, "SWITCH", f("switches", p, "revoked_on"), "revoked_on %s is before the switch on %s; the former operator revokes its certificates once the DRIMbox has left it, record the day it did", s.RevokedOn, s.On)
		}
		if s.From == s.To {
			c.add(d.Source, "SWITCH", f("switches", p, "to"), "a switch goes from one operator to another; from and to are both %q", s.From)
		}
		if _, ok := c.r.Operators[s.From]; !ok {
			c.add(d.Source, "SWITCH", f("switches", p, "from"), "former operator %q has no record; name an operator of the registry", s.From)
		}
	}
	if n := len(d.Switches); n > 0 && d.Switches[n-1].To != d.Operator {
		c.add(d.Source, "SWITCH", f("switches", strconv.Itoa(n-1), "to"), "the last switch goes to %q but the DRIMbox belongs to %q; they must agree", d.Switches[n-1].To, d.Operator)
	}
}
