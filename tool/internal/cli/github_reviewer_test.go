package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A reviewer runs the plan and the approval check on a pull request by
// its number: the author is read from the pull request, never offered as
// an approver, and an unmet approval says what to do. The fake API answers
// only the two requests the commands make, and fails the test on any other.
func TestReviewerCommandsAgainstTheAPI(t *testing.T) {
	repo := t.TempDir()
	if err := os.CopyFS(filepath.Join(repo, "registry"), os.DirFS(sampleRegistry)); err != nil {
		t.Fatal(err)
	}
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.invalid", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.invalid",
			"GIT_AUTHOR_DATE=2026-11-30T09:00:00Z", "GIT_COMMITTER_DATE=2026-11-30T09:00:00Z")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q", "-b", "main")
	git("add", "registry")
	git("commit", "-q", "-m", "base")
	base := git("rev-parse", "HEAD")
	rec := filepath.Join(repo, "registry", "operators", "alpha-imagerie", "drimboxes", "1.yaml")
	b, err := os.ReadFile(rec)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(rec, []byte(strings.Replace(string(b), "support_contact: ", "support_contact: imagerie-", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	git("commit", "-q", "-am", "update")
	head := git("rev-parse", "HEAD")

	const author = "ans-reviewer-alpha"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		var body any
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/repos/ans/drim-m/pulls/4":
			body = map[string]any{"number": 4, "state": "open", "user": map[string]any{"login": author},
				"base": map[string]any{"sha": base}, "head": map[string]any{"sha": head}}
		case r.Method == http.MethodGet && r.URL.Path == "/repos/ans/drim-m/pulls/4/reviews":
			// The author's own approval, which never counts.
			body = []any{map[string]any{"id": 1, "user": map[string]any{"login": author}, "state": "APPROVED", "commit_id": head, "submitted_at": "2026-11-30T08:00:00Z"}}
		default:
			t.Errorf("unexpected request %s %s", r.Method, r.URL)
			http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
			return
		}
		if err := json.NewEncoder(w).Encode(body); err != nil {
			t.Error(err)
		}
	}))
	defer srv.Close()
	vars := map[string]string{"GITHUB_TOKEN": "t", "GITHUB_API_URL": srv.URL + "/", "GITHUB_REPOSITORY": "ans/drim-m"}

	env, stdout, stderr := testEnv(t, repo)
	env.Getenv = func(k string) string { return vars[k] }
	env.HTTP = srv.Client()
	if code := Run(context.Background(), env, []string{"github", "plan", "--base", base, "--head", head, "--pr", "4", "--reviews"}); code != ExitOK {
		t.Fatalf("plan: exit %d\n%s", code, stderr)
	}
	var line string
	for _, l := range strings.Split(stdout.String(), "\n") {
		if strings.Contains(l, "An ANS reviewer") {
			line = l
		}
	}
	if !strings.Contains(stdout.String(), "**author:** `@"+author+"`") || !strings.Contains(line, "other than the author") ||
		strings.Contains(line, "`@"+author+"`") || !strings.Contains(line, "waiting for an ANS reviewer's approval") {
		t.Errorf("the plan must name the author read from the pull request and never offer it as approver; approver line:\n%s", line)
	}

	env, _, stderr = testEnv(t, repo)
	env.Getenv = func(k string) string { return vars[k] }
	env.HTTP = srv.Client()
	if code := Run(context.Background(), env, []string{"github", "approval", "--base", base, "--head", head, "--pr", "4"}); code != ExitFindings {
		t.Fatalf("approval: exit %d, want %d\n%s", code, ExitFindings, stderr)
	}
	if !strings.Contains(stderr.String(), "drimm: hint: ask an ANS reviewer") || !strings.Contains(stderr.String(), "other than the author to approve the head commit") {
		t.Errorf("the approval error must end with a hint:\n%s", stderr)
	}
}
