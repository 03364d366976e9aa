package plan

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/drim-m/trust-space/tool/internal/lifecycle"
	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/validation"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// now is the fixed clock of every plan.
var now = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)

const (
	baseSHA = "3333333333333333333333333333333333333333"
	headSHA = "2222222222222222222222222222222222222222"
	oldSHA  = "1111111111111111111111111111111111111111"
)

const (
	alpha = "operators/alpha-imagerie/drimboxes/"
	beta  = "operators/beta-teleradiologie/drimboxes/"
	gamma = "operators/gamma-infogerance/drimboxes/"
)

type edit func(t *testing.T, files map[string]string)

func replace(path string, pairs ...string) edit {
	return func(t *testing.T, m map[string]string) {
		t.Helper()
		for i := 0; i < len(pairs); i += 2 {
			if !strings.Contains(m[path], pairs[i]) {
				t.Fatalf("%s lacks %q", path, pairs[i])
			}
			m[path] = strings.Replace(m[path], pairs[i], pairs[i+1], 1)
		}
	}
}

func appendTo(path, text string) edit {
	return func(t *testing.T, m map[string]string) { m[path] += text }
}

func write(path, text string) edit {
	return func(t *testing.T, m map[string]string) { m[path] = text }
}

func move(from, to string) edit {
	return func(t *testing.T, m map[string]string) { m[to] = m[from]; delete(m, from) }
}

type planCase struct {
	name    string
	author  string
	edits   []edit
	files   []string
	reviews []Review
}

var cases = []planCase{
	{name: "declaration", author: "alpha-imagerie-ops", edits: []edit{write(alpha+"11.yaml", `identifiant: 11
operator: alpha-imagerie
status: declared
funding: segur
declared_on: 2026-11-30
support_contact: support@alpha-imagerie.example
endpoints:
  db: db-11.gw.alpha-imagerie.example
certificates:
  server:
    dn: "CN=db11.test.mesimagesmedicales.fr,OU=312345678900017,O=CENTRE IMAGERIE FICTIF DU PORT,ST=Gironde (33),C=FR"
pacs: []
dossier:
  subcontracting: false
`)}},
	{name: "integration-request", author: "beta-telerad-ops", edits: []edit{
		replace(beta+"6.yaml", "status: declared", "status: integrating", "dossier:\n  subcontracting: false\n",
			"dossier:\n  zed: {container: ZED-2026-000006, order: CMD-2026-000006}\n  subcontracting: false\n  answers:\n    COND-01: {operator: conforme, client: conforme}\n  documents:\n    - {condition: COND-01, kind: matrice-raci, name: COND-01_matrice-raci.csv, sha256: 806ba3d31a4af31d0b319e8cdfaaa4b19113993dd1807b4e4b7c396480683472}\n"),
	}, reviews: []Review{{"beta-telerad-ops", "COMMENTED", headSHA}}},
	{name: "aptitude-validated", author: "ans-reviewer-alpha", edits: []edit{
		replace(alpha+"3.yaml", "status: integrating", "status: operational"),
		appendTo(alpha+"3.yaml", "  va:\n    variant: segur-integration\n    document: VA_3.pdf\n    sha256: 5b1e0e5d3c7f3a0f0e6d2f1c9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b\n    issued_on: 2026-11-27\n"),
	}, reviews: []Review{{"ans-reviewer-alpha", "COMMENTED", headSHA}, {"ans-reviewer-beta", "APPROVED", headSHA}}},
	{name: "update", author: "alpha-imagerie-ops", edits: []edit{
		replace(alpha+"1.yaml",
			"sha256: abcc4a8112e912f59caea6d6afe99108d96e9e23bcf4f03dcc634c016a1eb31e", "sha256: 0d5f4c1e2b3a49687f6e5d4c3b2a19087f6e5d4c3b2a19087f6e5d4c3b2a1908",
			"serial: baf151a69d6901f7af7af0220168330e", "serial: 4e2a9b0c7d1f3e5a6b8c9d0e1f2a3b4c",
			"not_after: 2028-06-30", "not_after: 2026-12-20",
			"support_contact: support@alpha-imagerie.example", "support_contact: support-drimbox@alpha-imagerie.example",
			"    label: PACS principal\n", "    label: PACS principal\n  - id: pacs-secours\n    label: PACS de secours\n"),
	}, reviews: []Review{{"ans-reviewer-alpha", "APPROVED", oldSHA}}},
	{name: "operator-switch", author: "alpha-imagerie-ops", edits: []edit{
		move(gamma+"7.yaml", alpha+"7.yaml"),
		replace(alpha+"7.yaml", "operator: gamma-infogerance", "operator: alpha-imagerie",
			"support_contact: support@gamma-infogerance.example", "support_contact: support@alpha-imagerie.example"),
		appendTo(alpha+"7.yaml", "switches:\n  - from: gamma-infogerance\n    to: alpha-imagerie\n    on: 2026-11-28\n    revocation_due: 2026-12-13\n"+
			"    former: {dn: \"CN=db7.test.mesimagesmedicales.fr,OU=310000000000007,O=HOPITAL FICTIF DE LA PLAINE,ST=Nord (59),C=FR\", sha256: 6128ec22a306875bfd03fe6cfc3686205c2abfddcf4cc29b7d47a4f813d7134a, serial: 66e08fb0a16c95544ebb37370a06ca53, support_contact: support@gamma-infogerance.example, db: db-7.gw.gamma-infogerance.example, vi: vi-7.gw.gamma-infogerance.example}\n"),
	}},
	{name: "operator-switch-consented", author: "alpha-imagerie-ops", edits: []edit{
		move(gamma+"7.yaml", alpha+"7.yaml"),
		replace(alpha+"7.yaml", "operator: gamma-infogerance", "operator: alpha-imagerie"),
		appendTo(alpha+"7.yaml", "switches:\n  - from: gamma-infogerance\n    to: alpha-imagerie\n    on: 2026-11-28\n    revocation_due: 2026-12-13\n"+
			"    former: {dn: \"CN=db7.test.mesimagesmedicales.fr,OU=310000000000007,O=HOPITAL FICTIF DE LA PLAINE,ST=Nord (59),C=FR\", sha256: 6128ec22a306875bfd03fe6cfc3686205c2abfddcf4cc29b7d47a4f813d7134a, serial: 66e08fb0a16c95544ebb37370a06ca53, support_contact: support@gamma-infogerance.example, db: db-7.gw.gamma-infogerance.example, vi: vi-7.gw.gamma-infogerance.example}\n"),
	}, reviews: []Review{{"ans-reviewer-alpha", "APPROVED", headSHA}, {"gamma-infogerance-ops", "APPROVED", headSHA}}},
	{name: "withdrawal", author: "alpha-imagerie-ops", edits: []edit{
		replace(alpha+"2.yaml", "status: operational", "status: withdrawn"),
		appendTo(alpha+"2.yaml", "withdrawal:\n  on: 2026-11-30\n  reason: Fin de contrat du Client, DRIMbox décommissionnée\n"),
	}},
	{name: "exclusion", author: "ans-reviewer-alpha", edits: []edit{
		replace(beta+"4.yaml", "status: operational", "status: excluded"),
		appendTo(beta+"4.yaml", "exclusion:\n  on: 2026-11-30\n  reason: Certificat serveur révoqué non remplacé dans les délais\n"),
	}, reviews: []Review{{"ans-reviewer-beta", "CHANGES_REQUESTED", headSHA}}},
	{name: "reintegration-request", author: "beta-telerad-ops", edits: []edit{
		replace(beta+"5.yaml", "status: excluded", "status: reintegrating",
			"exclusion:\n", "reintegration:\n  remediation: Certificat serveur renouvelé et procédure de renouvellement revue.\n  documents:\n    - {kind: rapport-remediation, name: REINT-5.pdf, sha256: 5d41402abc4b2a76b9719d911017c592aa1b4ac5d0a3a0c6c0e0b2f1b3f4a1c2}\nexclusion:\n"),
	}},
	{name: "reintegration-accepted", author: "ans-reviewer-beta", edits: []edit{
		// The operator supplied the reintegration VA while reintegrating;
		// the ANS decides by the status change alone.
		replace(gamma+"8.yaml", "status: reintegrating", "status: operational"),
	}, reviews: []Review{{"ans-reviewer-alpha", "APPROVED", headSHA}}},
	{name: "refused", author: "beta-telerad-ops", edits: []edit{
		replace(beta+"6.yaml", "status: declared", "status: operational", "support_contact: support@beta-teleradiologie.example", "support_contact: \"*urgent* <a href=x>@everyone</a> | [lien](http://x)\""),
		replace("trust-space.yaml", "validity: 24h", "validity: 720h"),
	}, files: []string{"registry/" + beta + "6.yaml", "registry/trust-space.yaml", ".github/workflows/publish.yml", "tool/internal/validation/validation.go"}},
}

func loadBase(t *testing.T) []registry.File {
	t.Helper()
	files, err := registry.ReadDir(filepath.Join("testdata", "registry"))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func makeCase(t *testing.T, tc planCase) *Plan {
	t.Helper()
	base := loadBase(t)
	m := map[string]string{}
	for _, f := range base {
		m[f.Path] = string(f.Data)
	}
	for _, e := range tc.edits {
		e(t, m)
	}
	var head []registry.File
	for p, s := range m {
		head = append(head, registry.File{Path: p, Data: []byte(s)})
	}
	br, fs, err := registry.FromFiles("registry", base)
	if err != nil || len(fs) > 0 {
		t.Fatalf("base registry: %v %v", err, fs)
	}
	hr, findings, err := registry.FromFiles("registry", head)
	if err != nil {
		t.Fatal(err)
	}
	ch := &lifecycle.Change{Base: br, Head: hr, BaseFiles: base, HeadFiles: head, Author: tc.author, Now: now}
	findings = append(findings, validation.Check(hr)...)
	findings = append(findings, ch.Check()...)
	registry.SortFindings(findings)
	return Make(Input{Change: ch, Now: now, BaseSHA: baseSHA, HeadSHA: headSHA, Files: tc.files, RegistryDir: "registry",
		Findings: findings, Reviews: tc.reviews, ReviewsKnown: tc.reviews != nil})
}

// TestGolden renders the plan of a sample pull request of each procedure;
// refresh the files with go test ./tool/internal/plan -update.
func TestGolden(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := makeCase(t, tc).Markdown(&b); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden", tc.name+".md")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), b.String()); diff != "" {
				t.Fatalf("plan differs from %s (-want +got):\n%s", golden, diff)
			}
		})
	}
}
