package probe

import (
	"fmt"
	"time"
)

// judge turns the checks of one DRIMbox into its verdict.
func (p *Prober) judge(t Target, db, vi *Check, body []byte, networkOK bool) Result {
	r := Result{ID: t.ID, DB: db, VI: vi}
	if db == nil {
		r.Verdict, r.Reasons = Unknown, []string{ReasonRunDeadline}
		r.PACS = reportedStates(t.PACS, nil)
		return r
	}
	if !db.OK {
		r.PACS = reportedStates(t.PACS, nil)
		if !networkOK && ambiguous(db.Reason) {
			r.Verdict, r.Reasons = Unknown, []string{ReasonNetwork, db.Reason}
			return r
		}
		r.Verdict, r.Reasons = Down, []string{ReasonDBDown, db.Reason}
		if db.CNAME != "" || (vi != nil && vi.CNAME != "") {
			r.Reasons = append(r.Reasons, ReasonDNSMismatch)
		}
		return r
	}
	var report *Report
	if body != nil {
		rep, err := ParseReport(body)
		if err != nil {
			db.Endpoint, db.Error = "invalid", err.Error()
		} else {
			db.Endpoint, report = "ok", rep
		}
	}
	r.PACS = reportedStates(t.PACS, report)

	add := func(reason string) { r.Reasons = append(r.Reasons, reason) }
	if vi != nil && !vi.OK {
		if networkOK || !ambiguous(vi.Reason) {
			add(ReasonVIDown)
		} else {
			add(ReasonNetwork)
		}
	}
	if db.Timings.Total > p.opts.SlowAfter || (vi != nil && vi.OK && vi.Timings.Total > p.opts.SlowAfter) {
		add(ReasonSlow)
	}
	if expiring(db.Cert, p.opts.ExpiryWarning, p.opts.Now()) || (vi != nil && expiring(vi.Cert, p.opts.ExpiryWarning, p.opts.Now())) {
		add(ReasonCertExpiring)
	}
	if (db.Cert != nil && !db.Cert.DNMatch) || (vi != nil && vi.Cert != nil && !vi.Cert.DNMatch) {
		add(ReasonDNMismatch)
	}
	if db.Endpoint == "invalid" {
		add(ReasonStatusInvalid)
	}
	if db.CNAME != "" || (vi != nil && vi.CNAME != "") {
		add(ReasonDNSMismatch)
	}
	for _, s := range r.PACS {
		if s.State == "down" {
			add(ReasonPACSDown)
			break
		}
	}
	r.Verdict = Up
	if len(r.Reasons) > 0 {
		r.Verdict = Degraded
	}
	return r
}

// ambiguous tells whether a failure could come from the prober's own
// network rather than from the DRIMbox: failures after an answer cannot.
func ambiguous(reason string) bool {
	switch reason {
	case ReasonDNS, ReasonConnect, ReasonTimeout:
		return true
	}
	return false
}

func expiring(c *Cert, window time.Duration, now time.Time) bool {
	return c != nil && c.Trusted && c.ChainNotAfter.Sub(now) < window
}

// Summary counts the verdicts of a run, for logs.
func (r *Run) Summary() string {
	n := map[Verdict]int{}
	for _, res := range r.Results {
		n[res.Verdict]++
	}
	return fmt.Sprintf("%d DRIMboxes: %d up, %d degraded, %d down, %d unknown in %s",
		len(r.Results), n[Up], n[Degraded], n[Down], n[Unknown], r.End.Sub(r.Start).Round(time.Millisecond))
}
