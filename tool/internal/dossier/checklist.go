package dossier

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/drim-m/trust-space/tool/internal/lifecycle"
	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/validation"
)

// The steps of a checklist, in the order an operator works through them:
// order the ZED container, gather the documents into it, have the
// attestations signed, record each party's answer, record the
// certificates, supply the Validation d'Aptitude document; the ANS then
// decides by the status change.
const (
	StepContainer    = "container"
	StepDocuments    = "documents"
	StepAttestations = "attestations"
	StepAnswers      = "answers"
	StepCertificates = "certificates"
	StepAptitude     = "aptitude"
)

var stepOrder = []string{StepContainer, StepDocuments, StepAttestations, StepAnswers, StepCertificates, StepAptitude}

// Who acts on a checklist item.
const (
	PartyOperator = "operator"
	PartyClient   = "client"
	PartyBoth     = "both"
	PartyANS      = "ans"
)

// Item is one thing a record still lacks.
type Item struct {
	Step      string `json:"step"`
	Party     string `json:"party"`
	Rule      string `json:"rule"`
	Condition string `json:"condition,omitempty"`
	Message   string `json:"message"`
	Line      int    `json:"line"`
	Col       int    `json:"col"`
}

// Next is the procedure that takes a DRIMbox to its next status.
type Next struct {
	Status    registry.Status     `json:"status"`
	Procedure lifecycle.Procedure `json:"procedure"`
	// By is who opens it: operator or ans.
	By string `json:"by"`
}

// Checklist is what a DRIMbox's record lacks for its next step.
type Checklist struct {
	Identifiant int             `json:"identifiant"`
	Operator    string          `json:"operator"`
	Status      registry.Status `json:"status"`
	Path        string          `json:"path"`
	// Next is nil when no procedure moves the DRIMbox forward: it is
	// operational (the items then are what it must keep) or withdrawn.
	Next  *Next  `json:"next"`
	Items []Item `json:"items"`
}

// nextStatus is where each status leads on the way to operational.
var nextStatus = map[registry.Status]registry.Status{
	registry.StatusDeclared:      registry.StatusIntegrating,
	registry.StatusIntegrating:   registry.StatusOperational,
	registry.StatusExcluded:      registry.StatusReintegrating,
	registry.StatusReintegrating: registry.StatusOperational,
}

// Status returns the checklist of a DRIMbox: what its record lacks for the
// next step (declaration → integration → aptitude, or exclusion →
// reintegration), ordered by step, then by condition.
func Status(r *registry.Registry, d *registry.DRIMbox) Checklist {
	cl := Checklist{Identifiant: d.Identifiant, Operator: d.Operator, Status: d.Status, Items: []Item{}}
	if d.Source != nil {
		cl.Path = d.Source.Path
	}
	target := d.Status
	if to, ok := nextStatus[d.Status]; ok {
		t, _ := lifecycle.Lookup(d.Status, to)
		cl.Next = &Next{Status: to, Procedure: t.Procedure, By: PartyOperator}
		if t.ANSOnly {
			cl.Next.By = PartyANS
		}
		target = to
	}
	if d.Status == registry.StatusWithdrawn {
		return cl
	}
	answerParties := map[string][]string{}
	for _, m := range validation.Missing(r, d, target) {
		it := Item{Rule: m.Rule, Condition: m.Condition, Message: m.Msg, Party: PartyOperator}
		it.Line, it.Col = pos(d, m.Path...)
		cond := r.Condition(m.Condition)
		switch m.Rule {
		case "DOSSIER-ZED":
			it.Step = StepContainer
		case "DOSSIER-DOCUMENT":
			it.Step = StepDocuments
			if cond != nil {
				it.Party = cond.AnsweredBy
			}
		case "DOSSIER-ATTESTATION":
			it.Step = StepAttestations
			if cond != nil {
				it.Party = unsigned(d.Dossier, cond)
			}
		case "DOSSIER-ANSWER":
			it.Step = StepAnswers
			if _, done := answerParties[m.Condition]; !done && cond != nil {
				answerParties[m.Condition] = unanswered(d.Dossier, cond)
			}
			if ps := answerParties[m.Condition]; len(ps) > 0 {
				it.Party, answerParties[m.Condition] = ps[0], ps[1:]
			}
		case "DOSSIER-VA":
			it.Step = StepAptitude
		default:
			it.Step = StepAnswers
		}
		cl.Items = append(cl.Items, it)
	}
	if target == registry.StatusOperational {
		cl.Items = append(cl.Items, certificateItems(d)...)
	}
	if cl.Next != nil && cl.Next.By == PartyANS && len(cl.Items) == 0 {
		// Nothing is left for the operator or the Client: the decision is
		// the ANS's, by the status change in a pull request of its own.
		it := Item{Step: StepAptitude, Party: PartyANS, Rule: "DOSSIER-DECISION",
			Message: fmt.Sprintf("the dossier is complete and the Validation d'Aptitude supplied; the ANS decides (%s: status %s, in a pull request of its own)", cl.Next.Procedure, cl.Next.Status)}
		it.Line, it.Col = pos(d, "status")
		cl.Items = append(cl.Items, it)
	}
	slices.SortStableFunc(cl.Items, func(a, b Item) int {
		return cmp.Compare(slices.Index(stepOrder, a.Step), slices.Index(stepOrder, b.Step))
	})
	return cl
}

func pos(d *registry.DRIMbox, path ...string) (int, int) {
	if d.Source == nil {
		return 1, 1
	}
	return d.Source.Pos(path...)
}

// unanswered lists, in the catalogue's order, the parties whose answer to
// a condition is not yet "conforme"; validation.Missing reports one
// requirement for each of them, in the same order.
func unanswered(ds registry.Dossier, c *registry.Condition) []string {
	var out []string
	for _, p := range c.Parties() {
		if ds.Answers[c.ID].By(p) != "conforme" {
			out = append(out, p)
		}
	}
	return out
}

// unsigned says who must still sign a condition's attestation.
func unsigned(ds registry.Dossier, c *registry.Condition) string {
	if c.Attestation == nil {
		return PartyOperator
	}
	var att *registry.Attestation
	for i := range ds.Attestations {
		if a := &ds.Attestations[i]; a.Condition == c.ID && a.Kind == c.Attestation.Kind && a.SHA256 != "" {
			att = a
		}
	}
	var missing []string
	for _, p := range c.Attestation.Signers {
		signed := false
		if att != nil {
			for _, s := range att.SignedBy {
				signed = signed || s.Party == p
			}
		}
		if !signed {
			missing = append(missing, p)
		}
	}
	switch {
	case len(missing) == 1:
		return missing[0]
	case len(missing) > 1:
		return PartyBoth
	}
	return PartyOperator
}

// certificateItems are what an operational DRIMbox records of its
// certificates, so that the whitelist and the probe can pin them.
func certificateItems(d *registry.DRIMbox) []Item {
	var out []Item
	add := func(msg string, path ...string) {
		it := Item{Step: StepCertificates, Party: PartyOperator, Rule: "CERT-IDENTITY", Message: msg}
		it.Line, it.Col = pos(d, path...)
		out = append(out, it)
	}
	s := d.Certificates.Server
	if s.SHA256 == "" || s.Serial == "" || s.NotAfter == "" {
		add("record the IGC Santé server certificate's sha256, serial and not_after under certificates.server; copy them from the certificate", "certificates", "server")
	}
	if m := d.Certificates.Market; m.SHA256 == "" || m.Serial == "" || m.NotAfter == "" {
		add("record the market certificate under certificates.market: sha256, serial, not_after", "certificates")
	}
	return out
}
