package fetch

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

func TestFetchWritesTheVerifiedEntries(t *testing.T) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	schema, err := c.Compile(filepath.Join("..", "..", "..", "..", "schemas", "liste-blanche-entries.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	fx := newFixture(t)
	entriesPath := filepath.Join(fx.dir, EntriesFile)
	fx.srv.serve(fx.list(t, t0, 3, nil))
	if res := fx.run(t, t0.Add(time.Hour)); res.Status != Updated {
		t.Fatalf("first fetch: %+v", res)
	}
	raw, err := os.ReadFile(entriesPath)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(doc); err != nil {
		t.Fatalf("%s does not follow its schema: %v\n%s", EntriesFile, err, raw)
	}
	got, err := ReadEntries(entriesPath)
	if err != nil {
		t.Fatal(err)
	}
	var want []Entry
	for i := 1; i <= 3; i++ {
		id := strconv.Itoa(i)
		want = append(want, Entry{ID: i, DB: "db" + id + ".test.mesimagesmedicales.fr", Denomination: "OPERATEUR FICTIF " + id,
			CertDN: "CN=db" + id + ".test.mesimagesmedicales.fr,C=FR", SupportContact: "support@operateur.example", Updated: t0})
	}
	if diff := cmp.Diff(want, got.Entries); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	if !got.Generated.Equal(t0) || got.SignerSubject != fx.pki.Signer.Cert.Subject.String() || len(got.ContentSHA256) != 64 {
		t.Errorf("what the entries say of the list: %+v", got)
	}

	// A list refused leaves the entries of the list held.
	fx.srv.serve(bytes.Replace(fx.list(t, t0.Add(2*time.Hour), 4, nil), []byte("OPERATEUR FICTIF 2"), []byte("OPERATEUR PIRATE 2"), 1))
	if res := fx.run(t, t0.Add(3*time.Hour)); res.Status != Kept {
		t.Fatalf("tampered list: %+v", res)
	}
	if after, _ := os.ReadFile(entriesPath); !bytes.Equal(after, raw) {
		t.Fatal("a refused list changed the entries")
	}

	// A folder without entries (kept by an older drimm) gets them from
	// the list served again, verified again; the list held does not
	// become its own previous one.
	fx.srv.serve(fx.list(t, t0, 3, nil))
	if err := os.Remove(entriesPath); err != nil {
		t.Fatal(err)
	}
	res := fx.run(t, t0.Add(4*time.Hour))
	if res.Status != Updated {
		t.Fatalf("a folder without entries: %+v", res)
	}
	if again, err := os.ReadFile(entriesPath); err != nil || !bytes.Equal(again, raw) {
		t.Fatalf("entries written again differ: %v", err)
	}
	if _, err := os.Stat(filepath.Join(fx.dir, PreviousFile)); !os.IsNotExist(err) {
		t.Fatalf("the list held became its own previous one: %v", err)
	}

	// A file of another format is not read as a list.
	bad := filepath.Join(t.TempDir(), "entries.json")
	os.WriteFile(bad, []byte(`{"format":"autre","date_de_generation":"2026-06-19T18:00:00Z","entries":[]}`), 0o644)
	if _, err := ReadEntries(bad); err == nil {
		t.Fatal("an entries file of another format was read")
	}
}
