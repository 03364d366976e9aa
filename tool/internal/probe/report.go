package probe

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"time"
	"unicode"
	"unicode/utf8"
)

// Report is the document a DRIMbox serves on its status endpoint; its
// contract is schemas/probe-status.schema.json.
type Report struct {
	// Version is the contract version, "1".
	Version string `json:"version"`
	// Time is when the DRIMbox computed the report (optional).
	Time *time.Time `json:"time,omitempty"`
	// PACS lists the PACS behind the DRIMbox and their states.
	PACS []ReportedPACS `json:"pacs"`
}

// ReportedPACS is one PACS in a Report.
type ReportedPACS struct {
	ID     string `json:"id"`
	State  string `json:"state"`
	Detail string `json:"detail,omitempty"`
}

// Limits of the status contract, mirrored in the JSON Schema.
const (
	maxReportedPACS = 64
	maxDetailRunes  = 200
)

var pacsIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// rfc3339 is stricter than time.Parse, which accepts one-digit hours.
var rfc3339 = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$`)

var pacsStates = map[string]bool{"up": true, "degraded": true, "down": true, "maintenance": true}

// ParseReport reads a status endpoint body and checks it against the
// contract. Member names are matched exactly, as the JSON Schema does;
// members the contract does not know are ignored, so DRIMboxes may add
// their own.
func ParseReport(data []byte) (*Report, error) {
	if !utf8.Valid(data) {
		return nil, errors.New("status report is not UTF-8")
	}
	var top map[string]json.RawMessage
	if err := strictDecode(data, &top); err != nil {
		return nil, fmt.Errorf("status report: %w", err)
	}
	if top == nil {
		return nil, errors.New("status report: not a JSON object")
	}
	var r Report
	if err := member(top, "version", &r.Version, true); err != nil {
		return nil, err
	}
	if r.Version != "1" {
		return nil, fmt.Errorf("status report: version %q, want \"1\"", r.Version)
	}
	var ts string
	if err := member(top, "time", &ts, false); err != nil {
		return nil, err
	}
	if _, ok := top["time"]; ok {
		t, err := time.Parse(time.RFC3339, ts)
		if err != nil || !rfc3339.MatchString(ts) {
			return nil, fmt.Errorf("status report: time %q is not RFC 3339", ts)
		}
		r.Time = &t
	}
	var list []map[string]json.RawMessage
	if err := member(top, "pacs", &list, true); err != nil {
		return nil, err
	}
	if list == nil {
		return nil, errors.New("status report: pacs is not an array")
	}
	if len(list) > maxReportedPACS {
		return nil, fmt.Errorf("status report: %d PACS, at most %d", len(list), maxReportedPACS)
	}
	seen := make(map[string]bool, len(list))
	r.PACS = make([]ReportedPACS, 0, len(list))
	for i, m := range list {
		if m == nil {
			return nil, fmt.Errorf("status report: pacs[%d] is not an object", i)
		}
		var p ReportedPACS
		if err := member(m, "id", &p.ID, true); err != nil {
			return nil, fmt.Errorf("pacs[%d]: %w", i, err)
		}
		if err := member(m, "state", &p.State, true); err != nil {
			return nil, fmt.Errorf("pacs[%d]: %w", i, err)
		}
		if err := member(m, "detail", &p.Detail, false); err != nil {
			return nil, fmt.Errorf("pacs[%d]: %w", i, err)
		}
		if err := p.check(); err != nil {
			return nil, fmt.Errorf("status report: pacs[%d]: %w", i, err)
		}
		if seen[p.ID] {
			return nil, fmt.Errorf("status report: pacs[%d]: id %q listed twice", i, p.ID)
		}
		seen[p.ID] = true
		r.PACS = append(r.PACS, p)
	}
	return &r, nil
}

func (p ReportedPACS) check() error {
	if !pacsIDPattern.MatchString(p.ID) {
		return fmt.Errorf("id %q is not 1–64 letters, digits, '.', '_' or '-'", p.ID)
	}
	if !pacsStates[p.State] {
		return fmt.Errorf("state %q is not up, degraded, down or maintenance", p.State)
	}
	if utf8.RuneCountInString(p.Detail) > maxDetailRunes {
		return fmt.Errorf("detail longer than %d characters", maxDetailRunes)
	}
	for _, c := range p.Detail {
		if unicode.IsControl(c) {
			return errors.New("detail holds a control character")
		}
	}
	return nil
}

// member decodes obj[name] into v; a required member must be there, and
// a member that is there must have the right JSON type (null included).
func member(obj map[string]json.RawMessage, name string, v any, required bool) error {
	raw, ok := obj[name]
	if !ok {
		if required {
			return fmt.Errorf("status report: no %q member", name)
		}
		return nil
	}
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return fmt.Errorf("status report: %q is null", name)
	}
	if err := strictDecode(raw, v); err != nil {
		return fmt.Errorf("status report: %q: %w", name, err)
	}
	return nil
}

func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}

// pacsStates maps the registered PACS to what the report says about them.
func reportedStates(registered []string, r *Report) []PACSState {
	out := make([]PACSState, 0, len(registered))
	for _, id := range registered {
		st := PACSState{ID: id, State: NotReported}
		if r != nil {
			for _, p := range r.PACS {
				if p.ID == id {
					st.State, st.Detail = p.State, p.Detail
					break
				}
			}
		}
		out = append(out, st)
	}
	return out
}
