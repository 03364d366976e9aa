package registry

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// minimal returns the files of a small valid registry; tests change one
// file at a time.
func minimal() map[string]string {
	return map[string]string{
		"trust-space.yaml": `zone: test.mesimagesmedicales.fr
reviewers: {logins: [ans-reviewer]}
whitelist: {namespace: "https://github.com/ansforge/DRIM-M_DATA", version_format: "1.0.0", validity: 24h, max_age: 72h}
signer: {cn: Liste Blanche DRIM-M, ou: "318751275100020", o: AGENCE DU NUMERIQUE EN SANTE}
dns: {ttl: 3600, primary: ns1.test.mesimagesmedicales.fr., hostmaster: hostmaster.test.mesimagesmedicales.fr., nameservers: [ns1.test.mesimagesmedicales.fr., ns2.test.mesimagesmedicales.fr.], refresh: 3600, retry: 900, expire: 1209600, minimum: 300}
probe: {interval: 5m, timeout: 10s, concurrency: 8, slow_threshold: 2s, expiry_warning_days: 30}
switch_revocation_days: 15
`,
		"conditions.yaml": `conditions:
  - {id: COND-01, theme: Gouvernance et organisation, title: Définir le périmètre, description: RACI, answered_by: both, si_drimbox: true, applies_when: always, documents: [{kind: matrice-raci, title: Matrice RACI, template: ans-raci}], example: Une matrice RACI}
`,
		"operators/op-a/operator.yaml": `id: op-a
denomination: OPERATEUR A FICTIF
siren: "912300019"
maintainers: [op-a-ops]
contacts: {support: support@op-a.example, security: securite@op-a.example}
`,
		"operators/op-a/drimboxes/3.yaml": `identifiant: 3
operator: op-a
status: declared
funding: segur
declared_on: 2025-01-01
support_contact: support@op-a.example
endpoints: {db: gw3.op-a.example}
certificates:
  server: {dn: "CN=db3.test.mesimagesmedicales.fr,OU=312345678900017,O=CENTRE FICTIF,ST=Gironde (33),C=FR"}
pacs: []
dossier: {subcontracting: false}
`,
	}
}

func filesOf(m map[string]string) []File {
	var fs []File
	for p, s := range m {
		fs = append(fs, File{Path: p, Data: []byte(s), Size: int64(len(s))})
	}
	return fs
}

func TestFromFilesMinimalIsClean(t *testing.T) {
	r, fs, err := FromFiles("registry", filesOf(minimal()))
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) > 0 {
		t.Fatalf("findings: %v", fs)
	}
	if len(r.DRIMboxes) != 1 || r.DRIMboxes[0].DBName(r.TrustSpace.Zone) != "db3.test.mesimagesmedicales.fr" {
		t.Fatalf("unexpected registry: %+v", r.DRIMboxes)
	}
	if r.Operators["op-a"].Denomination != "OPERATEUR A FICTIF" {
		t.Fatalf("operator not read: %+v", r.Operators["op-a"])
	}
}

func TestFromFilesFindings(t *testing.T) {
	box := "operators/op-a/drimboxes/3.yaml"
	tests := []struct {
		name     string
		file     string
		content  string
		want     string // path:line:col: RULE prefix
		contains string
	}{
		{"unknown field with hint", box, strings.Replace(minimal()[box], "funding: segur", "funding: segur\nfundng: segur", 1),
			"registry/operators/op-a/drimboxes/3.yaml:5:1: REG-UNKNOWN-FIELD", `did you mean "funding"?`},
		{"nested unknown field", box, strings.Replace(minimal()[box], "{db: gw3.op-a.example}", "{db: gw3.op-a.example, vii: x.example}", 1),
			"registry/operators/op-a/drimboxes/3.yaml:7:35: REG-UNKNOWN-FIELD", `did you mean "vi"?`},
		{"wrong type", box, strings.Replace(minimal()[box], "identifiant: 3", "identifiant: trois", 1),
			"registry/operators/op-a/drimboxes/3.yaml:1:14: REG-SCHEMA", "expected integer"},
		{"identifiant zero", box, strings.Replace(minimal()[box], "identifiant: 3", "identifiant: 0", 1),
			"registry/operators/op-a/drimboxes/3.yaml:1:14: REG-SCHEMA", "must be >= 1"},
		{"identifiant negative", box, strings.Replace(minimal()[box], "identifiant: 3", "identifiant: -3", 1),
			"registry/operators/op-a/drimboxes/3.yaml:1:14: REG-SCHEMA", "must be >= 1"},
		{"identifiant hex", box, strings.Replace(minimal()[box], "identifiant: 3", "identifiant: 0x3", 1),
			"registry/operators/op-a/drimboxes/3.yaml:1:14: REG-SCHEMA", "expected integer"},
		{"missing field", box, strings.Replace(minimal()[box], "funding: segur\n", "", 1),
			"registry/operators/op-a/drimboxes/3.yaml:1:1: REG-SCHEMA", "missing required field(s) funding"},
		{"bad status", box, strings.Replace(minimal()[box], "status: declared", "status: live", 1),
			"registry/operators/op-a/drimboxes/3.yaml:3:9: REG-SCHEMA", "status"},
		{"outside layout", "operators/op-a/notes.txt", "hello", "registry/operators/op-a/notes.txt:1:1: REG-LAYOUT", "outside the registry layout"},
		{"drimbox file not a number", "operators/op-a/drimboxes/three.yaml", "a: 1", "registry/operators/op-a/drimboxes/three.yaml:1:1: REG-LAYOUT", "outside"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := minimal()
			m[tt.file] = tt.content
			_, fs, err := FromFiles("registry", filesOf(m))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range fs {
				if strings.HasPrefix(f.String(), tt.want) && strings.Contains(f.Msg, tt.contains) {
					return
				}
			}
			t.Errorf("want a finding %q containing %q; got %v", tt.want, tt.contains, fs)
		})
	}
}

func TestReadDirRefusesSymlinksAndLargeFiles(t *testing.T) {
	dir := t.TempDir()
	for p, s := range minimal() {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	outside := filepath.Join(t.TempDir(), "secret.yaml")
	if err := os.WriteFile(outside, []byte("a: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "operators/op-a/drimboxes/4.yaml")); err != nil {
		t.Fatal(err)
	}
	big := make([]byte, MaxFileSize+10)
	if err := os.WriteFile(filepath.Join(dir, "operators/op-a/drimboxes/5.yaml"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	_, fs, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var sawLink, sawBig bool
	for _, f := range fs {
		sawLink = sawLink || (strings.HasSuffix(f.Path, "4.yaml") && strings.Contains(f.Msg, "symlinks are not allowed"))
		sawBig = sawBig || (strings.HasSuffix(f.Path, "5.yaml") && f.Rule == "REG-SIZE")
	}
	if !sawLink || !sawBig {
		t.Fatalf("symlink finding %v, size finding %v; findings: %v", sawLink, sawBig, fs)
	}
}

func TestMissingGlobalRecords(t *testing.T) {
	m := minimal()
	delete(m, "conditions.yaml")
	_, fs, err := FromFiles("registry", filesOf(m))
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Path != "registry/conditions.yaml" || fs[0].Rule != "REG-LAYOUT" {
		t.Fatalf("findings = %v", fs)
	}
}

func FuzzFromFiles(f *testing.F) {
	for _, s := range minimal() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		m := minimal()
		files := filesOf(m)
		files = append(files, File{Path: "operators/op-a/drimboxes/9.yaml", Data: src, Size: int64(len(src))})
		r, fs, err := FromFiles("registry", files)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range fs {
			if x.Line < 1 || x.Col < 1 || x.Rule == "" {
				t.Fatalf("incomplete finding %+v", x)
			}
		}
		_ = r.Operational()
	})
}
