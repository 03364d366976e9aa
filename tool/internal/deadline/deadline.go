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
	"strconv"
	"strings"
	"time"

	"github.com/drim-m/trust-space/tool/internal/dossier"
	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/validation"
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

func (l *lister) revocations(d *registry.DRIMbox) {
	for i, s := range d.Switches {
		if s.RevokedOn != "" {
			continue
		}
		due := s.RevocationDue
		if due == "" {
			on, err := time.Parse(time.DateOnly, s.On)
			if err != nil {
				continue
			}
			due = on.AddDate(0, 0, l.r.TrustSpace.SwitchRevocationDays).Format(time.DateOnly)
		}
		l.add(d, Deadline{
			Key:      fmt.Sprintf("revocation/%d/%s/%s", d.Identifiant, s.From, s.On),
			Kind:     Revocation,
			Operator: s.From,
			Party:    dossier.PartyOperator,
			Due:      due,
			Title:    fmt.Sprintf("DRIMbox %d: %s must revoke its certificates and administration access by %s", d.Identifiant, s.From, due),
			Message: fmt.Sprintf("DRIMbox %d passed from %s to %s on %s; %s must revoke its certificates and administration access by %s, then record switches[%d].revoked_on",
				d.Identifiant, s.From, s.To, s.On, s.From, due, i),
		}, "switches", strconv.Itoa(i), "revocation_due")
	}
}

func (l *lister) certificates(d *registry.DRIMbox) {
	switch d.Status {
	case registry.StatusOperational, registry.StatusIntegrating, registry.StatusReintegrating:
	default:
		return
	}
	for _, c := range []struct {
		which, label string
		cert         registry.Cert
	}{
		{"server", "IGC Santé server certificate", d.Certificates.Server.Cert},
		{"market", "market certificate", d.Certificates.Market},
	} {
		if c.cert.NotAfter == "" {
			continue
		}
		exp, err := time.Parse(time.DateOnly, c.cert.NotAfter)
		if err != nil || exp.Sub(l.today) > time.Duration(l.opts.CertificateDays)*24*time.Hour {
			continue
		}
		id := c.cert.Serial
		if id == "" {
			id = c.cert.SHA256
		}
		l.add(d, Deadline{
			Key:      fmt.Sprintf("certificate/%d/%s/%s", d.Identifiant, c.which, id),
			Kind:     Certificate,
			Operator: d.Operator,
			Party:    dossier.PartyOperator,
			Due:      c.cert.NotAfter,
			Title:    fmt.Sprintf("DRIMbox %d: %s expires on %s", d.Identifiant, c.label, c.cert.NotAfter),
			Message: fmt.Sprintf("the %s of DRIMbox %d (serial %s) is valid until %s; renew it and record the new certificate under certificates.%s",
				c.label, d.Identifiant, c.cert.Serial, c.cert.NotAfter, c.which),
		}, "certificates", c.which, "not_after")
	}
}

// dossier reports who an integrating or reintegrating DRIMbox's dossier
// waits on, one deadline per party.
func (l *lister) dossier(d *registry.DRIMbox) {
	if d.Status != registry.StatusIntegrating && d.Status != registry.StatusReintegrating {
		return
	}
	cl := dossier.Status(l.r, d)
	conds := map[string][]string{}
	var parties []string
	for _, it := range cl.Items {
		ps := []string{it.Party}
		if it.Party == dossier.PartyBoth {
			ps = []string{dossier.PartyOperator, dossier.PartyClient}
		}
		for _, p := range ps {
			if _, seen := conds[p]; !seen {
				parties = append(parties, p)
				conds[p] = nil
			}
			if it.Condition != "" && !slices.Contains(conds[p], it.Condition) {
				conds[p] = append(conds[p], it.Condition)
			}
		}
	}
	if len(parties) > 1 {
		// The ANS acts once the others are done.
		parties = slices.DeleteFunc(parties, func(p string) bool { return p == dossier.PartyANS })
	}
	for _, p := range parties {
		dl := Deadline{
			Key:      fmt.Sprintf("dossier/%d/%s", d.Identifiant, p),
			Kind:     Dossier,
			Operator: d.Operator,
			Party:    p,
		}
		what := ""
		if len(conds[p]) > 0 {
			what = " (" + strings.Join(conds[p], ", ") + ")"
		}
		switch p {
		case dossier.PartyANS:
			dl.Title = fmt.Sprintf("DRIMbox %d: %s, waiting on the ANS for the Validation d'Aptitude", d.Identifiant, d.Status)
			dl.Message = fmt.Sprintf("DRIMbox %d is %s and its dossier is complete; the ANS issues the Validation d'Aptitude and declares it operational", d.Identifiant, d.Status)
		case dossier.PartyClient:
			dl.Title = fmt.Sprintf("DRIMbox %d: dossier waiting on the Client%s", d.Identifiant, what)
			dl.Message = fmt.Sprintf("the dossier of DRIMbox %d waits on the Client%s; %s relays (drimm dossier status %d)", d.Identifiant, what, d.Operator, d.Identifiant)
		default:
			dl.Title = fmt.Sprintf("DRIMbox %d: dossier waiting on %s%s", d.Identifiant, d.Operator, what)
			dl.Message = fmt.Sprintf("the dossier of DRIMbox %d waits on its operator %s%s (drimm dossier status %d)", d.Identifiant, d.Operator, what, d.Identifiant)
		}
		l.add(d, dl, "status")
	}
}

// conditions reports, per versioned condition, what a DRIMbox declared
// before it still lacks, due at the end of its grace period.
func (l *lister) conditions(d *registry.DRIMbox) {
	switch d.Status {
	case registry.StatusOperational, registry.StatusIntegrating, registry.StatusReintegrating:
	default:
		return
	}
	byCond := map[string][]validation.Requirement{}
	var order []string
	for _, p := range validation.Pending(l.r, d) {
		if _, seen := byCond[p.Condition]; !seen {
			order = append(order, p.Condition)
		}
		byCond[p.Condition] = append(byCond[p.Condition], p)
	}
	for _, id := range order {
		reqs := byCond[id]
		c := l.r.Condition(id)
		var what []string
		for _, r := range reqs {
			what = append(what, r.Msg)
		}
		l.add(d, Deadline{
			Key:      fmt.Sprintf("condition/%d/%s/%s", d.Identifiant, id, c.AppliesFrom),
			Kind:     Condition,
			Operator: d.Operator,
			Party:    dossier.PartyOperator,
			Due:      reqs[0].Due,
			Title:    fmt.Sprintf("DRIMbox %d: meet %s (applies from %s) by %s", d.Identifiant, id, c.AppliesFrom, reqs[0].Due),
			Message: fmt.Sprintf("%s (%s) applies from %s; DRIMbox %d, declared before, has until %s: %s",
				id, c.Title, c.AppliesFrom, d.Identifiant, reqs[0].Due, strings.Join(what, "; ")),
		}, reqs[0].Path...)
	}
}
