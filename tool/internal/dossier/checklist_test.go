package dossier

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/drim-m/trust-space/tool/internal/lifecycle"
	"github.com/drim-m/trust-space/tool/internal/registry"
)

type step struct{ Step, Party, Rule, Condition string }

func steps(t *testing.T, cl Checklist) []step {
	t.Helper()
	out := []step{}
	for _, it := range cl.Items {
		out = append(out, step{it.Step, it.Party, it.Rule, it.Condition})
		if it.Message == "" || it.Line < 1 {
			t.Errorf("item without message or position: %+v", it)
		}
	}
	return out
}

func TestStatusChecklist(t *testing.T) {
	r, _, err := registry.Load("testdata/registry")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("declared, dossier begun", func(t *testing.T) {
		cl := Status(r, r.DRIMbox(2))
		want := &Next{Status: registry.StatusIntegrating, Procedure: lifecycle.IntegrationRequest, By: PartyOperator}
		if diff := cmp.Diff(want, cl.Next); diff != "" {
			t.Errorf("next (-want +got):\n%s", diff)
		}
		// In the order of work: container, documents, attestations,
		// answers; within a step, the catalogue's order. The record
		// declares subcontracting, so COND-07 applies.
		wantSteps := []step{
			{StepContainer, PartyOperator, "DOSSIER-ZED", ""},
			{StepDocuments, PartyBoth, "DOSSIER-DOCUMENT", "COND-01"},
			{StepDocuments, PartyOperator, "DOSSIER-DOCUMENT", "COND-07"},
			{StepDocuments, PartyBoth, "DOSSIER-DOCUMENT", "COND-11"},
			{StepDocuments, PartyBoth, "DOSSIER-DOCUMENT", "COND-13"},
			{StepAttestations, PartyClient, "DOSSIER-ATTESTATION", "COND-02"},
			{StepAnswers, PartyClient, "DOSSIER-ANSWER", "COND-01"},
			{StepAnswers, PartyOperator, "DOSSIER-ANSWER", "COND-02"},
			{StepAnswers, PartyClient, "DOSSIER-ANSWER", "COND-02"},
			{StepAnswers, PartyOperator, "DOSSIER-ANSWER", "COND-07"},
			{StepAnswers, PartyOperator, "DOSSIER-ANSWER", "COND-11"},
			{StepAnswers, PartyClient, "DOSSIER-ANSWER", "COND-11"},
			{StepAnswers, PartyOperator, "DOSSIER-ANSWER", "COND-13"},
			{StepAnswers, PartyClient, "DOSSIER-ANSWER", "COND-13"},
		}
		if diff := cmp.Diff(wantSteps, steps(t, cl)); diff != "" {
			t.Errorf("items (-want +got):\n%s", diff)
		}
	})
	t.Run("integrating, waiting for the operator's VA", func(t *testing.T) {
		cl := Status(r, r.DRIMbox(1))
		want := &Next{Status: registry.StatusOperational, Procedure: lifecycle.AptitudeValidated, By: PartyANS}
		if diff := cmp.Diff(want, cl.Next); diff != "" {
			t.Errorf("next (-want +got):\n%s", diff)
		}
		wantSteps := []step{
			{StepCertificates, PartyOperator, "CERT-IDENTITY", ""},
			{StepCertificates, PartyOperator, "CERT-IDENTITY", ""},
			{StepAptitude, PartyOperator, "DOSSIER-VA", ""},
		}
		if diff := cmp.Diff(wantSteps, steps(t, cl)); diff != "" {
			t.Errorf("items (-want +got):\n%s", diff)
		}
	})
	t.Run("integrating, VA supplied, waiting for the ANS's decision", func(t *testing.T) {
		d := *r.DRIMbox(1)
		d.Dossier.VA = &registry.VA{Variant: registry.VASegurIntegration, Document: "VA_1.pdf", SHA256: "aa", IssuedOn: "2026-11-20"}
		d.Certificates.Server.SHA256, d.Certificates.Server.Serial, d.Certificates.Server.NotAfter = "bb", "01", "2028-06-30"
		d.Certificates.Market = registry.Cert{SHA256: "cc", Serial: "02", NotAfter: "2028-06-30"}
		wantSteps := []step{{StepAptitude, PartyANS, "DOSSIER-DECISION", ""}}
		if diff := cmp.Diff(wantSteps, steps(t, Status(r, &d))); diff != "" {
			t.Errorf("items (-want +got):\n%s", diff)
		}
	})
	t.Run("withdrawn", func(t *testing.T) {
		d := *r.DRIMbox(1)
		d.Status = registry.StatusWithdrawn
		cl := Status(r, &d)
		if cl.Next != nil || len(cl.Items) != 0 {
			t.Errorf("a withdrawn DRIMbox has no next step: %+v", cl)
		}
	})
}
