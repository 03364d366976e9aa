// Package deadline lists what the trust space is waiting for, and by
// when: the revocations a former operator owes after an operator switch,
// certificates close to their expiry, and dossiers waiting on a party.
// Each deadline has a stable key, so that automation can keep one issue
// per deadline open while it lasts and close it when it goes away.
package deadline

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// Kind says what a deadline is about.
type Kind string

// The kinds of deadline.
const (
	Revocation  Kind = "revocation"
	Certificate Kind = "certificate"
	Dossier     Kind = "dossier"
	// Condition is a versioned condition that came after the DRIMbox was
	// declared: it has until the end of the grace period to meet it.
	Condition Kind = "condition"
)

// Finding rules, one per kind.
const (
	RuleRevocation  = "DEADLINE-REVOCATION"
	RuleCertificate = "DEADLINE-CERTIFICATE"
	RuleDossier     = "DEADLINE-DOSSIER"
	RuleCondition   = "DEADLINE-CONDITION"
)

// CertificateDays is how long before its expiry a certificate becomes a
// deadline, unless Options say otherwise.
const CertificateDays = 30

// Deadline is one thing the trust space waits for.
type Deadline struct {
	// Key identifies the deadline from run to run, e.g.
	// "revocation/10/beta-teleradiologie/2026-11-20".
	Key         string `json:"key"`
	Kind        Kind   `json:"kind"`
	Identifiant int    `json:"identifiant"`
	Name        string `json:"name"`
	// Operator is the operator that must act or relay, and Party who
	// acts: operator, client or ans.
	Operator string `json:"operator"`
	Party    string `json:"party"`
	// Due is the last day (YYYY-MM-DD) to act, empty when there is no
	// date; DaysLeft counts from the day of the check and is negative
	// once overdue.
	Due      string `json:"due,omitempty"`
	DaysLeft *int   `json:"days_left,omitempty"`
	Overdue  bool   `json:"overdue"`
	// Title is one line, fit for an issue title; Message says what to do.
	Title   string `json:"title"`
	Message string `json:"message"`
	Path    string `json:"path"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
}

// Rule returns the finding rule of the deadline's kind.
func (d Deadline) Rule() string {
	switch d.Kind {
	case Revocation:
		return RuleRevocation
	case Certificate:
		return RuleCertificate
	case Condition:
		return RuleCondition
	}
	return RuleDossier
}

// Finding presents the deadline as a finding on its record.
func (d Deadline) Finding() registry.Finding {
	return registry.Finding{Path: d.Path, Line: max(d.Line, 1), Col: max(d.Col, 1), Rule: d.Rule(), Msg: d.Message}
}

// Options tune List.
type Options struct {
	// At is the time of the check; deadlines count in days of its UTC date.
	At time.Time
	// CertificateDays is the warning window before a certificate's
	// expiry; 0 means CertificateDays.
	CertificateDays int
}

// List returns every deadline of a registry, overdue ones first, then by
// due date, then by key.
func List(r *registry.Registry, opts Options) []Deadline {
	if opts.CertificateDays <= 0 {
		opts.CertificateDays = CertificateDays
	}
	l := &lister{r: r, opts: opts, today: day(opts.At)}
	for _, d := range r.DRIMboxes {
		l.revocations(d)
		l.certificates(d)
		l.dossier(d)
		l.conditions(d)
	}
	slices.SortFunc(l.out, func(a, b Deadline) int {
		if a.Overdue != b.Overdue {
			if a.Overdue {
				return -1
			}
			return 1
		}
		if (a.Due == "") != (b.Due == "") {
			return cmp.Compare(b.Due, a.Due)
		}
		return cmp.Or(cmp.Compare(a.Due, b.Due), cmp.Compare(a.Key, b.Key))
	})
	return l.out
}

type lister struct {
	r     *registry.Registry
	opts  Options
	today time.Time
	out   []Deadline
}

func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// add records a deadline at a field of the DRIMbox's record; due may be
// empty for deadlines without a date.
func (l *lister) add(d *registry.DRIMbox, dl Deadline, field ...string) {
	dl.Identifiant = d.Identifiant
	dl.Name = d.DBName(l.r.TrustSpace.Zone)
	if d.Source != nil {
		dl.Path = d.Source.Path
		dl.Line, dl.Col = d.Source.Pos(field...)
	}
	if dl.Due != "" {
		due, err := time.Parse(time.DateOnly, dl.Due)
		if err != nil {
			return
		}
		left := int(due.Sub(l.today).Hours() / 24)
		dl.DaysLeft, dl.Overdue = &left, left < 0
		dl.Message += " (" + when(left) + ")"
	}
	l.out = append(l.out, dl)
}

// when says how a due date stands, in days.
func when(left int) string {
	switch {
	case left < -1:
		return fmt.Sprintf("overdue by %d days", -left)
	case left == -1:
		return "overdue by 1 day"
	case left == 0:
		return "due today"
	case left == 1:
		return "due tomorrow"
	}
	return fmt.Sprintf("due in %d days", left)
}
