package lifecycle

import (
	"slices"
	"strconv"
	"strings"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// checkKept applies, to a change by an operator's maintainer, the rules
// that keep a record's history: what the ANS decided or validated is not
// the operator's to rewrite. Each finding says what to restore, or that an
// ANS reviewer makes the change.
func (c *Change) checkKept(b, h *registry.DRIMbox) []registry.Finding {
	if b == nil {
		return nil
	}
	var out []registry.Finding
	if b.DeclaredOn != h.DeclaredOn {
		out = append(out, at(h.Source, "CHG-HISTORY", []string{"declared_on"},
			"declared_on is the day DRIMbox %d was declared (%s) and dates the grace of every versioned condition; it never changes: restore declared_on: %s, or ask an ANS reviewer to correct it", h.Identifiant, b.DeclaredOn, b.DeclaredOn))
	}
	switch {
	case b.Exclusion != nil && !sameField(b.Exclusion, h.Exclusion):
		out = append(out, at(h.Source, "CHG-HISTORY", []string{"exclusion"},
			"the exclusion of %s (%s) is the ANS's decision and stays on the record, through a reintegration too: restore exclusion: {on: %s, reason: …} as it was", b.Exclusion.On, b.Exclusion.Reason, b.Exclusion.On))
	case b.Exclusion == nil && h.Exclusion != nil:
		out = append(out, at(h.Source, "CHG-ANS-FIELD", []string{"exclusion"},
			"exclusions are recorded by ANS reviewers only; remove exclusion"))
	}
	out = append(out, c.checkRefusals(b, h)...)
	out = append(out, checkValidatedDossier(b, h)...)
	return out
}

// checkRefusals: the ANS's refusals of reintegration requests are a list
// the ANS appends to and nobody else touches; and a request made again
// after a refusal says what changed since.
func (c *Change) checkRefusals(b, h *registry.DRIMbox) []registry.Finding {
	if b.Reintegration != nil && h.Reintegration == nil {
		return []registry.Finding{at(h.Source, "CHG-HISTORY", []string{"status"},
			"the reintegration block of DRIMbox %d is removed; it is history (what was remedied, and the ANS's refusals): restore it, and to ask again change only its remediation and documents", h.Identifiant)}
	}
	var out []registry.Finding
	var was, is []registry.StatusChange
	if b.Reintegration != nil {
		was = b.Reintegration.Refusals
	}
	if h.Reintegration != nil {
		is = h.Reintegration.Refusals
	}
	for i, r := range was {
		if i >= len(is) || is[i] != r {
			out = append(out, at(h.Source, "CHG-HISTORY", refusalPath(h, i),
				"the ANS refused the reintegration request on %s (%s); its refusals stay on the record for ever: restore reintegration.refusals[%d]: {on: %s, reason: …} as it was, and to ask again, keep it and set status: reintegrating with a new remediation", r.On, r.Reason, i, r.On))
			return out
		}
	}
	if len(is) > len(was) {
		out = append(out, at(h.Source, "CHG-ANS-FIELD", []string{"reintegration", "refusals", strconv.Itoa(len(was))},
			"refusing a reintegration is the ANS's decision; remove reintegration.refusals[%d]", len(was)))
	}
	// Asking again after a refusal: the refused request's statement is
	// what the ANS said no to.
	if len(was) > 0 && b.Status == registry.StatusExcluded && h.Status == registry.StatusReintegrating &&
		strings.TrimSpace(b.Reintegration.Remediation) == strings.TrimSpace(h.Reintegration.Remediation) {
		last := was[len(was)-1]
		out = append(out, at(h.Source, "CHG-REINTEGRATION", []string{"reintegration", "remediation"},
			"this remediation is the one the ANS refused on %s (%s); say in reintegration.remediation what changed since the refusal, and list the documents that show it", last.On, last.Reason))
	}
	return out
}

func refusalPath(h *registry.DRIMbox, i int) []string {
	if h.Reintegration == nil || len(h.Reintegration.Refusals) == 0 {
		return []string{"status"}
	}
	return []string{"reintegration", "refusals", strconv.Itoa(min(i, len(h.Reintegration.Refusals)-1))}
}

// checkValidatedDossier: once the ANS validated a dossier (the DRIMbox was
// declared operational; excluded ones were), the digests of its documents,
// attestations and Validation d'Aptitude are what the ANS checked; an
// operator changes them only within a reintegration request, which the
// ANS validates again. The VA has its own rule (supplied while the
// dossier is under review).
func checkValidatedDossier(b, h *registry.DRIMbox) []registry.Finding {
	if b.Status != registry.StatusOperational && b.Status != registry.StatusExcluded || h.Status == registry.StatusReintegrating {
		return nil
	}
	var out []registry.Finding
	if !sameField(b.Dossier.Documents, h.Dossier.Documents) {
		out = append(out, at(h.Source, "CHG-DOSSIER-VALIDATED", []string{"dossier", "documents"},
			"dossier.documents are those of the dossier the ANS validated; restore them as they were, and send a new document to the ANS, which records it (an ANS reviewer makes the change)"))
	}
	if !sameField(b.Dossier.Attestations, h.Dossier.Attestations) {
		out = append(out, at(h.Source, "CHG-DOSSIER-VALIDATED", []string{"dossier", "attestations"},
			"dossier.attestations are those of the dossier the ANS validated; restore them as they were, and send a new attestation to the ANS, which records it (an ANS reviewer makes the change)"))
	}
	return out
}

// checkSharedDocuments: a shared document of operator.yaml is part of the
// dossier of every DRIMbox naming it; once the ANS validated one of those
// dossiers, the document's entry is what it checked, and changes with the
// ANS only.
func (c *Change) checkSharedDocuments(b, h *registry.Operator) []registry.Finding {
	var out []registry.Finding
	for _, s := range b.Documents {
		i := slices.IndexFunc(h.Documents, func(n registry.SharedDocument) bool { return n.Name == s.Name })
		if i >= 0 && h.Documents[i] == s {
			continue
		}
		var validated []string
		for _, d := range c.Base.DRIMboxes {
			if d.Operator != b.ID || d.Status != registry.StatusOperational && d.Status != registry.StatusExcluded {
				continue
			}
			if slices.ContainsFunc(d.Dossier.Documents, func(doc registry.Document) bool { return doc.Shared == s.Name }) {
				validated = append(validated, strconv.Itoa(d.Identifiant))
			}
		}
		if len(validated) > 0 {
			out = append(out, at(h.Source, "CHG-DOSSIER-VALIDATED", []string{"documents"},
				"the shared document %s (sha256 %s) is part of the dossiers the ANS validated for DRIMbox %s; restore its entry, and add a new document under another name for the dossiers to come (or ask an ANS reviewer)", s.Name, s.SHA256, strings.Join(validated, ", ")))
		}
	}
	return out
}
