package plan

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/drim-m/trust-space/tool/internal/lifecycle"
	"github.com/drim-m/trust-space/tool/internal/registry"
)

// Review is one submitted review of the pull request.
type Review struct {
	Login string
	// State is APPROVED, CHANGES_REQUESTED, COMMENTED or DISMISSED.
	State    string
	CommitID string
}

// Approval says who must approve the merge and, when the reviews are
// known, who has. Authority is read from the base branch's tip, as drimm
// validate reads it, so a pull request cannot name its own approvers, and
// a reviewer or maintainer removed on main no longer counts.
type Approval struct {
	Team      string
	Reviewers []string
	Author    string
	// AuthorIsReviewer: the author's own approval does not count.
	AuthorIsReviewer bool
	// Decisions are the parts of the change that are the ANS's alone.
	Decisions []string
	// Informed are operators whose records change without their
	// maintainers being the author; GitHub asks them to review as code
	// owners.
	Informed []Owners
	// Code is set when files outside the registry change.
	Code bool
	// Known says whether the reviews were read; the lists below are
	// empty otherwise.
	Known bool
	// Approved are ANS reviewers whose latest review approves the head.
	Approved []string
	// Stale are ANS reviewers whose latest approval is of an older commit.
	Stale []string
	// Blocking are ANS reviewers whose latest review requests changes.
	Blocking []string
	// Consents are what the operator switches of the change need from
	// the operators that lose a DRIMbox.
	Consents []Consent
}

// Consent is the agreement an operator switch needs from the former
// operator: the approval of one of its maintainers, or the ANS's decision,
// which is the switch written by an ANS reviewer. Without it, one
// operator could take another's DRIMboxes and their national names.
type Consent struct {
	Operator    string
	Maintainers []string
	DRIMboxes   []int
	// By are the former operator's maintainers who approved the head
	// commit, or the author when the author is one of them.
	By []string
	// Decided is set when the author is an ANS reviewer.
	Decided bool
}

// Given tells whether the former operator agreed or the ANS decided.
func (c Consent) Given() bool { return c.Decided || len(c.By) > 0 }

// missingConsents lists the consents not given.
func (a Approval) missingConsents() []Consent {
	var out []Consent
	for _, c := range a.Consents {
		if !c.Given() {
			out = append(out, c)
		}
	}
	return out
}

// Owners are an operator and its maintainers.
type Owners struct {
	Operator    string
	Maintainers []string
}

// Met tells whether an ANS reviewer other than the author approved the
// head commit and no ANS reviewer's latest review requests changes.
// For an operator switch, the former operator's consent or the ANS's
// decision is needed as well.
func (a Approval) Met() bool {
	return a.Known && len(a.Approved) > 0 && len(a.Blocking) == 0 && len(a.missingConsents()) == 0
}

// Status says in one sentence where the approval stands.
func (a Approval) Status() string {
	switch {
	case !a.Known:
		return "reviews not read"
	case len(a.Blocking) > 0:
		return "changes requested by " + mentions(a.Blocking)
	case len(a.missingConsents()) > 0:
		c := a.missingConsents()[0]
		return fmt.Sprintf("waiting for operator %s's consent to the switch of DRIMbox %s: an approval of the head commit by one of its maintainers (%s), or the switch made by an ANS reviewer",
			c.Operator, joinInts(c.DRIMboxes), mentions(c.Maintainers))
	case len(a.Approved) > 0:
		return "approved by " + mentions(a.Approved)
	case len(a.Stale) > 0:
		return "approved by " + mentions(a.Stale) + " on an earlier commit; waiting for a new approval of the head commit"
	}
	return "waiting for an ANS reviewer's approval"
}

func approval(c *lifecycle.Change, p *Plan, in Input) Approval {
	rv := c.Reviewers()
	a := Approval{Team: rv.Team, Reviewers: slices.Clone(rv.Logins), Author: c.Author,
		AuthorIsReviewer: c.Author != "" && rv.IsReviewer(c.Author), Code: len(p.Other) > 0}
	for _, b := range p.Boxes {
		if b.ANSOnly {
			a.Decisions = append(a.Decisions, fmt.Sprintf("%s for DRIMbox %d", b.Procedure, b.ID))
		}
	}
	for _, s := range p.Settings {
		a.Decisions = append(a.Decisions, "changes to "+s)
	}
	for _, o := range p.Operators {
		switch {
		case o.New:
			a.Decisions = append(a.Decisions, "registration of operator "+o.ID)
		default:
			for _, what := range []string{"maintainers", "denomination", "siren"} {
				if slices.ContainsFunc(o.Changes, func(f Field) bool { return strings.HasPrefix(f.Name, what) }) {
					a.Decisions = append(a.Decisions, what+" of operator "+o.ID)
				}
			}
		}
	}
	a.Informed = informed(c, p)
	head := cmpOr(in.ReviewedSHA, in.HeadSHA)
	if in.ReviewsKnown {
		a.Known = true
		a.Approved, a.Stale, a.Blocking = tally(in.Reviews, rv, c.Author, head)
	}
	a.Consents = consents(c, p, in, head)
	return a
}

// consents lists, per former operator, the switches of the change and who
// consented. The former operator's maintainers are read from the base
// branch's tip, as every authority is.
func consents(c *lifecycle.Change, p *Plan, in Input, head string) []Consent {
	byOp := map[string]*Consent{}
	var order []string
	for _, b := range p.Boxes {
		if b.FormerOperator == "" {
			continue
		}
		if byOp[b.FormerOperator] == nil {
			byOp[b.FormerOperator] = &Consent{Operator: b.FormerOperator}
			order = append(order, b.FormerOperator)
		}
		byOp[b.FormerOperator].DRIMboxes = append(byOp[b.FormerOperator].DRIMboxes, b.ID)
	}
	slices.Sort(order)
	decided := c.Author != "" && c.Reviewers().IsReviewer(c.Author)
	var out []Consent
	for _, id := range order {
		cs := byOp[id]
		cs.Decided = decided
		op := c.Maintainers(id)
		if op != nil {
			cs.Maintainers = slices.Clone(op.Maintainers)
			if c.Author != "" && op.IsMaintainer(c.Author) {
				cs.By = []string{c.Author}
			} else if in.ReviewsKnown {
				cs.By = maintainerApprovals(in.Reviews, op, c.Author, head)
			}
		}
		out = append(out, *cs)
	}
	return out
}

// maintainerApprovals lists the operator's maintainers, other than the
// author, whose latest decisive review approves the head commit.
func maintainerApprovals(reviews []Review, op *registry.Operator, author, head string) []string {
	var out []string
	for _, r := range latestDecisions(reviews, op.IsMaintainer, author) {
		if r.State == "APPROVED" && (head == "" || r.CommitID == head) {
			out = append(out, r.Login)
		}
	}
	return out
}

func joinInts(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ", ")
}

// informed lists the operators whose records the change touches and whose
// maintainers did not write it.
func informed(c *lifecycle.Change, p *Plan) []Owners {
	ops := map[string]bool{}
	for _, b := range p.Boxes {
		ops[b.Operator] = true
		if b.FormerOperator != "" {
			ops[b.FormerOperator] = true
		}
	}
	for _, o := range p.Operators {
		ops[o.ID] = true
	}
	var out []Owners
	for id := range ops {
		op := c.Maintainers(id)
		if op == nil {
			op = c.Head.Operators[id]
		}
		if op == nil || op.IsMaintainer(c.Author) {
			continue
		}
		out = append(out, Owners{Operator: id, Maintainers: slices.Clone(op.Maintainers)})
	}
	slices.SortFunc(out, func(a, b Owners) int { return strings.Compare(a.Operator, b.Operator) })
	return out
}

// latestDecisions returns, in the order they first reviewed, the latest
// decisive review (APPROVED, CHANGES_REQUESTED or DISMISSED) of each
// reviewer who counts, the author excepted; comments change no decision.
func latestDecisions(reviews []Review, counts func(login string) bool, author string) []Review {
	latest := map[string]Review{}
	var order []string
	for _, r := range reviews {
		if !counts(r.Login) || strings.EqualFold(r.Login, author) {
			continue
		}
		switch r.State {
		case "APPROVED", "CHANGES_REQUESTED", "DISMISSED":
		default:
			continue
		}
		key := strings.ToLower(r.Login)
		if _, ok := latest[key]; !ok {
			order = append(order, key)
		}
		latest[key] = r
	}
	out := make([]Review, len(order))
	for i, k := range order {
		out[i] = latest[k]
	}
	return out
}

// tally reads each ANS reviewer's latest decisive review: APPROVED,
// CHANGES_REQUESTED or DISMISSED; comments do not change a decision.
func tally(reviews []Review, rv registry.Reviewers, author, head string) (approved, stale, blocking []string) {
	for _, r := range latestDecisions(reviews, rv.IsReviewer, author) {
		switch {
		case r.State == "CHANGES_REQUESTED":
			blocking = append(blocking, r.Login)
		case r.State == "APPROVED" && (head == "" || r.CommitID == head):
			approved = append(approved, r.Login)
		case r.State == "APPROVED":
			stale = append(stale, r.Login)
		}
	}
	return approved, stale, blocking
}

func mentions(logins []string) string {
	out := make([]string, len(logins))
	for i, l := range logins {
		out[i] = login(l)
	}
	return strings.Join(out, ", ")
}
