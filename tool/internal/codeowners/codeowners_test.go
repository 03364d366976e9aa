package codeowners

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

func load(t *testing.T, team string, reviewers []string, ops map[string][]string) *registry.Registry {
	t.Helper()
	var ts strings.Builder
	ts.WriteString("zone: test.mesimagesmedicales.fr\nreviewers:\n")
	if team != "" {
		ts.WriteString("  team: \"" + team + "\"\n")
	}
	ts.WriteString("  logins:\n")
	for _, l := range reviewers {
		ts.WriteString("    - \"" + l + "\"\n")
	}
	files := []registry.File{{Path: "trust-space.yaml", Data: []byte(ts.String())}}
	for id, ms := range ops {
		var b strings.Builder
		b.WriteString("id: " + id + "\ndenomination: X\nsiren: \"912300019\"\nmaintainers:\n")
		for _, m := range ms {
			b.WriteString("  - \"" + m + "\"\n")
		}
		b.WriteString("contacts: {support: support@x.example, security: securite@x.example}\n")
		files = append(files, registry.File{Path: "operators/" + id + "/operator.yaml", Data: []byte(b.String())})
	}
	r, _, err := registry.FromFiles("registry", files)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestGenerate(t *testing.T) {
	r := load(t, "@ans-drim-m/reviewers", []string{"ans-reviewer-alpha", "ans-reviewer-beta"}, map[string][]string{
		"beta-teleradiologie": {"beta-ops"},
		"alpha-imagerie":      {"alpha-imagerie-ops", "alpha-imagerie-bot[bot]", "ANS-Reviewer-Alpha"},
	})
	got, err := Generate(r, "registry")
	if err != nil {
		t.Fatal(err)
	}
	want := header + `
* @ans-drim-m/reviewers @ans-reviewer-alpha @ans-reviewer-beta

/registry/operators/alpha-imagerie/ @alpha-imagerie-ops @ANS-Reviewer-Alpha @ans-drim-m/reviewers @ans-reviewer-beta
/registry/operators/beta-teleradiologie/ @beta-ops @ans-drim-m/reviewers @ans-reviewer-alpha @ans-reviewer-beta
`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Fatalf("CODEOWNERS (-want +got):\n%s", diff)
	}
}

func TestGenerateRefuses(t *testing.T) {
	tests := []struct {
		name      string
		team      string
		reviewers []string
		ops       map[string][]string
		msg       string
	}{
		{"line injected through a maintainer", "", []string{"ans-a"}, map[string][]string{"alpha": {"ok\n* @intruder"}}, "is not a GitHub login"},
		{"wildcard maintainer", "", []string{"ans-a"}, map[string][]string{"alpha": {"*"}}, "is not a GitHub login"},
		{"bad team", "ans-drim-m/reviewers", []string{"ans-a"}, nil, "not a GitHub team"},
		{"only apps review", "", []string{"ans-app[bot]"}, nil, "names no ANS reviewer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Generate(load(t, tt.team, tt.reviewers, tt.ops), "registry")
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("error %v, want one with %q", err, tt.msg)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	r := load(t, "", []string{"ans-a"}, map[string][]string{"alpha": {"alpha-ops"}})
	fresh, err := Generate(r, "registry")
	if err != nil {
		t.Fatal(err)
	}
	stale := strings.Replace(string(fresh), "@alpha-ops", "@former-ops", 1)
	tests := []struct {
		name      string
		committed []byte
		line      int // 0: no finding
		msg       string
	}{
		{"fresh", fresh, 0, ""},
		{"missing", nil, 1, "has no CODEOWNERS"},
		{"stale maintainer", []byte(stale), strings.Count(header, "\n") + 4, "run 'drimm codeowners'"},
		{"edited by hand", append(append([]byte{}, fresh...), "/tool/ @someone\n"...), strings.Count(string(fresh), "\n") + 1, "does not match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Check(r, "registry", tt.committed)
			if tt.line == 0 {
				if f != nil {
					t.Fatalf("unexpected finding %v", f)
				}
				return
			}
			if f == nil {
				t.Fatal("no finding")
			}
			if f.Path != Path || f.Rule != Rule || f.Line != tt.line || !strings.Contains(f.Msg, tt.msg) {
				t.Fatalf("finding %v, want %s:%d %s with %q", f, Path, tt.line, Rule, tt.msg)
			}
		})
	}
}
