package status

import (
	"bytes"
	"encoding/json"
	"slices"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
)

// Latest is the state of every probed DRIMbox after the last
// run. It holds no timing so that it only changes when a state does.
type Latest struct {
	// Run is when the last run started.
	Run       time.Time `json:"run"`
	NetworkOK bool      `json:"network_ok"`
	Complete  bool      `json:"complete"`
	// Interval is the schedule, from which missed runs are counted.
	Interval  Seconds  `json:"interval_seconds"`
	DRIMboxes []*State `json:"drimboxes"`
	// VantageRuns is when each vantage point that took part in the
	// decision last ran; empty with a single prober.
	VantageRuns map[string]time.Time `json:"vantages,omitempty"`
}

// Seconds is a duration stored as whole seconds.
type Seconds int64

// Duration returns s as a time.Duration.
func (s Seconds) Duration() time.Duration { return time.Duration(s) * time.Second }

// State is what is known of one DRIMbox.
type State struct {
	ID      int           `json:"id"`
	Verdict probe.Verdict `json:"verdict"`
	// Since is when the verdict last changed.
	Since   time.Time         `json:"since"`
	Reasons []string          `json:"reasons,omitempty"`
	DB      *Point            `json:"db,omitempty"`
	VI      *Point            `json:"vi,omitempty"`
	PACS    []probe.PACSState `json:"pacs,omitempty"`
	// CertNotAfter is the earliest expiry of the served chain.
	CertNotAfter *time.Time `json:"cert_not_after,omitempty"`
	// CertSubject is the served subject when it differs from the registered DN.
	CertSubject string `json:"cert_subject,omitempty"`
	// Vantages are each vantage point's view, when the state was decided
	// by quorum (ApplyVantage).
	Vantages []Vantage `json:"vantages,omitempty"`
}

// Point is the state of one access point.
type Point struct {
	Host     string `json:"host"`
	OK       bool   `json:"ok"`
	Reason   string `json:"reason,omitempty"`
	HTTP     int    `json:"http,omitempty"`
	Endpoint string `json:"endpoint,omitempty"`
	// CNAME is where the national name points when it is not the
	// registered endpoint.
	CNAME string `json:"cname_mismatch,omitempty"`
}

// Event is one line of an events file: a DRIMbox changed state.
type Event struct {
	Time    time.Time     `json:"time"`
	ID      int           `json:"id"`
	From    probe.Verdict `json:"from"`
	To      probe.Verdict `json:"to"`
	Reasons []string      `json:"reasons,omitempty"`
}

// NotProbed is the To of an event for a DRIMbox that left the probed set.
const NotProbed probe.Verdict = "not-probed"

func pointOf(c *probe.Check) *Point {
	if c == nil {
		return nil
	}
	return &Point{Host: c.Host, OK: c.OK, Reason: c.Reason, HTTP: c.HTTP, Endpoint: c.Endpoint, CNAME: c.CNAME}
}

func stateOf(r probe.Result, at time.Time) *State {
	s := &State{ID: r.ID, Verdict: r.Verdict, Since: at, Reasons: r.Reasons, DB: pointOf(r.DB), VI: pointOf(r.VI), PACS: r.PACS}
	if r.DB != nil && r.DB.Cert != nil {
		na := r.DB.Cert.ChainNotAfter.UTC()
		s.CertNotAfter = &na
		if !r.DB.Cert.DNMatch {
			s.CertSubject = r.DB.Cert.Subject
		}
	}
	return s
}

// next computes the state after run from prev (nil when there is none),
// and the events between them.
func next(prev *Latest, run *probe.Run, interval time.Duration) (*Latest, []Event) {
	at := run.Start.UTC().Truncate(time.Second)
	out := &Latest{Run: at, NetworkOK: run.NetworkOK, Complete: run.Complete, Interval: Seconds(interval / time.Second)}
	old := statesByID(prev)
	var events []Event
	seen := map[int]bool{}
	for _, r := range run.Results {
		s := stateOf(r, at)
		seen[r.ID] = true
		if o, ok := old[r.ID]; ok && o.Verdict == s.Verdict {
			s.Since = o.Since
			if s.Verdict == probe.Unknown {
				// Unknown says nothing new: keep what was last known.
				s = o
			}
		} else {
			var from probe.Verdict
			if ok {
				from = o.Verdict
			}
			events = append(events, Event{Time: at, ID: r.ID, From: from, To: s.Verdict, Reasons: s.Reasons})
		}
		out.DRIMboxes = append(out.DRIMboxes, s)
	}
	if prev != nil {
		for _, s := range prev.DRIMboxes {
			if !seen[s.ID] {
				events = append(events, Event{Time: at, ID: s.ID, From: s.Verdict, To: NotProbed})
			}
		}
	}
	slices.SortFunc(out.DRIMboxes, func(a, b *State) int { return a.ID - b.ID })
	slices.SortFunc(events, func(a, b Event) int { return a.ID - b.ID })
	return out, events
}

// marshalEvents writes events as JSON lines.
func marshalEvents(events []Event) ([]byte, error) {
	var b bytes.Buffer
	for _, e := range events {
		line, err := json.Marshal(e)
		if err != nil {
			return nil, err
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// ParseEvents reads an events file, skipping lines it cannot read.
func ParseEvents(data []byte) []Event {
	var out []Event
	for _, line := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var e Event
		if json.Unmarshal(line, &e) == nil {
			out = append(out, e)
		}
	}
	return out
}

// statesByID indexes l's states by Identifiant; empty for a nil l.
func statesByID(l *Latest) map[int]*State {
	out := map[int]*State{}
	if l != nil {
		for _, s := range l.DRIMboxes {
			out[s.ID] = s
		}
	}
	return out
}
