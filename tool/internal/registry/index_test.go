package registry

import (
	"bytes"
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

// sameIndex is the differential property of the index reader: when it
// reads a record, the YAML parser finds the record well-formed and the
// full reader reads the same index fields. It tells whether the reader
// read the record. The reader reads a copy of data, which is scribbled
// over once it returns, as the blob buffers it reads are reused: an index
// that kept a view of its input would then differ.
func sameIndex(t *testing.T, name string, data []byte) bool {
	t.Helper()
	buf := bytes.Clone(data)
	got, ok := indexRecord(buf)
	if !ok {
		return false
	}
	scribble(buf)
	if _, fs := parseYAML(name, data); len(fs) > 0 {
		t.Fatalf("%s: the index reader reads a record the YAML parser refuses (%v):\n%s", name, fs, data)
	}
	r, _, err := FromFiles("", []File{{Path: "operators/op/drimboxes/" + name, Data: data}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.DRIMboxes) != 1 {
		// The record parses but does not decode (a field of the wrong
		// type elsewhere): the schema refuses it, and there is no
		// index to compare.
		return true
	}
	got.indexed = false
	if diff := cmp.Diff(indexOf(r.DRIMboxes[0]), got, cmp.AllowUnexported(DRIMbox{})); diff != "" {
		t.Fatalf("%s: the index reader reads (-full +index):\n%s\n%s", name, diff, data)
	}
	return true
}

// scribble overwrites a buffer the way reuse would.
func scribble(b []byte) {
	for i := range b {
		b[i] = '#'
	}
}

// TestIndexRecordKeepsNoViewOfItsInput: the index of a record whose
// buffer is overwritten after the call equals that of a fresh copy.
func TestIndexRecordKeepsNoViewOfItsInput(t *testing.T) {
	paths, err := filepath.Glob("../../testdata/registry/operators/*/drimboxes/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no sample records: %v", err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		buf := bytes.Clone(data)
		got, ok := indexRecord(buf)
		if !ok {
			t.Fatalf("%s: the index reader declined a sample record", p)
		}
		scribble(buf)
		want, ok := indexRecord(bytes.Clone(data))
		if !ok {
			t.Fatalf("%s: the index reader declined a fresh copy", p)
		}
		if want.Operator == "" || want.Certificates.Server.DN == "" {
			t.Fatalf("%s: a sample record without the fields this test watches: %+v", p, want)
		}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(DRIMbox{})); diff != "" {
			t.Fatalf("%s: overwriting the input changed the index (-fresh +overwritten):\n%s", p, diff)
		}
	}
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
