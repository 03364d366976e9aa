package site

import (
	"regexp"

	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/drim-m/trust-space/tool/internal/status"
)

// Values read from the data (status/ records, notices, what a DRIMbox
// publishes on its status endpoint) that become a CSS class, a file name
// or an enum of the JSON are mapped here onto the values the site knows;
// anything else becomes "unknown". Text is escaped where it is written;
// these values are not text, and escaping would not stop a value such as
// "down big" from adding a class.

// verdictOf is v if it is a verdict, unknown otherwise.
func verdictOf(v probe.Verdict) probe.Verdict {
	switch v {
	case probe.Up, probe.Degraded, probe.Down, probe.Unknown:
		return v
	}
	return probe.Unknown
}

// eventVerdictOf is verdictOf for an event's ends, which may also be
// empty (first seen) or not-probed.
func eventVerdictOf(v probe.Verdict) probe.Verdict {
	if v == "" || v == status.NotProbed {
		return v
	}
	return verdictOf(v)
}

// pacsStateOf is s if it is a PACS state of the probe contract,
// not-reported otherwise.
func pacsStateOf(s string) string {
	switch s {
	case "up", "degraded", "down", "maintenance", probe.NotReported:
		return s
	}
	return probe.NotReported
}

// noticeClass is the class of a notice: its kind, incident unless it is
// a maintenance.
func noticeClass(kind string) string {
	if kind == "maintenance" {
		return "maintenance"
	}
	return "incident"
}

// operatorIDPattern is what an operator's folder name may be in the
// registry; it names files of the site.
var operatorIDPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$`)

// cleanState returns s with its verdicts and PACS states mapped onto
// their enums, as a copy: the history's records are not changed.
func cleanState(s *status.State) *status.State {
	if s == nil {
		return nil
	}
	c := *s
	c.Verdict = verdictOf(s.Verdict)
	if len(s.PACS) > 0 {
		c.PACS = make([]probe.PACSState, len(s.PACS))
		for i, p := range s.PACS {
			p.State = pacsStateOf(p.State)
			c.PACS[i] = p
		}
	}
	if len(s.Vantages) > 0 {
		c.Vantages = make([]status.Vantage, len(s.Vantages))
		for i, v := range s.Vantages {
			v.Verdict = verdictOf(v.Verdict)
			c.Vantages[i] = v
		}
	}
	return &c
}

// cleanEvent returns e with its verdicts mapped onto their enums.
func cleanEvent(e status.Event) status.Event {
	e.From, e.To = eventVerdictOf(e.From), eventVerdictOf(e.To)
	return e
}

// cleanNotices returns copies of ns with their kind and impact mapped
// onto their enums (drimm validate refuses others; the site does not
// rely on it).
func cleanNotices(ns []*status.Notice) []*status.Notice {
	out := make([]*status.Notice, len(ns))
	for i, n := range ns {
		c := *n
		c.Kind = noticeClass(n.Kind)
		switch n.Impact {
		case "major", "minor", "none":
		default:
			c.Impact = ""
		}
		out[i] = &c
	}
	return out
}
