package lifecycle

import (
	"bytes"
	"path"
	"strings"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// Check applies the change rules and returns their findings.
func (c *Change) Check() []registry.Finding {
	var out []registry.Finding
	out = append(out, c.checkGlobalFiles()...)
	out = append(out, c.checkPaths()...)
	out = append(out, c.checkOperators()...)
	headByPath := map[string]*registry.DRIMbox{}
	for _, h := range c.Head.DRIMboxes {
		headByPath[relPath(c.Head, h.Source.Path)] = h
	}
	headFiles := make(map[string]bool, len(c.HeadFiles))
	for _, f := range c.HeadFiles {
		headFiles[f.Path] = true
	}
	for _, bc := range c.Boxes() {
		out = append(out, c.checkBox(bc, headByPath, headFiles)...)
	}
	return out
}

// checkGlobalFiles: the trust-space settings and the conditions catalogue
// belong to the ANS.
func (c *Change) checkGlobalFiles() []registry.Finding {
	var out []registry.Finding
	base, head := fileData(c.BaseFiles), fileData(c.HeadFiles)
	for _, name := range []string{"trust-space.yaml", "conditions.yaml"} {
		if bytes.Equal(base[name], head[name]) || c.Author == "" || c.isReviewer() {
			continue
		}
		out = append(out, fileFinding(display(c.Head, name), "CHG-AUTHOR",
			"%s is changed by %s, but only ANS reviewers change it; revert this file or ask an ANS reviewer", name, c.Author))
	}
	return out
}

func (c *Change) checkOperators() []registry.Finding {
	var out []registry.Finding
	base, head := fileData(c.BaseFiles), fileData(c.HeadFiles)
	for id, b := range c.Base.Operators {
		if _, ok := c.Head.Operators[id]; !ok {
			if _, present := head[registry.OperatorPath(id)]; !present {
				out = append(out, fileFinding(b.Source.Path, "CHG-DELETE",
					"operator record %s is deleted; records are never deleted, restore it", registry.OperatorPath(id)))
			}
		}
	}
	for id, h := range c.Head.Operators {
		p := registry.OperatorPath(id)
		b := c.Base.Operators[id]
		if b != nil && bytes.Equal(base[p], head[p]) {
			continue
		}
		if c.Author == "" || c.isReviewer() {
			continue
		}
		switch {
		case b == nil:
			out = append(out, at(h.Source, "CHG-AUTHOR", nil,
				"a new operator is registered by ANS reviewers only; ask the ANS to add operators/%s/operator.yaml", id))
		case !c.maintains(id):
			out = append(out, at(h.Source, "CHG-AUTHOR", nil,
				"%s is not a maintainer of operator %s and may not change its record; changes come from the operator's maintainers or ANS reviewers", c.Author, id))
		case !sameField(b.Maintainers, h.Maintainers):
			out = append(out, at(h.Source, "CHG-ANS-FIELD", []string{"maintainers"},
				"maintainers are changed by ANS reviewers only; revert this field and ask the ANS"))
		}
		if b != nil && c.maintains(id) {
			// The legal identity is what the list publishes and what the
			// ANS registered: a new name or SIREN is the ANS's to check.
			if b.Denomination != h.Denomination {
				out = append(out, at(h.Source, "CHG-ANS-FIELD", []string{"denomination"},
					"the denomination is the operator's registered legal name, changed by ANS reviewers only; revert it and send the ANS the proof of the new name"))
			}
			if b.SIREN != h.SIREN {
				out = append(out, at(h.Source, "CHG-ANS-FIELD", []string{"siren"},
					"the SIREN is the operator's registered legal identity, changed by ANS reviewers only; revert it and ask the ANS"))
			}
			out = append(out, c.checkSharedDocuments(b, h)...)
		}
	}
	return out
}

// checkBox applies the rules to one DRIMbox's change. headFiles are the
// paths the head holds, read or not.
func (c *Change) checkBox(bc BoxChange, headByPath map[string]*registry.DRIMbox, headFiles map[string]bool) []registry.Finding {
	var out []registry.Finding
	b, h := bc.Base, bc.Head
	if h == nil {
		p := relPath(c.Base, b.Source.Path)
		if other := headByPath[p]; other != nil {
			return []registry.Finding{at(other.Source, "CHG-ID", []string{"identifiant"},
				"Identifiant changed from %d to %d; an Identifiant is permanent, restore %d (a new DRIMbox gets a new record from 'drimm new drimbox')", b.Identifiant, other.Identifiant, b.Identifiant)}
		}
		if headFiles[p] {
			// The record is there but could not be read: its own
			// finding (YAML, schema, layout) says why; it is not deleted.
			return nil
		}
		return []registry.Finding{fileFinding(b.Source.Path, "CHG-DELETE",
			"the record of DRIMbox %d is deleted; records are never deleted and Identifiants never reused: restore it and set status: withdrawn instead", b.Identifiant)}
	}
	var from registry.Status
	if b != nil {
		from = b.Status
	}
	if b == nil {
		if base := c.baseRecordAt(relPath(c.Head, h.Source.Path)); base != nil {
			// Same file, new Identifiant: reported once, on the base side.
			return nil
		}
		if next := c.nextIdentifiant(); h.Identifiant > next+IdentifiantWindow {
			out = append(out, at(h.Source, "CHG-ID", []string{"identifiant"},
				"Identifiant %d is far beyond the next free one, %d: Identifiants are never reused, so a jump would waste them for every operator; take the next free one with 'drimm new drimbox'", h.Identifiant, next))
		}
	}
	if from == registry.StatusWithdrawn {
		return []registry.Finding{at(h.Source, "CHG-WITHDRAWN", []string{"status"},
			"DRIMbox %d is withdrawn; a withdrawal is final and its record is kept unchanged for ever, revert this change", h.Identifiant)}
	}
	t, ok := Lookup(from, h.Status)
	if !ok {
		what := "a new DRIMbox"
		if from != "" {
			what = "status " + string(from)
		}
		out = append(out, at(h.Source, "CHG-STATUS", []string{"status"},
			"%s cannot become %s; allowed next statuses: %s", what, h.Status, statusList(Allowed(from))))
	}
	if ok && t.Procedure == ReintegrationRefused && refusals(h) != refusals(b)+1 {
		out = append(out, at(h.Source, "CHG-STATUS", []string{"status"},
			"a reintegration request is refused with its reason; append to reintegration.refusals one entry {on: YYYY-MM-DD, reason: …}"))
	}
	if b != nil && b.Dossier.VA != nil && h.Dossier.VA != nil && h.Dossier.VA.Variant == registry.VAReintegration &&
		b.Dossier.VA.Variant != registry.VAReintegration && strings.EqualFold(b.Dossier.VA.SHA256, h.Dossier.VA.SHA256) {
		out = append(out, at(h.Source, "CHG-VA-REUSED", []string{"dossier", "va", "sha256"},
			"the VA of the first integration (%s) is given as the reintegration VA; a reintegration needs the new VA document, for reintegration outside SEGUR funding", h.Dossier.VA.Document))
	}
	if c.Author == "" || c.isReviewer() {
		return append(out, c.checkSwitch(bc)...)
	}
	owner := h.Operator
	if c.revocationOnly(b, h) {
		// The former operator records its own revocation in the record
		// its successor now owns; nothing else may change.
		return append(out, c.checkSwitch(bc)...)
	}
	if !c.maintains(owner) {
		out = append(out, at(h.Source, "CHG-AUTHOR", []string{"operator"},
			"%s is not a maintainer of operator %s and may not change its DRIMboxes; the operator's maintainers or ANS reviewers do", c.Author, owner))
		return out
	}
	if ok && t.ANSOnly {
		out = append(out, at(h.Source, "CHG-STATUS", []string{"status"},
			"%s (%s → %s) is decided by ANS reviewers only; leave status: %s and ask the ANS", t.Procedure, from, h.Status, from))
	}
	// The operator supplies the VA document (one of its forms) while its
	// dossier is under review; the ANS decides by the status change.
	supplying := h.Status == registry.StatusIntegrating || h.Status == registry.StatusReintegrating
	if b != nil {
		if !sameField(b.Dossier.VA, h.Dossier.VA) && !supplying {
			out = append(out, at(h.Source, "CHG-ANS-FIELD", []string{"dossier", "va"},
				"the Validation d'Aptitude is supplied while the dossier is integrating or reintegrating, and otherwise changed by ANS reviewers only; revert dossier.va"))
		}
	} else if h.Dossier.VA != nil {
		out = append(out, at(h.Source, "CHG-ANS-FIELD", []string{"dossier", "va"},
			"a new DRIMbox has no Validation d'Aptitude yet; remove dossier.va and supply it with the integration request"))
	}
	out = append(out, c.checkKept(b, h)...)
	return append(out, c.checkSwitch(bc)...)
}

// refusals counts the ANS's refusals of a DRIMbox's reintegration requests.
func refusals(d *registry.DRIMbox) int {
	if d == nil || d.Reintegration == nil {
		return 0
	}
	return len(d.Reintegration.Refusals)
}

// IdentifiantWindow is how far above the next free Identifiant a new
// DRIMbox may go: pull requests opened at the same time each take the next
// free one from their own base, and the window leaves them room.
const IdentifiantWindow = 100

// nextIdentifiant is the Identifiant 'drimm new drimbox' gives on the base.
func (c *Change) nextIdentifiant() int {
	next := 1
	for _, d := range c.Base.DRIMboxes {
		next = max(next, d.Identifiant+1)
	}
	return next
}

func (c *Change) baseRecordAt(rel string) *registry.DRIMbox {
	for _, d := range c.Base.DRIMboxes {
		if relPath(c.Base, d.Source.Path) == rel {
			return d
		}
	}
	return nil
}

func display(r *registry.Registry, p string) string {
	if r.Prefix == "" || r.Prefix == "." {
		return p
	}
	return path.Join(r.Prefix, p)
}

func statusList(ss []registry.Status) string {
	if len(ss) == 0 {
		return "none"
	}
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = string(s)
	}
	return strings.Join(parts, ", ")
}
