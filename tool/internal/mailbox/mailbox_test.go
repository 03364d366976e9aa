package mailbox

import (
	"strings"
	"testing"
)

func TestProblem(t *testing.T) {
	for v, ok := range map[string]bool{
		"support@op.example": true, "pacs.support@op.example": true, "06 12 34 56 78": false, "+33612345678": false,
		"": false, "Support <a@b.example>": false, "a@b": false, "SUPPORT@OP.EXAMPLE": false, "support.drimbox@gmail.com": false,
		"jean.dupont@op.example": false,
	} {
		if got := Problem(v) == ""; got != ok {
			t.Errorf("mailboxProblem(%q) ok = %v, want %v", v, got, ok)
		}
	}
}

// TestPersonalName: both directions of the heuristic, personal mailboxes
// that must be flagged and functional ones that must not.
func TestPersonalName(t *testing.T) {
	personal := []string{
		"jean.dupont", "j.dupont", "jean-pierre.martin", "dupont.jean", "marie_durand", "m-durand",
		"jean.dupont+drimbox", "jean.dupont2", "anne-sophie.leroy", "leroy.anne-sophie", "paul.martin",
	}
	functional := []string{
		"support", "drimbox-support", "hotline", "contact", "support.imagerie", "pacs.admin", "pacs-support",
		"imagerie.nord", "securite", "direction-operations", "guichet-drimbox", "support.drimbox", "t.support",
		"st.joseph", "saint-louis.radiologie", "jdupont", "marie", "sante.france", "centre.marie-curie",
		"ab.cd", "a.b", "x1.dupont", "projet-imagerie", "no.reply", "irm.paul",
	}
	for _, local := range personal {
		if _, ok := personalName(local); !ok {
			t.Errorf("%q does not read as a person's name", local)
		}
		if msg := Problem(local + "@operateur.example"); !strings.Contains(msg, "reads as a person's name") || !strings.Contains(msg, "support@") {
			t.Errorf("Problem(%q@…) = %q, want it to ask for a functional mailbox", local, msg)
		}
	}
	for _, local := range functional {
		if pattern, ok := personalName(local); ok {
			t.Errorf("%q reads as a person's name (%s), but is functional", local, pattern)
		}
	}
}
