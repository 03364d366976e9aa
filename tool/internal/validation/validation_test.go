package validation

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/synth"
)

const catalogue = "../../testdata/registry/conditions.yaml"

// sample writes a synthetic registry of two operators and four DRIMboxes
// (1 operational, 2 integrating, 3 declared, 4 operational) and returns its folder.
func sample(t *testing.T) string {
	t.Helper()
	conds, err := registry.LoadConditions(catalogue)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(catalogue)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "registry")
	statuses := []registry.Status{registry.StatusOperational, registry.StatusIntegrating, registry.StatusDeclared, registry.StatusOperational}
	err = synth.Write(dir, synth.Options{Operators: 2, DRIMboxes: len(statuses), Conditions: conds, ConditionsYAML: raw,
		Status: func(i int) registry.Status { return statuses[i] }})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func edit(t *testing.T, dir, rel, old, new string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s does not contain %q", rel, old)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func check(t *testing.T, dir string) []registry.Finding {
	t.Helper()
	r, fs, err := registry.LoadAs(dir, "registry")
	if err != nil {
		t.Fatal(err)
	}
	return append(fs, Check(r)...)
}

func TestSampleIsClean(t *testing.T) {
	if fs := check(t, sample(t)); len(fs) > 0 {
		t.Fatalf("findings on a synthetic registry: %v", fs)
	}
	r, fs, err := registry.LoadAs("../../testdata/registry", "registry")
	if err != nil {
		t.Fatal(err)
	}
	if fs = append(fs, Check(r)...); len(fs) > 0 {
		t.Fatalf("findings on the sample registry: %v", fs)
	}
}

func TestRules(t *testing.T) {
	b1 := "operators/operateur-001/drimboxes/1.yaml"
	b2 := "operators/operateur-002/drimboxes/2.yaml"
	b4 := "operators/operateur-002/drimboxes/4.yaml"
	op1 := "operators/operateur-001/operator.yaml"
	tests := []struct {
		name       string
		mutate     func(t *testing.T, dir string)
		wantPrefix string
		contains   string
	}{
		{"duplicate identifiant", func(t *testing.T, dir string) {
			edit(t, dir, b4, "identifiant: 4", "identifiant: 2")
		}, "registry/" + b4 + ":1:14: ", "ID-UNIQUE"},
		{"identifiant leading zeros", func(t *testing.T, dir string) {
			edit(t, dir, b1, "identifiant: 1", "identifiant: 001")
		}, "registry/" + b1 + ":1:14: ID-FORMAT", "without leading zeros"},
		{"file name does not match identifiant", func(t *testing.T, dir string) {
			edit(t, dir, b1, "identifiant: 1", "identifiant: 11")
		}, "registry/" + b1 + ":1:14: PATH-MATCH", "must be named 11.yaml"},
		{"operator does not match folder", func(t *testing.T, dir string) {
			edit(t, dir, b1, "operator: operateur-001", "operator: operateur-002")
		}, "registry/" + b1 + ":2:11: PATH-MATCH", "does not match the folder"},
		{"operator missing", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, op1))
		}, "registry/" + b1 + ":2:11: OPERATOR-EXISTS", "no record"},
		{"zed container reused", func(t *testing.T, dir string) {
			edit(t, dir, b4, "container: ZED-2025-000004", "container: ZED-2025-000002")
		}, "registry/" + b4, "ZED-UNIQUE"},
		{"missing answer", func(t *testing.T, dir string) {
			edit(t, dir, b2, "    COND-03: {operator: conforme}\n", "")
		}, "registry/" + b2, "COND-03 (Plan d'assurance sécurité) needs the Opérateur's answer"},
		{"missing client answer", func(t *testing.T, dir string) {
			edit(t, dir, b2, "COND-01: {operator: conforme, client: conforme}", "COND-01: {operator: conforme}")
		}, "registry/" + b2, "needs the Client's answer"},
		{"answer not conforme", func(t *testing.T, dir string) {
			edit(t, dir, b2, "COND-01: {operator: conforme, client: conforme}", "COND-01: {operator: conforme, client: en-cours}")
		}, "registry/" + b2, `answered "en-cours" by the Client`},
		{"missing document", func(t *testing.T, dir string) {
			edit(t, dir, b2, "kind: matrice-raci", "kind: matrice-racy")
		}, "registry/" + b2, `requires the document "Matrice RACI (format ANS)"`},
		{"missing attestation signer", func(t *testing.T, dir string) {
			edit(t, dir, b2, "        - {party: client, role: Direction de l'établissement}\n", "")
		}, "registry/" + b2, "lacks the Client's signature"},
		{"operational without VA", func(t *testing.T, dir string) {
			edit(t, dir, b1, "  va:\n", "  vb:\n")
		}, "registry/" + b1, "REG-UNKNOWN-FIELD"},
		{"wrong VA variant", func(t *testing.T, dir string) {
			edit(t, dir, b1, "variant: segur-integration", "variant: reintegration")
		}, "registry/" + b1, "this procedure needs segur-integration"},
		{"CN is not the db name", func(t *testing.T, dir string) {
			edit(t, dir, b1, "CN=db1.test", "CN=db2.test")
		}, "registry/" + b1, "DN-CN"},
		{"DN not a DN", func(t *testing.T, dir string) {
			edit(t, dir, b1, `dn: "CN=db1.`, `dn: "nonsense,CN=db1.`)
		}, "registry/" + b1, "DN-FORMAT"},
		{"phone number as contact", func(t *testing.T, dir string) {
			edit(t, dir, b1, "support_contact: support@operateur-001.example", "support_contact: \"+33 6 12 34 56 78\"")
		}, "registry/" + b1 + ":6:18: CONTACT-MAILBOX", "looks like a phone number"},
		{"contact that reads as a person's name", func(t *testing.T, dir string) {
			edit(t, dir, b1, "support_contact: support@operateur-001.example", "support_contact: jean-pierre.martin@operateur-001.example")
		}, "registry/" + b1 + ":6:18: CONTACT-MAILBOX", "reads as a person's name"},
		{"operator contact that reads as a person's name", func(t *testing.T, dir string) {
			edit(t, dir, op1, "support: support@operateur-001.example", "support: j.dupont@operateur-001.example")
		}, "registry/" + op1, "give a functional mailbox such as support@"},
		{"named contact", func(t *testing.T, dir string) {
			edit(t, dir, op1, "support: support@operateur-001.example", "support: \"Support <support@operateur-001.example>\"")
		}, "registry/" + op1, "not a plain e-mail address"},
		{"bad SIREN", func(t *testing.T, dir string) {
			edit(t, dir, op1, `siren: "`, `siren: "1`)
		}, "registry/" + op1, "REG-SCHEMA"},
		{"switch deadline", func(t *testing.T, dir string) {
			p := filepath.Join(dir, b1)
			b, _ := os.ReadFile(p)
			b = append(b, "switches:\n  - {from: operateur-002, to: operateur-001, on: 2026-01-10, revocation_due: 2026-02-10}\n"...)
			os.WriteFile(p, b, 0o644)
		}, "registry/" + b1, "set revocation_due: 2026-01-25"},
		{"excluded without exclusion", func(t *testing.T, dir string) {
			edit(t, dir, b1, "status: operational", "status: excluded")
		}, "registry/" + b1 + ":3:9: STATUS-DETAIL", "add exclusion"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := sample(t)
			tt.mutate(t, dir)
			fs := check(t, dir)
			for _, f := range fs {
				if strings.HasPrefix(f.String(), tt.wantPrefix) && strings.Contains(f.String(), tt.contains) {
					return
				}
			}
			t.Errorf("want a finding starting %q containing %q; got:\n%v", tt.wantPrefix, tt.contains, fs)
		})
	}
}
