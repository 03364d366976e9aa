package site

import (
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/drim-m/trust-space/tool/internal/status"
)

// fleetOf makes n DRIMboxes with a state, down and deg of them down and
// degraded, the down ones first.
func fleetOf(n, down, deg int) []*box {
	out := make([]*box, n)
	for i := range out {
		v := probe.Up
		switch {
		case i < down:
			v = probe.Down
		case i < down+deg:
			v = probe.Degraded
		}
		out[i] = &box{ID: i + 1, Verdict: string(v), State: &status.State{ID: i + 1, Verdict: v}}
	}
	return out
}

// TestOverallGrade checks the grade on each side of its thresholds.
func TestOverallGrade(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	h := &status.History{Latest: &status.Latest{Run: now, NetworkOK: true}}
	incident := func(impact string, boxes ...int) []*status.Notice {
		return []*status.Notice{{Kind: "incident", Impact: impact, DRIMboxes: boxes, Start: now.Add(-time.Hour)}}
	}
	for _, c := range []struct {
		name           string
		n, down, deg   int
		notices        []*status.Notice
		stale          bool
		grade, heading string
	}{
		{"all up", 5000, 0, 0, nil, false, gradeOperational, "Tous les DRIMbox sont opérationnels."},
		{"one degraded", 5000, 0, 1, nil, false, gradeDegraded, "Perturbations en cours : 0 DRIMbox hors service (0\u00a0%), 1 dégradé, sur 5000 DRIMbox suivis."},
		{"just under 1 % down", 5000, 49, 0, nil, false, gradeDegraded, "49 DRIMbox hors service (0,98\u00a0%)"},
		{"1 % down", 5000, 50, 0, nil, false, gradePartial, "50 DRIMbox hors service (1\u00a0%)"},
		{"100 of 5,000 down, 250 degraded", 5000, 100, 250, nil, false, gradePartial, "100 DRIMbox hors service (2\u00a0%), 250 dégradés, sur 5000 DRIMbox suivis."},
		{"just under 20 % down", 5000, 999, 0, nil, false, gradePartial, "999 DRIMbox hors service (19,98\u00a0%)"},
		{"20 % down", 5000, 1000, 0, nil, false, gradeMajor, "1000 DRIMbox hors service (20\u00a0%)"},
		{"one of nine down", 9, 1, 2, nil, false, gradePartial, "1 DRIMbox hors service (11,11\u00a0%), 2 dégradés"},
		{"major incident on the whole space", 5000, 0, 0, incident("major"), false, gradeMajor, "Incident en cours sur tout l'espace de confiance."},
		{"minor incident on the whole space", 5000, 0, 0, incident("minor"), false, gradeDegraded, "Incident en cours sur tout l'espace de confiance ; tous les DRIMbox répondent."},
		{"major incident on one DRIMbox", 5000, 0, 0, incident("major", 3), false, gradeOperational, "Tous les DRIMbox sont opérationnels."},
		{"runs stopped", 5000, 0, 0, nil, true, gradeUnknown, "Relevés interrompus"},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := overallOf(fleetOf(c.n, c.down, c.deg), h, c.stale, c.notices, now)
			if o.Grade != c.grade || !strings.Contains(o.Headline, c.heading) {
				t.Errorf("grade %s, %q; want %s, %q", o.Grade, o.Headline, c.grade, c.heading)
			}
			if o.Word != gradeWords[c.grade] || o.Class == "" {
				t.Errorf("grade %s shown as %q in class %q", o.Grade, o.Word, o.Class)
			}
		})
	}
}

// TestDisturbedCaption checks that the index's caption counts the rows it
// lists and says how many are disturbed in all.
func TestDisturbedCaption(t *testing.T) {
	boxes := fleetOf(5000, 100, 250)
	all := disturbed(boxes, false)
	if len(all) != 350 {
		t.Fatalf("%d disturbed, want 350", len(all))
	}
	front := string(disturbedTable(all[:indexDisturbed], len(all), ""))
	if !strings.Contains(front, `id="cap-perturbes">Les 100 premiers des 350 DRIMbox perturbés, les hors service en premier</`) {
		t.Errorf("index caption: %s", front[:300])
	}
	if rows := strings.Count(front, "<tr><th scope=\"row\">"); rows != 100 {
		t.Errorf("the index lists %d rows, want 100", rows)
	}
	full := string(disturbedTable(all, len(all), ""))
	if !strings.Contains(full, `id="cap-perturbes">350 DRIMbox perturbés, les hors service en premier</`) || strings.Count(full, "<tr><th scope=\"row\">") != 350 {
		t.Error("the full list's caption does not count its 350 rows")
	}
}
