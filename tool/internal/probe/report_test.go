package probe

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

func statusSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	s, err := c.Compile(filepath.Join("..", "..", "..", "schemas", "probe-status.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func schemaAccepts(s *jsonschema.Schema, data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return false
	}
	if dec.More() {
		return false
	}
	return s.Validate(v) == nil
}

// TestReportExamples checks that the Go parser and the published JSON
// Schema agree on every example.
func TestReportExamples(t *testing.T) {
	s := statusSchema(t)
	files, _ := filepath.Glob("testdata/status/*.json")
	if len(files) == 0 {
		t.Fatal("no examples")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want := strings.HasPrefix(filepath.Base(f), "valid-")
		_, perr := ParseReport(data)
		if (perr == nil) != want {
			t.Errorf("%s: parser accepted=%v, want %v (%v)", f, perr == nil, want, perr)
		}
		if got := schemaAccepts(s, data); got != want {
			t.Errorf("%s: schema accepted=%v, want %v", f, got, want)
		}
	}
}

func TestReportRefusesDuplicateIDs(t *testing.T) {
	_, err := ParseReport([]byte(`{"version":"1","pacs":[{"id":"a","state":"up"},{"id":"a","state":"down"}]}`))
	if err == nil || !strings.Contains(err.Error(), "listed twice") {
		t.Errorf("err = %v, want listed twice", err)
	}
}

// FuzzParseReport feeds the parser what a hostile DRIMbox could serve: it
// must never panic, and what it accepts the schema accepts too and holds
// only what the contract allows.
func FuzzParseReport(f *testing.F) {
	files, _ := filepath.Glob("testdata/status/*.json")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	s := statusSchema(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseReport(data)
		if err != nil {
			return
		}
		if !schemaAccepts(s, data) {
			t.Errorf("parser accepted what the schema refuses: %q", data)
		}
		if len(r.PACS) > maxReportedPACS {
			t.Errorf("%d PACS accepted", len(r.PACS))
		}
		for _, p := range r.PACS {
			if p.check() != nil {
				t.Errorf("accepted PACS %+v fails its own check", p)
			}
		}
	})
}
