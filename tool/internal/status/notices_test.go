package status

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const goodNotice = `kind: incident
title: Panne du PACS d'imagerie en coupe
author: beta-teleradiologie
drimboxes: [4]
impact: minor
start: 2026-03-02T08:00:00Z
end: "2026-03-02T10:30:00+01:00"
updates:
  - time: 2026-03-02T08:10:00Z
    state: investigating
    text: Le PACS ne répond plus aux requêtes DICOM ; les équipes de l'opérateur analysent la panne.
  - time: 2026-03-02T09:30:00Z
    state: resolved
    text: Service rétabli après redémarrage du PACS.
`

func writeNotices(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadNotices(t *testing.T) {
	dir := writeNotices(t, map[string]string{"2026-03-02-panne-pacs.yaml": goodNotice})
	notices, findings, err := LoadNotices(dir, "status/notices", func(id int) bool { return id == 4 })
	if err != nil || len(findings) != 0 {
		t.Fatalf("err %v, findings %v", err, findings)
	}
	n := notices[0]
	if n.Kind != "incident" || !n.End.Equal(time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)) || len(n.Updates) != 2 || !n.Concerns(4) || n.Concerns(5) {
		t.Errorf("notice = %+v", n)
	}
}

func TestValidateNotices(t *testing.T) {
	cases := []struct {
		name, file, body string
		want             []string // path:line:col: rule
	}{
		{"bad name", "panne.yaml", goodNotice, []string{"status/notices/panne.yaml:1:1: NOTICE-NAME"}},
		{"name not the start day", "2026-03-01-panne.yaml", goodNotice, []string{"status/notices/2026-03-01-panne.yaml:1:1: NOTICE-NAME"}},
		{"unknown field", "2026-03-02-a.yaml", goodNotice + "severity: high\n", []string{"status/notices/2026-03-02-a.yaml:15:1: NOTICE-SCHEMA"}},
		{"bad kind", "2026-03-02-a.yaml", strings.ReplaceAll(goodNotice, "kind: incident", "kind: outage"), []string{"status/notices/2026-03-02-a.yaml:1:7: NOTICE-SCHEMA"}},
		{"maintenance without end", "2026-03-02-a.yaml", strings.ReplaceAll(strings.ReplaceAll(goodNotice, "kind: incident", "kind: maintenance"), "end: \"2026-03-02T10:30:00+01:00\"\n", ""), []string{"status/notices/2026-03-02-a.yaml:1:1: NOTICE-SCHEMA"}},
		{"end before start", "2026-03-02-a.yaml", strings.ReplaceAll(goodNotice, "2026-03-02T10:30:00+01:00", "2026-03-02T07:00:00Z"), []string{"status/notices/2026-03-02-a.yaml:7:6: NOTICE-DATES"}},
		{"unknown DRIMbox", "2026-03-02-a.yaml", strings.ReplaceAll(goodNotice, "[4]", "[4, 99]"), []string{"status/notices/2026-03-02-a.yaml:4:16: NOTICE-DRIMBOX"}},
		{"malformed", "2026-03-02-a.yaml", "kind: [\n", []string{"status/notices/2026-03-02-a.yaml:1:1: NOTICE-YAML"}},
		{"control character in the title", "2026-03-02-a.yaml", strings.ReplaceAll(goodNotice, "title: Panne du PACS d'imagerie en coupe", `title: "Panne\u001b[2J du PACS"`), []string{"status/notices/2026-03-02-a.yaml:2:8: NOTICE-SCHEMA"}},
		{"binary text", "2026-03-02-a.yaml", strings.ReplaceAll(goodNotice, "text: Service rétabli après redémarrage du PACS.", "text: !!binary U2VydmljZQc="), []string{"status/notices/2026-03-02-a.yaml:14:11: NOTICE-YAML"}},
		{"alias", "2026-03-02-a.yaml", strings.ReplaceAll(goodNotice, "title: Panne", "title: &t Panne"), []string{"status/notices/2026-03-02-a.yaml:2:8: NOTICE-YAML"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeNotices(t, map[string]string{tc.file: tc.body})
			findings, err := ValidateNotices(dir, "status/notices", func(id int) bool { return id == 4 })
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range findings {
				s := f.String()
				got = append(got, s[:len(s)-len(f.Msg)-2])
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s\n%v", diff, findings)
			}
		})
	}
}

func TestValidateNoticesMissingDir(t *testing.T) {
	findings, err := ValidateNotices(filepath.Join(t.TempDir(), "none"), "status/notices", nil)
	if err != nil || findings != nil {
		t.Errorf("missing dir: %v %v", findings, err)
	}
}
