package cli

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/status"
)

// TestStatusBuildContacts builds the page of every DRIMbox of the sample
// registry, in every state, and checks that each names its operator and
// its support mailbox from the registry and says what to do, and that
// each operator's page gives the operator's mailboxes.
func TestStatusBuildContacts(t *testing.T) {
	root := t.TempDir()
	if err := os.CopyFS(filepath.Join(root, "registry"), os.DirFS(sampleRegistry)); err != nil {
		t.Fatal(err)
	}
	reg, _, err := registry.Load(filepath.Join(root, "registry"))
	if err != nil {
		t.Fatal(err)
	}
	verdicts := []probe.Verdict{probe.Up, probe.Degraded, probe.Down, probe.Unknown}
	run := &probe.Run{Start: testNow.Add(-time.Minute), End: testNow, NetworkOK: true, Complete: true}
	for i, d := range reg.DRIMboxes {
		run.Results = append(run.Results, probe.Result{ID: d.Identifiant, Verdict: verdicts[i%len(verdicts)], DB: &probe.Check{Host: "db", OK: true}})
	}
	if err := status.Apply(status.Dir(filepath.Join(root, "status")), run, 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	env, _, stderr := testEnv(t, root)
	if code := Run(context.Background(), env, []string{"status", "build"}); code != ExitOK {
		t.Fatalf("status build: exit %d\n%s", code, stderr)
	}
	// A phrase of the advice for each state.
	advice := map[probe.Verdict]string{probe.Up: "Le DRIMbox répond normalement.", probe.Degraded: "Les examens restent accessibles",
		probe.Down: "sont impossibles pour le moment", probe.Unknown: "La sonde n&#39;a pas pu établir"}
	for i, d := range reg.DRIMboxes {
		page, err := os.ReadFile(filepath.Join(root, "_site", "drimbox", strconv.Itoa(d.Identifiant)+".html"))
		if err != nil {
			t.Fatal(err)
		}
		op := reg.Operators[d.Operator]
		for _, want := range []string{
			`<a href="../operateur/` + d.Operator + `.html">` + op.Denomination + `</a>`,
			`<a href="mailto:` + d.SupportContact + `">` + d.SupportContact + `</a>`,
			"Vous êtes radiologue", "Vous êtes l'opérateur de ce DRIMbox", advice[verdicts[i%len(verdicts)]],
		} {
			if d.SupportContact == "" {
				t.Fatalf("DRIMbox %d has no support contact in the sample registry", d.Identifiant)
			}
			if !strings.Contains(string(page), want) {
				t.Errorf("drimbox/%d.html lacks %q", d.Identifiant, want)
			}
		}
	}
	for id, op := range reg.Operators {
		page, err := os.ReadFile(filepath.Join(root, "_site", "operateur", id+".html"))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []string{op.Contacts.Support, op.Contacts.Security, op.Contacts.Guichet} {
			if m != "" && !strings.Contains(string(page), `<a href="mailto:`+m+`">`) {
				t.Errorf("operateur/%s.html lacks %s", id, m)
			}
		}
		if !strings.Contains(string(page), "<h1>DRIMbox de "+op.Denomination) {
			t.Errorf("operateur/%s.html is not titled with %s", id, op.Denomination)
		}
	}
}

// TestStatusDemoRegistry runs the demo in a checkout of the sample
// registry: each operator's page is titled with its denomination and
// lists its own DRIMboxes only.
func TestStatusDemoRegistry(t *testing.T) {
	root := t.TempDir()
	if err := os.CopyFS(filepath.Join(root, "registry"), os.DirFS(sampleRegistry)); err != nil {
		t.Fatal(err)
	}
	reg, _, err := registry.Load(filepath.Join(root, "registry"))
	if err != nil {
		t.Fatal(err)
	}
	env, _, stderr := testEnv(t, root)
	if code := Run(context.Background(), env, []string{"status", "demo", "--out", "demo", "--history-days", "2"}); code != ExitOK {
		t.Fatalf("status demo: exit %d\n%s", code, stderr)
	}
	pages := 0
	for id, op := range reg.Operators {
		page, err := os.ReadFile(filepath.Join(root, "demo", "site", "operateur", id+".html"))
		if os.IsNotExist(err) {
			continue // none of its DRIMboxes is in the demo's fleet
		}
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if !strings.Contains(string(page), "<h1>DRIMbox de "+op.Denomination+"</h1>") {
			t.Errorf("operateur/%s.html is not titled with %q", id, op.Denomination)
		}
		for _, d := range reg.DRIMboxes {
			listed := strings.Contains(string(page), `href="../drimbox/`+strconv.Itoa(d.Identifiant)+`.html"`)
			if listed && d.Operator != id {
				t.Errorf("operateur/%s.html lists DRIMbox %d of %s", id, d.Identifiant, d.Operator)
			}
		}
	}
	if pages != len(reg.Operators) {
		t.Errorf("%d operator pages, want %d", pages, len(reg.Operators))
	}
	if _, err := os.Stat(filepath.Join(root, "demo", "site", "operateur", "sans-operateur.html")); err == nil {
		t.Error("the demo lists DRIMboxes without an operator")
	}
}
