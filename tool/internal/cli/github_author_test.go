package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGitHubAuthorPusher: commits pushed onto a pull request by someone
// other than its author are a finding; the author is printed all the same.
func TestGitHubAuthorPusher(t *testing.T) {
	sha := strings.Repeat("a", 40)
	event := func(action, sender string) string {
		return `{"action":"` + action + `","number":7,"sender":{"login":"` + sender + `"},
			"pull_request":{"number":7,"user":{"login":"alpha-imagerie-ops"},"base":{"sha":"` + sha + `"},"head":{"sha":"` + sha + `"}},
			"repository":{"full_name":"ans-drim-m/trust-space"}}`
	}
	for _, tc := range []struct {
		name, action, sender string
		actions              bool
		code                 int
		says                 string
	}{
		{"the author pushed", "synchronize", "alpha-imagerie-ops", false, ExitOK, ""},
		{"the author, another case", "synchronize", "Alpha-Imagerie-Ops", false, ExitOK, ""},
		{"another operator pushed", "synchronize", "beta-teleradiologie-ops", false, ExitFindings, "CHG-PUSHER: #7's commits were pushed by beta-teleradiologie-ops, not by its author alpha-imagerie-ops"},
		{"as an annotation", "synchronize", "beta-teleradiologie-ops", true, ExitFindings, "::error title=CHG-PUSHER::#7's commits were pushed by beta-teleradiologie-ops"},
		{"opened by its author", "opened", "alpha-imagerie-ops", false, ExitOK, ""},
		// A review names the reviewer as sender: not a push.
		{"reopened by the ANS", "reopened", "ans-reviewer-alpha", false, ExitOK, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "event.json")
			if err := os.WriteFile(p, []byte(event(tc.action, tc.sender)), 0o644); err != nil {
				t.Fatal(err)
			}
			env := map[string]string{"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": p}
			if tc.actions {
				env["GITHUB_ACTIONS"] = "true"
			}
			code, out, errOut := runDrimm(t, t.TempDir(), env, "github", "author")
			if code != tc.code || out != "alpha-imagerie-ops\n" || !strings.Contains(errOut, tc.says) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d and stderr saying %q", code, out, errOut, tc.code, tc.says)
			}
		})
	}
}
