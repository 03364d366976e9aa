package site

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

func compileSchema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	s, err := c.Compile(filepath.Join("..", "..", "..", "schemas", name))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func decodeJSON(t *testing.T, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestJSONMatchesSchemas validates the built status.json and every
// per-DRIMbox JSON against the schemas published in schemas/, and checks
// that the schemas refuse what they should.
func TestJSONMatchesSchemas(t *testing.T) {
	out := buildFixture(t)
	statusSchema := compileSchema(t, "meteo-status.schema.json")
	boxSchema := compileSchema(t, "meteo-drimbox.schema.json")
	data, err := os.ReadFile(filepath.Join(out, "status.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := statusSchema.Validate(decodeJSON(t, data)); err != nil {
		t.Errorf("status.json: %v", err)
	}
	data, err = os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := compileSchema(t, "meteo-summary.schema.json").Validate(decodeJSON(t, data)); err != nil {
		t.Errorf("summary.json: %v", err)
	}
	if len(data) > 8<<10 {
		t.Errorf("summary.json of four DRIMboxes is %d bytes", len(data))
	}
	files, _ := filepath.Glob(filepath.Join(out, "api", "drimbox", "*.json"))
	if len(files) != 4 {
		t.Fatalf("found %d per-DRIMbox JSON files, want 4", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := boxSchema.Validate(decodeJSON(t, data)); err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
		}
	}
	data, err = os.ReadFile(filepath.Join(out, "api", "drimbox", "3.json"))
	if err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string]string{
		"unknown verdict":     strings.Replace(string(data), `"verdict":"down"`, `"verdict":"sunny"`, 1),
		"unknown window":      strings.Replace(string(data), `"uptime":{`, `"uptime":{"1y":0.5,`, 1),
		"ratio above 1":       regexp.MustCompile(`"availability":[0-9.]+`).ReplaceAllString(string(data), `"availability":1.5`),
		"undocumented member": strings.Replace(string(data), `{"id":3,`, `{"id":3,"secret":1,`, 1),
	} {
		if bad == string(data) {
			t.Fatalf("%s: the test's edit did not apply", name)
		}
		err := boxSchema.Validate(decodeJSON(t, []byte(bad)))
		if err == nil {
			t.Errorf("%s: the schema accepts it", name)
		}
	}
}
