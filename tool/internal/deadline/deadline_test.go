package deadline

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

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

type brief struct {
	Key      string
	Due      string
	DaysLeft int
	Overdue  bool
	Operator string
	Party    string
}

func briefs(dls []Deadline) []brief {
	out := []brief{}
	for _, d := range dls {
		b := brief{Key: d.Key, Due: d.Due, Overdue: d.Overdue, Operator: d.Operator, Party: d.Party}
		if d.DaysLeft != nil {
			b.DaysLeft = *d.DaysLeft
		}
		out = append(out, b)
	}
	return out
}

func at(s string) Options {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return Options{At: t}
}

// The sample registry: DRIMbox 10 passed from beta-teleradiologie to
// gamma-infogerance on 2026-11-20 (revocation due 2026-12-05, not yet
// recorded); DRIMbox 3 is integrating with a complete dossier; every
// certificate runs until 2028-06-30.
func TestSampleDeadlines(t *testing.T) {
	r := sample(t)
	tests := []struct {
		name string
		opts Options
		want []brief
	}{
		{"five days before the revocation", at("2026-11-30T23:59:00Z"), []brief{
			{"revocation/10/beta-teleradiologie/2026-11-20", "2026-12-05", 5, false, "beta-teleradiologie", "operator"},
			{"dossier/3/operator", "", 0, false, "alpha-imagerie", "operator"},
			{"dossier/8/operator", "", 0, false, "gamma-infogerance", "operator"},
		}},
		{"on the day", at("2026-12-05T08:00:00Z"), []brief{
			{"revocation/10/beta-teleradiologie/2026-11-20", "2026-12-05", 0, false, "beta-teleradiologie", "operator"},
			{"dossier/3/operator", "", 0, false, "alpha-imagerie", "operator"},
			{"dossier/8/operator", "", 0, false, "gamma-infogerance", "operator"},
		}},
		{"the day after", at("2026-12-06T00:00:00Z"), []brief{
			{"revocation/10/beta-teleradiologie/2026-11-20", "2026-12-05", -1, true, "beta-teleradiologie", "operator"},
			{"dossier/3/operator", "", 0, false, "alpha-imagerie", "operator"},
			{"dossier/8/operator", "", 0, false, "gamma-infogerance", "operator"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := List(r, tt.opts)
			if diff := cmp.Diff(tt.want, briefs(got)); diff != "" {
				t.Errorf("deadlines (-want +got):\n%s", diff)
			}
			for _, d := range got {
				if d.Path == "" || d.Line < 2 || d.Title == "" || d.Message == "" {
					t.Errorf("deadline lacks its place or text: %+v", d)
				}
			}
		})
	}
}

func TestCertificateDeadlines(t *testing.T) {
	r := sample(t)
	// 30 days before 2028-06-30: every certificate of a DRIMbox that is
	// operational, integrating or reintegrating (1, 2, 3, 4, 7, 8, 10),
	// none of the excluded, declared or withdrawn ones.
	got := List(r, at("2028-05-31T12:00:00Z"))
	want := map[string]bool{}
	for _, id := range []string{"1", "2", "3", "4", "7", "8", "10"} {
		d := r.DRIMbox(atoi(id))
		want["certificate/"+id+"/server/"+d.Certificates.Server.Serial] = true
		want["certificate/"+id+"/market/"+d.Certificates.Market.Serial] = true
	}
	n := 0
	for _, d := range got {
		if d.Kind != Certificate {
			continue
		}
		n++
		if !want[d.Key] || d.Overdue || *d.DaysLeft != 30 {
			t.Errorf("unexpected certificate deadline %+v", d)
		}
	}
	if n != len(want) {
		t.Errorf("%d certificate deadlines, want %d", n, len(want))
	}
	if got := List(r, at("2028-05-30T12:00:00Z")); countKind(got, Certificate) != 0 {
		t.Errorf("31 days before expiry is outside the window: %v", got)
	}
	if got := List(r, Options{At: time.Date(2028, 5, 1, 0, 0, 0, 0, time.UTC), CertificateDays: 60}); countKind(got, Certificate) != len(want) {
		t.Errorf("a 60-day window does not see the certificates 60 days ahead")
	}
	// Once expired, certificates are overdue, listed with the overdue
	// revocation before the dossier that has no date.
	expired := briefs(List(r, at("2028-07-01T00:00:00Z")))
	// DRIMbox 8's reintegration waits on the ANS too.
	if n := len(expired); n != len(want)+3 || expired[n-2].Key != "dossier/3/operator" || expired[n-1].Key != "dossier/8/operator" {
		t.Fatalf("after expiry: %v", expired)
	}
	for _, b := range expired[:len(expired)-2] {
		if !b.Overdue {
			t.Errorf("not overdue after expiry: %+v", b)
		}
	}
}

func TestDossierWaitingOnParties(t *testing.T) {
	r := sample(t)
	d := r.DRIMbox(3)
	d.Dossier.Answers["COND-01"] = registry.Answer{Operator: "conforme", Client: "en-cours"}
	delete(d.Dossier.Answers, "COND-03")
	d.Switches = nil
	r.DRIMbox(10).Switches[0].RevokedOn = "2026-11-28"
	got := List(r, at("2026-11-30T12:00:00Z"))
	want := []brief{
		{"dossier/3/client", "", 0, false, "alpha-imagerie", "client"},
		{"dossier/3/operator", "", 0, false, "alpha-imagerie", "operator"},
		{"dossier/8/operator", "", 0, false, "gamma-infogerance", "operator"},
	}
	if diff := cmp.Diff(want, briefs(got)); diff != "" {
		t.Errorf("deadlines (-want +got):\n%s", diff)
	}
	if got[0].Title != "DRIMbox 3: dossier waiting on the Client (COND-01)" {
		t.Errorf("title %q", got[0].Title)
	}
}

func countKind(dls []Deadline, k Kind) int {
	n := 0
	for _, d := range dls {
		if d.Kind == k {
			n++
		}
	}
	return n
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
