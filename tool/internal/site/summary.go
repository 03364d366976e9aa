package site

import (
	"encoding/json"
	"time"

	"github.com/drim-m/trust-space/tool/internal/status"
)

// summary.json is what a dashboard or a script polls: the overall grade,
// the counts, the notices in force or to come, and the disturbed
// DRIMboxes only — a few kilobytes where status.json, with every
// DRIMbox, weighs megabytes at thousands of DRIMboxes
// (schemas/meteo-summary.schema.json).

type apiSummary struct {
	Generated time.Time  `json:"generated"`
	LastRun   *time.Time `json:"last_run,omitempty"`
	// LastRunAge is how old the last run was when the site was built,
	// in seconds.
	LastRunAge *int64           `json:"last_run_age_seconds,omitempty"`
	Stale      bool             `json:"stale"`
	Grade      string           `json:"grade"`
	Overall    string           `json:"overall"`
	Headline   string           `json:"headline"`
	Counts     map[string]int   `json:"counts"`
	Total      int              `json:"total"`
	Notices    []*status.Notice `json:"notices"`
	Disturbed  []apiDisturbed   `json:"disturbed"`
	// Status is the address of status.json, which lists every DRIMbox.
	Status string `json:"status"`
}

// apiDisturbed is a disturbed DRIMbox in summary.json.
type apiDisturbed struct {
	ID         int        `json:"id"`
	Verdict    string     `json:"verdict"`
	Since      *time.Time `json:"since,omitempty"`
	SinceBound bool       `json:"since_bound,omitempty"`
	Reasons    []string   `json:"reasons,omitempty"`
	Operator   string     `json:"operator,omitempty"`
	Page       string     `json:"page"`
	API        string     `json:"api"`
}

func summaryJSON(v *view) ([]byte, error) {
	s := apiSummary{Generated: v.Now, Stale: v.Stale, Grade: v.Overall.Grade, Overall: v.Overall.Class, Headline: v.Overall.Headline,
		Counts: v.Overall.Counts, Total: v.Overall.Total, Notices: []*status.Notice{}, Disturbed: []apiDisturbed{}, Status: v.link("status.json")}
	if !v.Last.IsZero() {
		last, age := v.Last, int64(v.Now.Sub(v.Last)/time.Second)
		s.LastRun, s.LastRunAge = &last, &age
	}
	for _, n := range v.Notices {
		if n.Active {
			s.Notices = append(s.Notices, n.N)
		}
	}
	for _, b := range v.Disturbed {
		a := apiBoxOf(b, v)
		s.Disturbed = append(s.Disturbed, apiDisturbed{ID: a.ID, Verdict: a.Verdict, Since: a.Since, SinceBound: a.SinceBound,
			Reasons: a.Reasons, Operator: a.Operator, Page: a.Page, API: a.API})
	}
	return json.MarshalIndent(s, "", " ")
}
