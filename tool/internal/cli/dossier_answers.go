package cli

import (
	"slices"
	"strings"

	"github.com/drim-m/trust-space/tool/internal/dossier"
	"github.com/drim-m/trust-space/tool/internal/registry"
)

// detailedAnswer is one party's detailed answer to a condition, as
// 'dossier status' and 'dossier verify' show it to the operator and the
// reviewer: the record is the only place it is kept.
type detailedAnswer struct {
	Condition string `json:"condition"`
	Party     string `json:"party"`
	Answer    string `json:"answer"`
	Text      string `json:"text,omitempty"`
	Document  string `json:"document,omitempty"`
	Extract   string `json:"extract,omitempty"`
	// InContainer tells, for 'dossier verify', whether the container holds
	// the referenced document with the digest the record gives.
	InContainer *bool `json:"in_container,omitempty"`
}

// detailedAnswers lists the record's detailed answers by condition, the
// Opérateur's before the Client's.
func detailedAnswers(d *registry.DRIMbox) []detailedAnswer {
	ids := make([]string, 0, len(d.Dossier.Answers))
	for id := range d.Dossier.Answers {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var out []detailedAnswer
	for _, id := range ids {
		ans := d.Dossier.Answers[id]
		for _, party := range []string{"operator", "client"} {
			if det := ans.DetailBy(party); !det.Empty() {
				out = append(out, detailedAnswer{Condition: id, Party: party, Answer: ans.By(party), Text: det.Text, Document: det.Document, Extract: det.Extract})
			}
		}
	}
	return out
}

// markInContainer records, for each reference, whether the container
// holds the document and it matches the record.
func markInContainer(ds []detailedAnswer, files []dossier.File) {
	for i := range ds {
		if ds[i].Document == "" {
			continue
		}
		found := false
		for _, f := range files {
			found = found || f.Name == ds[i].Document && f.Match
		}
		ds[i].InContainer = &found
	}
}

func printDetailedAnswers(ew *errWriter, ds []detailedAnswer) {
	if len(ds) == 0 {
		return
	}
	ew.printf("\nDetailed answers (%d):\n", len(ds))
	for _, a := range ds {
		party := "Opérateur"
		if a.Party == "client" {
			party = "Client"
		}
		answer := a.Answer
		if answer == "" {
			answer = "no answer"
		}
		ew.printf("  %s, %s (%s)", a.Condition, party, answer)
		if a.Text != "" {
			ew.printf(": %s", strings.ReplaceAll(a.Text, "\n", "\n      "))
		}
		ew.printf("\n")
		if a.Document != "" {
			ew.printf("      see %s", a.Document)
			if a.Extract != "" {
				ew.printf(", %s", a.Extract)
			}
			if a.InContainer != nil && !*a.InContainer {
				ew.printf(" (not in the container as the record lists it)")
			}
			ew.printf("\n")
		}
	}
}
