package registry

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// indexOf is what the scanner must find: the index fields of a record
// read in full.
func indexOf(d *DRIMbox) *DRIMbox {
	x := &DRIMbox{Identifiant: d.Identifiant, Operator: d.Operator, Status: d.Status, SupportContact: d.SupportContact, Endpoints: d.Endpoints}
	x.Certificates.Server.DN, x.Certificates.Server.SHA256, x.Certificates.Server.Serial = d.Certificates.Server.DN, d.Certificates.Server.SHA256, d.Certificates.Server.Serial
	x.Dossier.ZED = d.Dossier.ZED
	return x
}

// sameIndex checks that the scanner, when it reads a record, reads what
// the full reader reads.
func sameIndex(t *testing.T, name string, data []byte) bool {
	t.Helper()
	r, fs, err := FromFiles("", []File{{Path: "operators/op/drimboxes/" + name, Data: data}})
	if err != nil || len(r.DRIMboxes) != 1 || hasRecordFinding(fs) {
		return false
	}
	got, ok := indexRecord(data)
	if !ok {
		return false
	}
	got.indexed = false
	if diff := cmp.Diff(indexOf(r.DRIMboxes[0]), got, cmp.AllowUnexported(DRIMbox{})); diff != "" {
		t.Fatalf("%s: the scanner reads (-full +scanner):\n%s", name, diff)
	}
	return true
}

func hasRecordFinding(fs []Finding) bool {
	for _, f := range fs {
		if f.Rule != "REG-LAYOUT" {
			return true
		}
	}
	return false
}

func TestIndexRecordReadsWhatTheParserReads(t *testing.T) {
	paths, err := filepath.Glob("../../testdata/registry/operators/*/drimboxes/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no sample records: %v", err)
	}
	read := 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if sameIndex(t, filepath.Base(p), data) {
			read++
		}
	}
	if read != len(paths) {
		t.Fatalf("the scanner read %d of the %d sample records; it must read the block style drimm writes", read, len(paths))
	}
}

func TestIndexRecordGivesUp(t *testing.T) {
	base := "identifiant: 3\noperator: op-a\nstatus: operational\nsupport_contact: support@op-a.example\nendpoints:\n  db: gw3.op-a.example\n"
	for name, src := range map[string]string{
		"flow endpoints":     strings.Replace(base, "endpoints:\n  db: gw3.op-a.example\n", "endpoints: {db: gw3.op-a.example}\n", 1),
		"escape":             strings.Replace(base, "support_contact: support@op-a.example", `support_contact: "support\u0040op-a.example"`, 1),
		"comment beside":     strings.Replace(base, "status: operational", "status: operational # x", 1),
		"quoted key":         strings.Replace(base, "status:", `"status":`, 1),
		"identifiant as 003": strings.Replace(base, "identifiant: 3", "identifiant: 003", 1),
		"identifiant quoted": strings.Replace(base, "identifiant: 3", `identifiant: "3"`, 1),
		"multi-line value":   strings.Replace(base, "status: operational", "status: oper\n  ational", 1),
		"block scalar":       strings.Replace(base, "status: operational", "status: |\n  operational", 1),
		"two documents":      base + "---\n" + base,
		"typed plain value":  strings.Replace(base, "operator: op-a", "operator: null", 1),
		"anchor":             strings.Replace(base, "operator: op-a", "operator: &x op-a", 1),
		"tag":                strings.Replace(base, "operator: op-a", "operator: !!str op-a", 1),
		"no identifiant":     strings.Replace(base, "identifiant: 3\n", "", 1),
	} {
		t.Run(name, func(t *testing.T) {
			if _, ok := indexRecord([]byte(src)); ok {
				t.Fatalf("the scanner read %q", src)
			}
		})
	}
	if _, ok := indexRecord([]byte(base)); !ok {
		t.Fatal("the scanner does not read the plain record")
	}
}

func FuzzIndexRecord(f *testing.F) {
	paths, _ := filepath.Glob("../../testdata/registry/operators/*/drimboxes/*.yaml")
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sameIndex(t, "1.yaml", data)
	})
}

// TestFromChange: a record the change leaves alone is indexed and shared;
// one it changes, or whose operator or settings it changes, is read in full.
func TestFromChange(t *testing.T) {
	base := minimal()
	rec := func(id, op, container string) string {
		return "identifiant: " + id + "\noperator: " + op + "\nstatus: declared\nfunding: segur\ndeclared_on: 2025-01-01\nsupport_contact: support@" + op + ".example\nendpoints:\n  db: gw" + id + "." + op + ".example\ncertificates:\n  server:\n    dn: \"CN=db" + id + ".test.mesimagesmedicales.fr,OU=312345678900017,O=CENTRE FICTIF,C=FR\"\npacs: []\ndossier:\n  zed:\n    container: " + container + "\n    order: CMD-2025-00" + id + "\n  subcontracting: false\n"
	}
	var ops []string
	for p := range base {
		if op, ok := strings.CutSuffix(strings.TrimPrefix(p, "operators/"), "/operator.yaml"); ok && strings.HasPrefix(p, "operators/") {
			ops = append(ops, op)
		}
	}
	if len(ops) == 0 {
		t.Fatal("the minimal registry has no operator")
	}
	op := ops[0]
	base[DRIMboxPath(op, 21)] = rec("21", op, "ZED-2025-0021")
	base[DRIMboxPath(op, 22)] = rec("22", op, "ZED-2025-0022")
	head := maps.Clone(base)
	head[DRIMboxPath(op, 22)] = rec("22", op, "ZED-2025-0021")
	b, h, fs, err := FromChange("registry", filesOf(base), filesOf(head))
	if err != nil || hasRecordFinding(fs) {
		t.Fatalf("FromChange: %v %v", err, fs)
	}
	d21, d22 := h.DRIMbox(21), h.DRIMbox(22)
	if d21 == nil || !d21.Indexed() || b.DRIMbox(21) != d21 || d21.Dossier.ZED.Container != "ZED-2025-0021" {
		t.Fatalf("unchanged record: %+v", d21)
	}
	if d22 == nil || d22.Indexed() || d22.Dossier.ZED.Container != "ZED-2025-0021" {
		t.Fatalf("changed record: %+v", d22)
	}
	if line, _ := d21.Source.Pos("dossier", "zed", "container"); line != 15 {
		t.Fatalf("an indexed record's positions come from its bytes: line %d", line)
	}
	head[OperatorPath(op)] = strings.Replace(head[OperatorPath(op)], "support@", "aide@", 1)
	_, h, _, err = FromChange("registry", filesOf(base), filesOf(head))
	if err != nil || h.DRIMbox(21).Indexed() {
		t.Fatalf("a record whose operator changes is read in full: %v", err)
	}
	head = maps.Clone(base)
	head["trust-space.yaml"] += "\n"
	_, h, _, err = FromChange("registry", filesOf(base), filesOf(head))
	if err != nil || h.DRIMbox(21).Indexed() {
		t.Fatalf("records are read in full when the settings change: %v", err)
	}
}
