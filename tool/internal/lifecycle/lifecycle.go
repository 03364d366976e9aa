// Package lifecycle holds the trust space's procedures — declaration,
// integration, aptitude, update, operator switch, withdrawal, exclusion,
// reintegration — and checks that a change between two registry revisions
// follows them: allowed status changes made by whoever may make them, no
// record deleted, no Identifiant changed or reused, operators touching only
// their own records, ANS-owned fields left to ANS reviewers, every other
// path of the repository changed by its owner only, and notices speaking
// for the change's author.
package lifecycle

import "github.com/drim-m/trust-space/tool/internal/registry"

// Procedure names one lifecycle procedure; each is one pull request.
type Procedure string

// The procedures of DESIGN.md's lifecycle table.
const (
	Declaration           Procedure = "declaration"
	IntegrationRequest    Procedure = "integration request"
	AptitudeValidated     Procedure = "aptitude validated"
	Update                Procedure = "update"
	OperatorSwitch        Procedure = "operator switch"
	Withdrawal            Procedure = "withdrawal"
	Exclusion             Procedure = "exclusion"
	ReintegrationRequest  Procedure = "reintegration request"
	ReintegrationAccepted Procedure = "reintegration accepted"
	ReintegrationRefused  Procedure = "reintegration refused"
)

// Transition is an allowed status change.
type Transition struct {
	From, To  registry.Status
	Procedure Procedure
	// ANSOnly transitions are made by ANS reviewers alone.
	ANSOnly bool
}

var transitions = []Transition{
	{"", registry.StatusDeclared, Declaration, false},
	{registry.StatusDeclared, registry.StatusIntegrating, IntegrationRequest, false},
	{registry.StatusIntegrating, registry.StatusOperational, AptitudeValidated, true},
	{registry.StatusOperational, registry.StatusExcluded, Exclusion, true},
	{registry.StatusExcluded, registry.StatusReintegrating, ReintegrationRequest, false},
	{registry.StatusReintegrating, registry.StatusOperational, ReintegrationAccepted, true},
	// The ANS may refuse a reintegration request, saying why
	// (an entry appended to reintegration.refusals).
	{registry.StatusReintegrating, registry.StatusExcluded, ReintegrationRefused, true},
	// Sending a dossier back for completion is the ANS's call.
	{registry.StatusIntegrating, registry.StatusDeclared, Update, true},
}

// Lookup returns the transition from one status to another. Withdrawal is
// allowed from every status but withdrawn; a status kept is an update.
func Lookup(from, to registry.Status) (Transition, bool) {
	if from == to && from != "" {
		return Transition{From: from, To: to, Procedure: Update}, from != registry.StatusWithdrawn
	}
	if to == registry.StatusWithdrawn && from != "" {
		return Transition{From: from, To: to, Procedure: Withdrawal}, true
	}
	for _, t := range transitions {
		if t.From == from && t.To == to {
			return t, true
		}
	}
	return Transition{}, false
}

// Allowed lists the statuses reachable from a status, for messages.
func Allowed(from registry.Status) []registry.Status {
	var out []registry.Status
	for _, t := range transitions {
		if t.From == from {
			out = append(out, t.To)
		}
	}
	if from != registry.StatusWithdrawn && from != "" {
		out = append(out, registry.StatusWithdrawn)
	}
	return out
}
