package github

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWorkflowTests runs tests.yml, the required check that runs .ci/run
// (here a stand-in that says it ran) for every pull request and merge
// group that changes code, and reports success without running it for a
// change of records only: a required check must report either way.
func TestWorkflowTests(t *testing.T) {
	gh := newFakeGitHub(t)
	f := newFixture(t, func(seed string) {
		if err := os.MkdirAll(filepath.Join(seed, ".ci"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(seed, ".ci", "run"), []byte("echo \"the test suite ran with DRIMM_ANS_INTEROP=$DRIMM_ANS_INTEROP\"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	})
	box1 := "registry/operators/alpha-imagerie/drimboxes/1.yaml"
	for _, tc := range []struct {
		name string
		n    int
		edit func()
		runs bool
	}{
		{"records only", 31, func() { f.edit(box1, "label: PACS principal", "label: PACS principal du site") }, false},
		{"the tool", 32, func() { f.write("tool/internal/plan/extra.go", "package plan\n") }, true},
		{"the module", 33, func() { f.write("go.sum", "") }, true},
		{"the CI script", 34, func() { f.write(".ci/run", "exit 0\n") }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			head, merge := f.pullRequest(tc.n, func() { tc.edit(); f.git(f.seed, "add", "-A") })
			r := f.runner(gh, "pull_request", prPayload(tc.n, "alpha-imagerie-ops", f.base, head), prContext("alpha-imagerie-ops", f.base, head))
			r.defaultRef = "refs/pull/" + itoa(tc.n) + "/merge"
			res := r.run("tests.yml")
			expect(t, res, map[string]string{"tests": "success"})
			ran := strings.Contains(res["tests"].output, "the test suite ran with DRIMM_ANS_INTEROP=skip") || strings.Contains(res["tests"].output, "--- Run the tests (.ci/run): <nil>")
			if ran != tc.runs {
				t.Fatalf("the tests ran: %v, want %v\n%s", ran, tc.runs, res["tests"].output)
			}

			// The same change in the merge queue decides the same way.
			queue := "refs/heads/gh-readonly-queue/main/pr-" + itoa(tc.n) + "-" + head
			f.git(f.seed, "push", "-q", "origin", merge+":"+queue)
			payload := map[string]any{"merge_group": map[string]any{"head_sha": merge, "head_ref": queue, "base_sha": f.base, "base_ref": "refs/heads/main"},
				"repository": map[string]any{"full_name": "ans-drim-m/trust-space"}}
			ctx := map[string]string{"github.event.pull_request.base.sha": "", "github.event.pull_request.head.sha": "",
				"github.event.merge_group.base_sha": f.base, "github.event.merge_group.head_sha": merge}
			q := f.runner(gh, "merge_group", payload, ctx)
			q.defaultRef = queue
			res = q.run("tests.yml")
			expect(t, res, map[string]string{"tests": "success"})
			if got := strings.Contains(res["tests"].output, "--- Run the tests (.ci/run): <nil>"); got != tc.runs {
				t.Fatalf("merge group: the tests ran: %v, want %v\n%s", got, tc.runs, res["tests"].output)
			}
		})
	}
}
