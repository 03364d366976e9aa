package github

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rhysd/actionlint"
)

// TestJobPermissions reads the token each job of the workflows would get:
// exactly its permissions:, reads only for a fork's pull request, and
// never more than the caller's for a called workflow.
func TestJobPermissions(t *testing.T) {
	r := &runner{t: t}
	for _, tc := range []struct {
		workflow, job string
		fork          bool
		want          map[string]string
	}{
		{"validate.yml", "plan", false, map[string]string{"contents": "read", "pull-requests": "read", "metadata": "read"}},
		{"plan-comment.yml", "comment", false, map[string]string{"contents": "read", "actions": "read", "pull-requests": "write", "metadata": "read"}},
		{"plan-comment.yml", "comment", true, map[string]string{"contents": "read", "actions": "read", "pull-requests": "read", "metadata": "read"}},
		{"validate.yml", "registry", false, map[string]string{"contents": "read", "pull-requests": "read", "metadata": "read"}},
		{"approval.yml", "approval", false, map[string]string{"contents": "read", "pull-requests": "read", "metadata": "read"}},
		{"deadlines.yml", "deadlines", false, map[string]string{"contents": "read", "issues": "write", "metadata": "read"}},
	} {
		r.fork = tc.fork
		wf := r.parse(tc.workflow)
		got := r.permissions(tc.workflow, tc.job, wf, wf.Jobs[tc.job], nil)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s %s (fork %v) (-want +got):\n%s", tc.workflow, tc.job, tc.fork, diff)
		}
	}
	// A job without permissions: in a workflow without them gets the
	// repository's read-only default; the pages job of a called workflow
	// holds what its caller grants at most.
	wf, errs := actionlint.Parse([]byte("on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: true\n"))
	if len(errs) > 0 {
		t.Fatal(errs[0])
	}
	if diff := cmp.Diff(map[string]string{"contents": "read", "packages": "read", "metadata": "read"}, r.permissions("x.yml", "a", wf, wf.Jobs["a"], nil)); diff != "" {
		t.Errorf("default permissions (-want +got):\n%s", diff)
	}
}

// TestFakeRefusesWhatATokenLacks: the fake API answers 403, as GitHub
// does, to a token whose permissions do not cover the request.
func TestFakeRefusesWhatATokenLacks(t *testing.T) {
	f := newFakeGitHub(t)
	f.AddPull(4, "alpha-imagerie-ops", strings.Repeat("a", 40), strings.Repeat("b", 40), nil, nil)
	for i, tc := range []struct {
		perms map[string]string
		ok    bool
	}{
		{map[string]string{"pull-requests": "write", "metadata": "read"}, true},
		{map[string]string{"issues": "write", "metadata": "read"}, true},
		{map[string]string{"pull-requests": "read", "contents": "write", "metadata": "read"}, false},
		{map[string]string{"metadata": "read"}, false},
	} {
		c, err := New(Options{Token: f.mint(tc.perms), API: f.API(), Repository: f.owner + "/" + f.repo})
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = c.UpsertComment(context.Background(), 4, marker, fmt.Sprintf("%s\nplan %d", marker, i))
		if (err == nil) != tc.ok || (err != nil && !strings.Contains(err.Error(), "403")) {
			t.Errorf("%v: commenting gave %v, want allowed=%v", tc.perms, err, tc.ok)
		}
	}
}

// TestWorkflowPlanNeedsItsPermission runs the plan comment workflow with
// pull-requests: write dropped: the token is refused and no plan is
// posted. The plan comment TestWorkflowSteps expects comes from that
// permission and nothing else.
func TestWorkflowPlanNeedsItsPermission(t *testing.T) {
	gh := newFakeGitHub(t)
	f := newFixture(t, nil)
	wfDir := filepath.Join(f.dir, "workflows")
	if err := os.CopyFS(wfDir, os.DirFS(filepath.Join(repoRoot(t), ".github", "workflows"))); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(wfDir, "plan-comment.yml")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "pull-requests: write"); n != 1 {
		t.Fatalf("plan-comment.yml grants pull-requests: write %d times, want once", n)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(data), "pull-requests: write", "pull-requests: read", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	box1 := "registry/operators/alpha-imagerie/drimboxes/1.yaml"
	head, _ := f.pullRequest(7, func() { f.edit(box1, "label: PACS principal", "label: PACS principal du site") })
	gh.AddPull(7, "alpha-imagerie-ops", f.base, head, []string{box1}, nil)
	r := f.runner(gh, "pull_request", prPayload(7, "alpha-imagerie-ops", f.base, head), prContext("alpha-imagerie-ops", f.base, head))
	r.defaultRef = "refs/pull/7/merge"
	expect(t, r.run("validate.yml"), map[string]string{"plan": "success"})

	c := f.runner(gh, "workflow_run", map[string]any{"action": "completed",
		"workflow_run": map[string]any{"id": 1, "name": "validate", "path": ".github/workflows/validate.yml", "event": "pull_request", "head_sha": head, "pull_requests": []any{}},
		"repository":   map[string]any{"full_name": "ans-drim-m/trust-space"}},
		map[string]string{"github.event.workflow_run.event": "pull_request", "github.event.workflow_run.path": ".github/workflows/validate.yml", "github.event.workflow_run.id": r.ctx["github.run_id"],
			"github.event.workflow_run.head_sha": head})
	c.workflows = wfDir
	res := c.run("plan-comment.yml")
	expect(t, res, map[string]string{"comment": "failure"})
	if len(gh.Comments(7)) != 0 {
		t.Fatalf("a plan was posted without pull-requests: write: %v", gh.Comments(7))
	}
	refused := false
	for _, req := range gh.Requests() {
		if req.Method == "POST" && strings.HasSuffix(req.Path, "/issues/7/comments") && req.Auth == "Bearer "+res["comment"].token {
			refused = true
		}
	}
	if !refused {
		t.Fatalf("the comment job never tried to comment with its token:\n%s", res["comment"].output)
	}
}
