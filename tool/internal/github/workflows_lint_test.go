package github

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
)

// repoRoot is the repository holding this package.
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func workflowFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot(t), ".github", "workflows", "*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no workflow under .github/workflows: %v", err)
	}
	return files
}

// requireTool fails, naming the Debian package, when a real tool the test
// needs is missing: tests never skip silently.
func requireTool(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found: install the Debian package %s (apt-get install %s)", name, pkg, pkg)
	}
	return p
}

// TestWorkflowsPassActionlint runs actionlint, with shellcheck over every
// run: script, on each workflow.
func TestWorkflowsPassActionlint(t *testing.T) {
	shellcheck := requireTool(t, "shellcheck", "shellcheck")
	var out bytes.Buffer
	l, err := actionlint.NewLinter(&out, &actionlint.LinterOptions{Shellcheck: shellcheck, WorkingDir: repoRoot(t)})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.LintFiles(workflowFiles(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range errs {
		t.Errorf("%s:%d:%d: %s [%s]", filepath.Base(e.Filepath), e.Line, e.Column, e.Message, e.Kind)
	}
}

var (
	shaPin    = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$`)
	untrusted = []string{"pull_request", "pull_request_target", "pull_request_review", "merge_group", "issue_comment", "workflow_run"}
)

// TestWorkflowPolicy checks what actionlint does not: the practices the
// trust space's workflows follow.
func TestWorkflowPolicy(t *testing.T) {
	for _, path := range workflowFiles(t) {
		name := filepath.Base(path)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		wf, errs := actionlint.Parse(data)
		if len(errs) > 0 {
			t.Fatalf("%s: %v", name, errs[0])
		}
		var events []string
		for _, e := range wf.On {
			events = append(events, e.EventName())
		}
		if slices.Contains(events, "pull_request_target") {
			t.Errorf("%s: pull_request_target runs with secrets next to pull request code; use pull_request", name)
		}
		if wf.Permissions == nil || wf.Permissions.All != nil || len(wf.Permissions.Scopes) != 0 {
			t.Errorf("%s: the workflow must grant nothing (permissions: {}); each job asks for what it needs", name)
		}
		prCode := slices.ContainsFunc(events, func(e string) bool { return slices.Contains(untrusted, e) })
		if prCode && bytes.Contains(data, []byte("secrets.")) {
			t.Errorf("%s: a workflow run for pull requests must not read secrets", name)
		}
		for id, job := range wf.Jobs {
			if job.WorkflowCall != nil {
				if !strings.HasPrefix(job.WorkflowCall.Uses.Value, "./.github/workflows/") {
					t.Errorf("%s: job %s calls %s; call only this repository's workflows", name, id, job.WorkflowCall.Uses.Value)
				}
				if job.Permissions == nil {
					t.Errorf("%s: job %s grants its called workflow no explicit permissions", name, id)
				}
				continue
			}
			if job.Permissions == nil {
				t.Errorf("%s: job %s has no permissions block", name, id)
			}
			if job.TimeoutMinutes == nil {
				t.Errorf("%s: job %s has no timeout-minutes", name, id)
			}
			switch {
			case slices.Equal(events, []string{"workflow_run"}):
				checkDefaultBranchOnly(t, name, id, job)
			case prCode:
				checkTrustedBuild(t, name, id, job)
			}
			pushes := false
			for _, s := range job.Steps {
				if run, ok := s.Exec.(*actionlint.ExecRun); ok && run.Run != nil {
					if strings.Contains(run.Run.Value, "${{") {
						t.Errorf("%s: job %s: a run: script expands ${{ }} in place (script injection); pass the value through env:", name, id)
					}
					if strings.Contains(run.Run.Value, "git push") {
						pushes = true
					}
				}
			}
			for _, s := range job.Steps {
				act, ok := s.Exec.(*actionlint.ExecAction)
				if !ok {
					continue
				}
				uses := act.Uses.Value
				if !shaPin.MatchString(uses) {
					t.Errorf("%s: job %s uses %s; pin actions by full commit SHA", name, id, uses)
				}
				if strings.HasPrefix(uses, "actions/checkout@") {
					in := act.Inputs["persist-credentials"]
					persisted := in == nil || in.Value.Value != "false"
					if persisted && !pushes {
						t.Errorf("%s: job %s pushes nothing but checks out with persisted credentials; set persist-credentials: false", name, id)
					}
					if persisted && prCode {
						t.Errorf("%s: job %s runs for pull requests with persisted credentials", name, id)
					}
				}
				if strings.HasPrefix(uses, "actions/create-github-app-token@") {
					var perms []string
					for k := range act.Inputs {
						if strings.HasPrefix(k, "permission-") {
							perms = append(perms, k)
						}
					}
					if len(perms) == 0 {
						t.Errorf("%s: job %s mints an App token with every permission of the installation; name the ones it needs (permission-contents: write)", name, id)
					}
				}
				if strings.HasPrefix(uses, "actions/setup-go@") {
					// A pull request's run reads the caches its own runs
					// wrote first: a poisoned module or build cache would
					// feed the drimm that judges it. Runs on main keep it.
					in := act.Inputs["cache"]
					off := in != nil && in.Value.Value == "false"
					switch prFacing := prCode || slices.Contains(events, "workflow_run"); {
					case prFacing && !off:
						t.Errorf("%s: job %s sets up Go with its cache for pull requests; set cache: false", name, id)
					case !prFacing && off:
						t.Errorf("%s: job %s turns the Go module cache off", name, id)
					}
				}
			}
		}
	}
}

// checkDefaultBranchOnly: a workflow_run workflow runs main's workflow
// with a token that may write, after a run the pull request controlled; it
// checks out main only (no ref:) and reads nothing of the pull request's
// head from the event but as data (no head SHA or branch in a step), so
// that no code of the pull request runs next to that token.
func checkDefaultBranchOnly(t *testing.T, wfName, id string, job *actionlint.Job) {
	t.Helper()
	for _, s := range job.Steps {
		if act, ok := s.Exec.(*actionlint.ExecAction); ok {
			if strings.HasPrefix(act.Uses.Value, "actions/checkout@") && act.Inputs["ref"] != nil {
				t.Errorf("%s: job %s checks out %s after a pull request's run; check out main only", wfName, id, act.Inputs["ref"].Value.Value)
			}
			for _, in := range act.Inputs {
				if strings.Contains(in.Value.Value, "workflow_run.head_") {
					t.Errorf("%s: job %s passes the pull request's head to %s", wfName, id, act.Uses.Value)
				}
			}
		}
		if run, ok := s.Exec.(*actionlint.ExecRun); ok && run.Run != nil && (strings.Contains(run.Run.Value, "git fetch") || strings.Contains(run.Run.Value, "git checkout")) {
			t.Errorf("%s: job %s fetches or checks out revisions after a pull request's run", wfName, id)
		}
		if s.Env != nil {
			for _, v := range s.Env.Vars {
				if strings.Contains(v.Value.Value, "workflow_run.head_") {
					t.Errorf("%s: job %s passes the pull request's head to a step", wfName, id)
				}
			}
		}
	}
}

// checkTrustedBuild: in a workflow run for pull requests, a job that holds
// more than read access to the contents, or whose verdict is a required
// check (registry, ANS approval), runs drimm built from the base branch's
// tip, never the pull request's own code, which could rewrite the rules it
// is judged by, nor the merge-base, which the author picks by branching
// from a commit whose rules or reviewers suit it.
func checkTrustedBuild(t *testing.T, wfName, id string, job *actionlint.Job) {
	t.Helper()
	var scripts []string
	for _, s := range job.Steps {
		if run, ok := s.Exec.(*actionlint.ExecRun); ok && run.Run != nil {
			scripts = append(scripts, run.Run.Value)
		}
	}
	all := strings.Join(scripts, "\n")
	if !strings.Contains(all, "go build") && !strings.Contains(all, "go -C") && !strings.Contains(all, "go run") {
		return
	}
	privileged := false
	for scope, p := range job.Permissions.Scopes {
		if scope != "contents" || p.Value.Value != "read" {
			privileged = true
		}
	}
	name := id
	if job.Name != nil {
		name = job.Name.Value
	}
	if name == "registry" || name == "ANS approval" {
		privileged = true
	}
	if !privileged {
		return
	}
	trusted := strings.Contains(all, `git worktree add --detach "$RUNNER_TEMP/base" "$BASE_SHA"`) &&
		!strings.Contains(all, "git merge-base")
	for _, s := range scripts {
		for _, line := range strings.Split(s, "\n") {
			if (strings.Contains(line, "go build") || strings.Contains(line, "go run")) && !strings.Contains(line, `go -C "$RUNNER_TEMP/base" build`) {
				trusted = false
			}
		}
	}
	if !trusted {
		t.Errorf("%s: job %s (%s) builds code from the pull request, yet it holds more than contents: read or is a required check; build drimm from the base branch's tip (git worktree add --detach \"$RUNNER_TEMP/base\" \"$BASE_SHA\", go -C \"$RUNNER_TEMP/base\" build)", wfName, id, name)
	}
}
