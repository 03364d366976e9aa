package park

import (
	"bytes"
	"encoding/csv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/drim-m/trust-space/tool/internal/deadline"
	"github.com/drim-m/trust-space/tool/internal/registry"
)

func sample(t *testing.T) *registry.Registry {
	t.Helper()
	r, fs, err := registry.Load("../../testdata/registry")
	if err != nil || len(fs) > 0 {
		t.Fatalf("loading the sample registry: %v %v", err, fs)
	}
	return r
}

var day = deadline.Options{At: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}

// beta-teleradiologie runs DRIMboxes 4 (operational), 5 (excluded) and 6
// (declared), and handed DRIMbox 10 over to gamma-infogerance on
// 2026-11-20, owing the revocation by 2026-12-05.
func TestRegisterOfFormerOperator(t *testing.T) {
	got := Register(sample(t), "beta-teleradiologie", day)
	type line struct {
		ID       int
		Relation string
		Status   registry.Status
		Due      []string
	}
	var lines []line
	for _, e := range got {
		l := line{ID: e.Identifiant, Relation: e.Relation, Status: e.Status}
		for _, d := range e.Deadlines {
			l.Due = append(l.Due, d.Key)
		}
		lines = append(lines, l)
	}
	want := []line{
		{4, Operated, registry.StatusOperational, nil},
		{5, Operated, registry.StatusExcluded, nil},
		{6, Operated, registry.StatusDeclared, nil},
		{10, HandedOver, registry.StatusOperational, []string{"revocation/10/beta-teleradiologie/2026-11-20"}},
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("register (-want +got):\n%s", diff)
	}
	last := got[len(got)-1]
	if last.SwitchTo != "gamma-infogerance" || last.RevocationDue != "2026-12-05" || last.Operator != "gamma-infogerance" {
		t.Errorf("handed-over entry: %+v", last)
	}
	if got[1].ExcludedOn != "2026-03-02" || got[0].AptitudeOn != "2025-09-15" || got[0].VIName != "vi4.test.mesimagesmedicales.fr" {
		t.Errorf("dates or names: %+v %+v", got[0], got[1])
	}
}

func TestRegisterCSV(t *testing.T) {
	entries := Register(sample(t), "gamma-infogerance", day)
	var b bytes.Buffer
	if err := WriteCSV(&b, entries); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(csvHeader, rows[0]); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	// gamma-infogerance runs 7, 8, 9 and 10; the revocation on 10 is
	// owed by beta-teleradiologie, not by gamma-infogerance.
	var ids []string
	for _, r := range rows[1:] {
		ids = append(ids, r[0])
		if len(r) != len(csvHeader) {
			t.Errorf("row of %d cells: %v", len(r), r)
		}
	}
	if diff := cmp.Diff([]string{"7", "8", "9", "10"}, ids); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	ten := rows[4]
	col := func(name string) string { return ten[indexOf(csvHeader, name)] }
	if col("switch_from") != "beta-teleradiologie" || col("revocation_due") != "2026-12-05" || col("next_deadline") != "" || col("overdue") != "false" {
		t.Errorf("DRIMbox 10 row: %v", ten)
	}
	if col := rows[3][indexOf(csvHeader, "withdrawn_on")]; col != "2026-02-16" {
		t.Errorf("DRIMbox 9 withdrawn_on = %q", col)
	}
}

func indexOf(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}
