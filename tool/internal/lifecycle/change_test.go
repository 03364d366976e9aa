package lifecycle

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/synth"
)

const catalogue = "../../testdata/registry/conditions.yaml"

// baseFiles returns a registry of two operators and six DRIMboxes, one per
// status but withdrawn's neighbour: 1 operational, 2 integrating,
// 3 declared, 4 excluded, 5 withdrawn, 6 operational (operator 2 owns even ids).
func baseFiles(t *testing.T) []registry.File {
	t.Helper()
	conds, err := registry.LoadConditions(catalogue)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(catalogue)
	dir := filepath.Join(t.TempDir(), "registry")
	st := []registry.Status{registry.StatusOperational, registry.StatusIntegrating, registry.StatusDeclared, registry.StatusExcluded, registry.StatusWithdrawn, registry.StatusOperational}
	if err := synth.Write(dir, synth.Options{Operators: 2, DRIMboxes: len(st), Conditions: conds, ConditionsYAML: raw, Status: func(i int) registry.Status { return st[i] }}); err != nil {
		t.Fatal(err)
	}
	files, err := registry.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

type edit func(files map[string]string)

func replace(path, old, new string) edit {
	return func(m map[string]string) {
		if !strings.Contains(m[path], old) {
			panic(path + " lacks " + old)
		}
		m[path] = strings.Replace(m[path], old, new, 1)
	}
}

func move(from, to string) edit {
	return func(m map[string]string) { m[to] = m[from]; delete(m, from) }
}

func run(t *testing.T, author string, edits ...edit) []registry.Finding {
	t.Helper()
	return runOn(t, author, nil, edits)
}

// runOn checks the change that edits makes to the registry that baseEdits
// makes of the synthetic one.
func runOn(t *testing.T, author string, baseEdits, edits []edit) []registry.Finding {
	t.Helper()
	files := func(m map[string]string) []registry.File {
		var out []registry.File
		for p, s := range m {
			out = append(out, registry.File{Path: p, Data: []byte(s)})
		}
		return out
	}
	m := map[string]string{}
	for _, f := range baseFiles(t) {
		m[f.Path] = string(f.Data)
	}
	for _, e := range baseEdits {
		e(m)
	}
	base := files(m)
	for _, e := range edits {
		e(m)
	}
	head := files(m)
	br, fs, err := registry.FromFiles("registry", base)
	if err != nil || len(fs) > 0 {
		t.Fatalf("base: %v %v", err, fs)
	}
	hr, _, err := registry.FromFiles("registry", head)
	if err != nil {
		t.Fatal(err)
	}
	c := &Change{Base: br, Head: hr, BaseFiles: base, HeadFiles: head, Author: author, Now: testNow}
	return c.Check()
}

const (
	op1      = "operateur-001-bot"
	op2      = "operateur-002-bot"
	reviewer = "ans-reviewer-alpha"
	b1       = "operators/operateur-001/drimboxes/1.yaml"
	b2       = "operators/operateur-002/drimboxes/2.yaml"
	b3       = "operators/operateur-001/drimboxes/3.yaml"
	b4       = "operators/operateur-002/drimboxes/4.yaml"
	b5       = "operators/operateur-001/drimboxes/5.yaml"
)

func TestChangeRules(t *testing.T) {
	tests := []struct {
		name   string
		author string
		edits  []edit
		want   string // "" for no finding; else "path:line:col: RULE" prefix
		msg    string
	}{
		{"update by own maintainer", op1, []edit{replace(b1, "label: PACS principal", "label: PACS de secours")}, "", ""},
		{"update by another operator", op2, []edit{replace(b1, "label: PACS principal", "label: PACS de secours")},
			"registry/" + b1 + ":2:11: CHG-AUTHOR", "not a maintainer of operator operateur-001"},
		{"unknown author", "someone-else", []edit{replace(b1, "label: PACS principal", "label: X")}, "registry/" + b1 + ":2:11: CHG-AUTHOR", ""},
		{"forbidden status change", op1, []edit{replace(b3, "status: declared", "status: operational")},
			"registry/" + b3 + ":3:9: CHG-STATUS", "status declared cannot become operational; allowed next statuses: integrating, withdrawn"},
		{"aptitude by operator", op2, []edit{replace(b2, "status: integrating", "status: operational")},
			"registry/" + b2 + ":3:9: CHG-STATUS", "aptitude validated (integrating → operational) is decided by ANS reviewers only"},
		{"aptitude by ANS", reviewer, []edit{replace(b2, "status: integrating", "status: operational")}, "", ""},
		{"exclusion by operator", op2, []edit{replace("operators/operateur-002/drimboxes/6.yaml", "status: operational", "status: excluded")},
			"registry/operators/operateur-002/drimboxes/6.yaml:3:9: CHG-STATUS", "decided by ANS reviewers only"},
		{"integration request", op1, []edit{replace(b3, "status: declared", "status: integrating")}, "", ""},
		{"withdrawal by operator", op1, []edit{replace(b1, "status: operational", "status: withdrawn")}, "", ""},
		{"reintegration request", op2, []edit{replace(b4, "status: excluded", "status: reintegrating")}, "", ""},
		{"withdrawn is final", reviewer, []edit{replace(b5, "status: withdrawn", "status: declared")},
			"registry/" + b5 + ":3:9: CHG-WITHDRAWN", "a withdrawal is final"},
		{"deleted record", reviewer, []edit{func(m map[string]string) { delete(m, b3) }},
			"registry/" + b3 + ":1:1: CHG-DELETE", "set status: withdrawn instead"},
		{"identifiant changed", reviewer, []edit{replace(b3, "identifiant: 3", "identifiant: 30")},
			"registry/" + b3 + ":1:14: CHG-ID", "Identifiant changed from 3 to 30"},
		{"new record must be declared", op1, []edit{func(m map[string]string) {
			m["operators/operateur-001/drimboxes/7.yaml"] = strings.NewReplacer("identifiant: 3", "identifiant: 7", "status: declared", "status: operational").Replace(m[b3])
		}}, "registry/operators/operateur-001/drimboxes/7.yaml:3:9: CHG-STATUS", "a new DRIMbox cannot become operational"},
		{"new declared record", op1, []edit{func(m map[string]string) {
			m["operators/operateur-001/drimboxes/7.yaml"] = strings.NewReplacer("identifiant: 3", "identifiant: 7").Replace(m[b3])
		}}, "", ""},
		{"trust space by operator", op1, []edit{replace("trust-space.yaml", "validity: 24h", "validity: 48h")},
			"registry/trust-space.yaml:1:1: CHG-AUTHOR", "only ANS reviewers change it"},
		{"maintainers by operator", op1, []edit{replace("operators/operateur-001/operator.yaml", "maintainers: [operateur-001-bot]", "maintainers: [operateur-001-bot, intruder]")},
			"registry/operators/operateur-001/operator.yaml:4:14: CHG-ANS-FIELD", "maintainers are changed by ANS reviewers only"},
		{"new operator by operator", op1, []edit{func(m map[string]string) {
			m["operators/operateur-009/operator.yaml"] = strings.ReplaceAll(m["operators/operateur-001/operator.yaml"], "operateur-001", "operateur-009")
		}}, "registry/operators/operateur-009/operator.yaml:1:1: CHG-AUTHOR", "a new operator is registered by ANS reviewers only"},
		{"VA by operator", op1, []edit{replace(b1, "issued_on: 2025-09-15", "issued_on: 2025-09-16")},
			"registry/" + b1, "revert dossier.va"},
		{"switch without record", op2, []edit{move(b1, "operators/operateur-002/drimboxes/1.yaml"), replace("operators/operateur-002/drimboxes/1.yaml", "operator: operateur-001", "operator: operateur-002")},
			"registry/operators/operateur-002/drimboxes/1.yaml:2:11: CHG-SWITCH", "append to switches an entry {from: operateur-001, to: operateur-002"},
		{"switch recorded by new operator", op2, []edit{
			move(b1, "operators/operateur-002/drimboxes/1.yaml"),
			replace("operators/operateur-002/drimboxes/1.yaml", "operator: operateur-001", "operator: operateur-002"),
			appendSwitch("operators/operateur-002/drimboxes/1.yaml", "operateur-001", "operateur-002", "2026-11-20", "")}, "", ""},
		{"switch by former operator", op1, []edit{
			move(b1, "operators/operateur-002/drimboxes/1.yaml"),
			replace("operators/operateur-002/drimboxes/1.yaml", "operator: operateur-001", "operator: operateur-002"),
			appendSwitch("operators/operateur-002/drimboxes/1.yaml", "operateur-001", "operateur-002", "2026-11-20", "")}, "registry/operators/operateur-002/drimboxes/1.yaml:2:11: CHG-AUTHOR", "not a maintainer of operator operateur-002"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := run(t, tt.author, tt.edits...)
			if tt.want == "" {
				if len(fs) > 0 {
					t.Fatalf("unexpected findings: %v", fs)
				}
				return
			}
			for _, f := range fs {
				if strings.HasPrefix(f.String(), tt.want) && strings.Contains(f.Msg, tt.msg) {
					return
				}
			}
			t.Fatalf("want %q with %q; got %v", tt.want, tt.msg, fs)
		})
	}
}

func TestBoxesNamesProcedures(t *testing.T) {
	base := baseFiles(t)
	m := map[string]string{}
	for _, f := range base {
		m[f.Path] = string(f.Data)
	}
	replace(b2, "status: integrating", "status: operational")(m)
	replace(b3, "status: declared", "status: integrating")(m)
	var head []registry.File
	for p, s := range m {
		head = append(head, registry.File{Path: p, Data: []byte(s)})
	}
	br, _, _ := registry.FromFiles("registry", base)
	hr, _, _ := registry.FromFiles("registry", head)
	got := (&Change{Base: br, Head: hr, BaseFiles: base, HeadFiles: head}).Boxes()
	if len(got) != 2 || got[0].Procedure != AptitudeValidated || got[1].Procedure != IntegrationRequest {
		t.Fatalf("Boxes() = %+v", got)
	}
}

// TestUnreadableRecord: a record the head holds but that cannot be read
// has its own finding from the registry; the change rules do not call it
// deleted as well.
func TestUnreadableRecord(t *testing.T) {
	for name, e := range map[string]edit{
		"malformed YAML":  replace(b3, "status: declared", "status: [declared"),
		"does not decode": replace(b3, "status: declared", "status: declared\nswitches: 5"),
		"deleted":         func(m map[string]string) { delete(m, b3) },
	} {
		t.Run(name, func(t *testing.T) {
			deleted := false
			for _, f := range run(t, op1, e) {
				deleted = deleted || f.Rule == "CHG-DELETE"
			}
			if want := name == "deleted"; deleted != want {
				t.Fatalf("CHG-DELETE reported: %v, want %v", deleted, want)
			}
		})
	}
}
