package probe

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
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

// A run written as JSON reads back the same, timings to the microsecond:
// drimm status record reads what drimm probe --save-run wrote.
func TestRunJSONRoundTrip(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	in := &Run{Start: at, End: at.Add(20 * time.Second), NetworkOK: true, Complete: true, Results: []Result{{
		ID: 4, Verdict: Degraded, Reasons: []string{ReasonSlow},
		DB: &Check{Host: "db4.test.example", OK: true, Attempts: 2, HTTP: 200, Endpoint: "ok",
			Timings: Timings{DNS: 1234 * time.Microsecond, Connect: 2 * time.Millisecond, TLS: 15 * time.Millisecond, FirstByte: 2100 * time.Millisecond, Total: 2118234 * time.Microsecond},
			Cert:    &Cert{Subject: "CN=db4", NotAfter: at.AddDate(1, 0, 0), ChainNotAfter: at.AddDate(1, 0, 0), DaysLeft: 365, Trusted: true, DNMatch: true}},
		PACS: []PACSState{{ID: "pacs-1", State: "up"}},
	}}}
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out Run
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, &out); diff != "" {
		t.Errorf("round trip (-wrote +read):\n%s", diff)
	}
}
