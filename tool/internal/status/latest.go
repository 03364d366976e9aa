package status

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
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
	old := map[int]*State{}
	if prev != nil {
		for _, s := range prev.DRIMboxes {
			old[s.ID] = s
		}
	}
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

// runInfo is run.json: when the last run started and how it went. It is
// the only file every run rewrites, and it is tiny.
type runInfo struct {
	Run       time.Time `json:"run"`
	NetworkOK bool      `json:"network_ok"`
	Complete  bool      `json:"complete"`
	Interval  Seconds   `json:"interval_seconds"`
	// Vantages is Latest.VantageRuns.
	Vantages map[string]time.Time `json:"vantages,omitempty"`
}

// shardSize is how many Identifiants share a latest/ file: a change of
// state rewrites one small file, not the state of every DRIMbox.
const shardSize = 100

func shardPath(id int) string { return fmt.Sprintf("%s/%03d.json", LatestDir, id/shardSize) }

// marshalShard writes one DRIMbox per line, so a change of state is a
// one-line change in git.
func marshalShard(states []*State) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("[")
	for i, s := range states {
		if len(s.Vantages) > 0 {
			// The vantage points' run times live in run.json.
			c := *s
			c.Vantages = slices.Clone(s.Vantages)
			for k := range c.Vantages {
				c.Vantages[k].Run = time.Time{}
			}
			s = &c
		}
		line, err := json.Marshal(s)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n")
		b.Write(line)
	}
	b.WriteString("\n]\n")
	return b.Bytes(), nil
}

// writeLatest stores l: run.json always, and each latest/ shard only when
// its content changed.
func writeLatest(fsys FS, l *Latest) error {
	info, err := json.Marshal(runInfo{Run: l.Run, NetworkOK: l.NetworkOK, Complete: l.Complete, Interval: l.Interval, Vantages: l.VantageRuns})
	if err != nil {
		return err
	}
	if err := fsys.WriteFile(RunFile, append(info, '\n')); err != nil {
		return fmt.Errorf("writing %s: %w", RunFile, err)
	}
	shards := map[string][]*State{}
	for _, s := range l.DRIMboxes {
		p := shardPath(s.ID)
		shards[p] = append(shards[p], s)
	}
	old, err := fsys.ReadDir(LatestDir)
	if err != nil {
		return err
	}
	for _, name := range old {
		if p := LatestDir + "/" + name; shards[p] == nil {
			if err := fsys.Remove(p); err != nil {
				return err
			}
		}
	}
	for p, states := range shards {
		data, err := marshalShard(states)
		if err != nil {
			return err
		}
		if cur, err := fsys.ReadFile(p); err == nil && bytes.Equal(cur, data) {
			continue
		}
		if err := fsys.WriteFile(p, data); err != nil {
			return fmt.Errorf("writing %s: %w", p, err)
		}
	}
	return nil
}

// NotUp lists the DRIMboxes that were not up at the last run recorded in
// fsys, as vantage point vantage saw them (empty: the state decided).
// It is empty when no run was recorded.
func NotUp(fsys FS, vantage string) (map[int]bool, error) {
	if vantage != "" {
		if !ValidVantage(vantage) {
			return nil, fmt.Errorf("vantage point %q: use lower-case letters, digits and dashes (at most 32)", vantage)
		}
		fsys = sub{fsys, VantagesDir + "/" + vantage + "/"}
	}
	l, err := readLatest(fsys)
	if err != nil || l == nil {
		return nil, err
	}
	out := map[int]bool{}
	for _, st := range l.DRIMboxes {
		if st.Verdict != probe.Up {
			out[st.ID] = true
		}
	}
	return out, nil
}

// readLatest reads run.json and the latest/ shards; nil when no run was
// ever recorded.
func readLatest(fsys FS) (*Latest, error) {
	data, err := fsys.ReadFile(RunFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", RunFile, err)
	}
	var info runInfo
	if err := json.Unmarshal(data, &info); err != nil {
		return nil, fmt.Errorf("%s: %w", RunFile, err)
	}
	l := &Latest{Run: info.Run, NetworkOK: info.NetworkOK, Complete: info.Complete, Interval: info.Interval, VantageRuns: info.Vantages}
	names, err := fsys.ReadDir(LatestDir)
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		p := LatestDir + "/" + name
		data, err := fsys.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", p, err)
		}
		var states []*State
		if err := json.Unmarshal(data, &states); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		l.DRIMboxes = append(l.DRIMboxes, states...)
	}
	slices.SortFunc(l.DRIMboxes, func(a, b *State) int { return a.ID - b.ID })
	for _, st := range l.DRIMboxes {
		for k := range st.Vantages {
			if at, ok := l.VantageRuns[st.Vantages[k].Name]; ok {
				st.Vantages[k].Run = at
			}
		}
	}
	return l, nil
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
