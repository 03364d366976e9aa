package validation

import (
	"strings"

	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/listeblanche/xmltext"
)

// maxDetailExtract bounds an extract's reference, in characters, as the
// schema does (which also bounds the text to 2,000).
const maxDetailExtract = 200

// answerDetails checks each party's detailed answer (DOSSIER-DETAIL): it
// is published nowhere, but reviewers read it in the record and in
// 'drimm dossier status', so it is text that prints as written — no
// control or direction-override character (the schema bounds its length)
// — and a reference names a document the dossier lists, so that
// 'drimm dossier verify' has checked the extract's file.
func (c *checker) answerDetails(d *registry.DRIMbox) {
	for _, id := range sortedKeys(d.Dossier.Answers) {
		ans := d.Dossier.Answers[id]
		for _, party := range []string{"operator", "client"} {
			det := ans.DetailBy(party)
			if det.Empty() {
				continue
			}
			key := party + "_detail"
			at := func(field string) []string { return f("dossier", "answers", id, key, field) }
			if ans.By(party) == "" {
				c.add(d.Source, "DOSSIER-DETAIL", f("dossier", "answers", id, key), "%s has the %s's detailed answer but not the answer itself; add dossier.answers.%s.%s: conforme, non-conforme or en-cours", id, partyName(party), id, party)
			}
			if det.Text != "" {
				if msg := xmltext.ParagraphProblem(det.Text); msg != "" {
					c.add(d.Source, "DOSSIER-DETAIL", at("text"), "the detailed answer to %s: %s", id, strings.TrimPrefix(msg, "the value "))
				}
			}
			switch {
			case det.Document == "" && det.Extract != "":
				c.add(d.Source, "DOSSIER-DETAIL", at("extract"), "the extract %q of the detailed answer to %s names no document; add document: the name of a document the dossier lists", det.Extract, id)
			case det.Document != "" && !listsDocument(c.r, d, det.Document):
				c.add(d.Source, "DOSSIER-DETAIL", at("document"), "the detailed answer to %s refers to %q, which the dossier does not list; give the name of one of dossier.documents or dossier.attestations", id, det.Document)
			}
			if det.Extract != "" {
				if msg := xmltext.Problem(det.Extract, maxDetailExtract); msg != "" {
					c.add(d.Source, "DOSSIER-DETAIL", at("extract"), "the extract of the detailed answer to %s: %s", id, strings.TrimPrefix(msg, "the value "))
				}
			}
		}
	}
}

// listsDocument tells whether the dossier lists a document or an
// attestation of that name, its own or one its operator shares.
func listsDocument(r *registry.Registry, d *registry.DRIMbox, name string) bool {
	for _, doc := range d.Dossier.Documents {
		if resolved, ok := r.Resolve(d, doc); ok && resolved.Name == name {
			return true
		}
	}
	for _, a := range d.Dossier.Attestations {
		if a.Document == name {
			return true
		}
	}
	return false
}
