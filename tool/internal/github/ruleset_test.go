package github

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// liveRuleset is a shipped ruleset as GitHub would return it once
// applied: the App's id in place of 0, and the defaults GitHub adds.
func liveRuleset(t *testing.T, file string, edit func(map[string]any)) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), ".github", "rulesets", file))
	if err != nil {
		t.Fatal(err)
	}
	data = []byte(strings.ReplaceAll(string(data), `"actor_id": 0`, `"actor_id": 1234567`))
	var rs map[string]any
	if err := json.Unmarshal(data, &rs); err != nil {
		t.Fatal(err)
	}
	rs["current_user_can_bypass"] = "never"
	for _, r := range rs["rules"].([]any) {
		if p, ok := r.(map[string]any)["parameters"].(map[string]any); ok {
			p["automatic_copilot_code_review_enabled"] = false
		}
	}
	if edit != nil {
		edit(rs)
	}
	return rs
}

func shipped(t *testing.T, file string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), ".github", "rulesets", file))
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.ReplaceAll(string(data), `"actor_id": 0`, `"actor_id": 1234567`))
}

func rule(rs map[string]any, typ string) map[string]any {
	for _, r := range rs["rules"].([]any) {
		if r.(map[string]any)["type"] == typ {
			return r.(map[string]any)
		}
	}
	return nil
}

// TestRulesetDrift reads the live rulesets from the fake API and
// compares them with the shipped JSON: what GitHub adds is not drift;
// a check any app may report, a dropped check, a new bypass, a disabled
// ruleset are.
func TestRulesetDrift(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(map[string]any)
		want []string
	}{
		{"as shipped", nil, nil},
		{"a check from any app", func(rs map[string]any) {
			checks := rule(rs, "required_status_checks")["parameters"].(map[string]any)["required_status_checks"].([]any)
			delete(checks[0].(map[string]any), "integration_id")
		}, []string{"rules[required_status_checks].parameters.required_status_checks[registry].integration_id: missing live, want 15368"}},
		{"a check dropped", func(rs map[string]any) {
			p := rule(rs, "required_status_checks")["parameters"].(map[string]any)
			p["required_status_checks"] = p["required_status_checks"].([]any)[:2]
		}, []string{`rules[required_status_checks].parameters.required_status_checks[tests]: missing live, want {"context":"tests","integration_id":15368}`}},
		{"another bypass", func(rs map[string]any) {
			rs["bypass_actors"] = append(rs["bypass_actors"].([]any), map[string]any{"actor_id": 5, "actor_type": "RepositoryRole", "bypass_mode": "always"})
		}, []string{`bypass_actors[RepositoryRole 5]: live has {"actor_id":5,"actor_type":"RepositoryRole","bypass_mode":"always"}, which the shipped ruleset does not`}},
		{"evaluate only", func(rs map[string]any) { rs["enforcement"] = "evaluate" }, []string{`enforcement: live "evaluate", want "active"`}},
		{"one approval fewer", func(rs map[string]any) {
			rule(rs, "pull_request")["parameters"].(map[string]any)["required_approving_review_count"] = 0
		}, []string{"rules[pull_request].parameters.required_approving_review_count: live 0, want 1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeGitHub(t)
			f.AddRuleset(liveRuleset(t, "main-review.json", tc.edit))
			f.AddRuleset(liveRuleset(t, "main-history.json", nil))
			c, _ := newTestClient(t, f)
			live, err := c.Rulesets(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			got, err := RulesetDrift(shipped(t, "main-review.json"), live["main: review"])
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("drift (-want +got):\n%s", diff)
			}
			if got, err := RulesetDrift(shipped(t, "main-history.json"), live["main: history"]); err != nil || len(got) != 0 {
				t.Errorf("main: history drifts: %v, %v", got, err)
			}
		})
	}
}

// TestShippedRulesetsRequireActionsChecks: the required checks are the
// workflows' job names, each bound to the GitHub Actions app.
func TestShippedRulesetsRequireActionsChecks(t *testing.T) {
	rs := liveRuleset(t, "main-review.json", nil)
	checks := rule(rs, "required_status_checks")["parameters"].(map[string]any)["required_status_checks"].([]any)
	var names []string
	for _, c := range checks {
		m := c.(map[string]any)
		if m["integration_id"] != float64(15368) {
			t.Errorf("check %v is not bound to GitHub Actions (integration_id 15368)", m)
		}
		names = append(names, m["context"].(string))
	}
	r := &runner{t: t}
	jobs := map[string]string{}
	for _, wf := range []string{"validate.yml", "approval.yml", "tests.yml"} {
		for _, j := range r.parse(wf).Jobs {
			if j.Name != nil {
				jobs[j.Name.Value] = wf
			}
		}
	}
	for _, n := range names {
		if jobs[n] == "" {
			t.Errorf("required check %q is no job's name in validate.yml, approval.yml or tests.yml", n)
		}
	}
}
