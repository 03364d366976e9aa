package site

import (
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/drim-m/trust-space/tool/internal/status"
)

// buildTime is the fixed clock of the golden files.
var buildTime = time.Date(2026, 3, 4, 10, 2, 0, 0, time.UTC)

// fixture records three days of runs, every two hours, for four
// DRIMboxes: 1 always up, 2 with a PACS down since the 3rd, 3 down on the
// 4th, 4 slow; and a missed day (the 2nd) for all.
func fixture(t *testing.T) status.Dir {
	t.Helper()
	dir := status.Dir(t.TempDir())
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	certEnd := time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)
	for at := start; !at.After(buildTime); at = at.Add(2 * time.Hour) {
		if at.Day() == 2 {
			continue
		}
		run := &probe.Run{Start: at, End: at.Add(10 * time.Second), NetworkOK: true, Complete: true}
		for id := 1; id <= 4; id++ {
			r := probe.Result{ID: id, Verdict: probe.Up,
				DB:   &probe.Check{Host: dbName(id), OK: true, HTTP: 200, Endpoint: "ok", Timings: probe.Timings{Total: time.Duration(40+10*id) * time.Millisecond}, Cert: &probe.Cert{Subject: "CN=" + dbName(id), ChainNotAfter: certEnd.AddDate(0, id, 0), Trusted: true, DNMatch: true}},
				VI:   &probe.Check{Host: viName(id), OK: true, HTTP: 404, Endpoint: "absent"},
				PACS: []probe.PACSState{{ID: "pacs-1", State: "up"}},
			}
			switch {
			case id == 2 && at.Day() >= 3:
				r.Verdict, r.Reasons = probe.Degraded, []string{probe.ReasonPACSDown}
				r.PACS[0] = probe.PACSState{ID: "pacs-1", State: "down", Detail: "Association DICOM refusée <C-ECHO>"}
			case id == 3 && at.Day() == 4:
				r.Verdict, r.Reasons = probe.Down, []string{probe.ReasonDBDown, probe.ReasonConnect}
				r.DB = &probe.Check{Host: dbName(id), Reason: probe.ReasonConnect}
				r.PACS[0].State = probe.NotReported
			case id == 4:
				r.Verdict, r.Reasons = probe.Degraded, []string{probe.ReasonSlow}
				r.DB.Timings.Total = 2500 * time.Millisecond
			}
			run.Results = append(run.Results, r)
		}
		if err := status.Apply(dir, run, 2*time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func dbName(id int) string { return "db" + string(rune('0'+id)) + ".test.mesimagesmedicales.fr" }
func viName(id int) string { return "vi" + string(rune('0'+id)) + ".test.mesimagesmedicales.fr" }

func fixtureNotices() []*status.Notice {
	return []*status.Notice{{
		File: "2026-03-04-panne-db3.yaml", Kind: "incident", Title: "Panne réseau chez l'hébergeur du DRIMbox 3",
		Author: "beta-teleradiologie", DRIMboxes: []int{3}, Impact: "major",
		Start:   time.Date(2026, 3, 4, 0, 10, 0, 0, time.UTC),
		Updates: []status.Update{{Time: time.Date(2026, 3, 4, 0, 30, 0, 0, time.UTC), State: "investigating", Text: "L'hébergeur analyse une coupure de son réseau."}},
	}, {
		File: "2026-03-10-maintenance.yaml", Kind: "maintenance", Title: "Renouvellement des certificats IGC Santé",
		Author: "ans", Impact: "none",
		Start:   time.Date(2026, 3, 10, 20, 0, 0, 0, time.UTC),
		End:     time.Date(2026, 3, 10, 22, 0, 0, 0, time.UTC),
		Updates: []status.Update{{Time: time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC), State: "scheduled", Text: "Aucune interruption attendue."}},
	}}
}

func fixtureInfos() map[int]Info {
	alpha := []Contact{{RoleSupport, "support@alpha-imagerie.example"}, {RoleSecurity, "securite@alpha-imagerie.example"}}
	return map[int]Info{
		1: {OperatorID: "alpha-imagerie", Operator: "Alpha Imagerie", PACS: map[string]string{"pacs-1": "PACS principal"}, Contacts: alpha},
		2: {OperatorID: "alpha-imagerie", Operator: "Alpha Imagerie", PACS: map[string]string{"pacs-1": "PACS principal"}, Contacts: alpha,
			Support: "support-drimbox-2@alpha-imagerie.example"},
		3: {OperatorID: "beta-teleradiologie", Operator: "Bêta Téléradiologie", Contacts: []Contact{{RoleSupport, "support@beta-teleradiologie.example"}}},
		4: {OperatorID: "gamma-infogerance", Operator: "Gamma Santé"},
	}
}
