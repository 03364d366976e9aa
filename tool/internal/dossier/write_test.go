package dossier

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

func TestWrite(t *testing.T) {
	r, _, err := registry.Load("testdata/registry")
	if err != nil {
		t.Fatal(err)
	}
	d := r.DRIMbox(2)
	src := []byte(`# the operator's comment
identifiant: 2
dossier: {subcontracting: true, answers: {COND-01: {operator: conforme}}, documents: [{condition: COND-01, kind: matrice-raci, name: raci.csv, sha256: 00}]}

# the next field's comment
withdrawal: {on: 2026-01-01, reason: x}
`)
	files := []ContainerFile{
		{Rel: "raci.csv", Name: "raci.csv", SHA256: "aa"},
		{Rel: "COND-02_attestation-engagement.pdf", Name: "COND-02_attestation-engagement.pdf", SHA256: "bb"},
		{Rel: "sub/COND-03_plan-assurance-securite.pdf", Name: "COND-03_plan-assurance-securite.pdf", SHA256: "cc"},
		{Rel: "COND-02_attestation-other.pdf", Name: "COND-02_attestation-other.pdf", SHA256: "dd"},
		{Rel: "a/x.pdf", Name: "x.pdf", SHA256: "ee"},
		{Rel: "b/x.pdf", Name: "x.pdf", SHA256: "ff"},
	}
	out, rep, err := Write(src, r, d, files)
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, kept := range []string{"# the operator's comment\nidentifiant: 2\ndossier:\n", "\n# the next field's comment\nwithdrawal: {on: 2026-01-01, reason: x}\n"} {
		if !strings.Contains(s, kept) {
			t.Errorf("the record lost %q:\n%s", kept, s)
		}
	}
	var got struct{ Dossier registry.Dossier }
	if err := yaml.Unmarshal(out, &got); err != nil {
		t.Fatalf("the record no longer reads: %v\n%s", err, s)
	}
	ds := got.Dossier
	if !ds.Subcontracting || ds.Answers["COND-01"].Operator != "conforme" || ds.Answers["COND-01"].Client != AnswerSkeleton {
		t.Errorf("answers given must stay, the missing ones get %s: %+v", AnswerSkeleton, ds.Answers)
	}
	wantDocs := []registry.Document{
		{Condition: "COND-01", Kind: "matrice-raci", Name: "raci.csv", SHA256: "aa"},
		{Condition: "COND-03", Kind: "plan-assurance-securite", Name: "COND-03_plan-assurance-securite.pdf", SHA256: "cc"},
	}
	if diff := cmp.Diff(wantDocs, ds.Documents); diff != "" {
		t.Errorf("documents (-want +got):\n%s", diff)
	}
	if len(ds.Attestations) != 1 || ds.Attestations[0].Kind != "engagement" || ds.Attestations[0].SHA256 != "bb" ||
		len(ds.Attestations[0].SignedBy) != 2 || ds.Attestations[0].SignedBy[1] != (registry.Signer{Party: "client", Role: "Direction de l'établissement"}) {
		t.Errorf("attestation: %+v", ds.Attestations)
	}
	var unplaced []string
	for _, u := range rep.Unplaced {
		unplaced = append(unplaced, u.File)
	}
	if diff := cmp.Diff([]string{"COND-02_attestation-other.pdf", "a/x.pdf", "b/x.pdf"}, unplaced); diff != "" {
		t.Errorf("unplaced (-want +got):\n%s", diff)
	}
	// A second run changes nothing.
	again, _, err := Write(out, r, d, files)
	if err != nil || string(again) != s {
		t.Errorf("a second run changed the record (%v):\n%s", err, again)
	}
}

func TestWriteRefusesWhatItCannotEdit(t *testing.T) {
	r, _, err := registry.Load("testdata/registry")
	if err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string]string{
		"not yaml":           "identifiant: [\n",
		"dossier not a map":  "identifiant: 2\ndossier: [a]\n",
		"record not a map":   "- a\n",
		"dossier in flow at": "{identifiant: 2, dossier: {}}\n",
	} {
		if _, _, err := Write([]byte(src), r, r.DRIMbox(2), nil); err == nil {
			t.Errorf("%s: written", name)
		}
	}
}
