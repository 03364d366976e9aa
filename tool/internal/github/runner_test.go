package github

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
)

// runner runs a workflow's jobs the way a GitHub runner would, as far as
// the trust space's workflows go: the events and filters that trigger a
// workflow, job and step if: with the status check functions, run: steps
// in the shell GitHub would pick (bash -e by default, bash with pipefail
// for shell: bash) and their working-directory, workflow, job and step env:,
// GITHUB_ENV, GITHUB_OUTPUT (steps.<id>.outputs), GITHUB_PATH and the job
// summary, continue-on-error and timeouts of steps, concurrency groups
// evaluated, and a token per job that carries exactly its permissions:
// (the fake API refuses the rest). Expressions are parsed by actionlint
// and evaluated from a table of contexts (expr_test.go). The actions the
// workflows use are played by local equivalents (runner_actions_test.go).
// Any other key, action input, expression or context fails the test
// (runner_keys_test.go), so that a workflow cannot rely on something this
// runner gets wrong.
type runner struct {
	t      *testing.T
	gh     *fakeGitHub
	origin string // bare repository standing for GitHub's copy
	tmp    string
	env    []string          // the process environment of every step
	ctx    map[string]string // expression → value
	// event is the event's name and payload, which decide whether a
	// workflow runs (on:, with its types, branches and paths filters).
	event   string
	payload map[string]any
	// changed are the files the event changed, for paths filters; nil
	// when the test did not say, and then a paths filter fails the test.
	changed []string
	// fork marks a pull request from a fork: GitHub downgrades the
	// token's write permissions to read.
	fork bool
	// workflows is the folder read; by default the repository's.
	workflows string
	// defaultRef is what actions/checkout checks out without ref:
	// refs/pull/N/merge for a pull request, a branch otherwise.
	defaultRef string
	// before runs a function before the step of that name.
	before map[string]func()
	// pages are the folders uploaded as Pages artifacts; deployed counts
	// the deployments.
	pages    []string
	deployed int
	jobs     int
	// caches are actions/cache's saved folders by key, in the order
	// saved, shared by the runs of a fixture; saves wait for the end of a
	// successful job, as on GitHub.
	caches *[]savedCache
	saves  []savedCache
	// artifacts are the run's uploaded artifacts, by name; stored are
	// every run's, by run id, for a later run that downloads them.
	artifacts map[string]string
	stored    *map[string]map[string]string
	// runs numbers the runs (github.run_id), shared by a fixture's
	// runners.
	runs *int
	// jobKeys are the steps.* contexts the current job's steps set.
	jobKeys map[string]bool
	// groups are the concurrency groups the run's workflows and jobs
	// joined, evaluated.
	groups []string
}

type savedCache struct{ key, dir string }

// result is how a job ended.
type result struct {
	state   string // success, failure or skipped
	failed  string // name of the failing step
	output  string // everything the steps printed
	summary string // GITHUB_STEP_SUMMARY
	token   string // the job's GITHUB_TOKEN
}

var exprRe = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// lookup reads a context by its dotted name; contexts are
// case-insensitive, as actionlint reads them.
func (r *runner) lookup(name string) (string, bool) {
	if v, ok := r.ctx[name]; ok {
		return v, true
	}
	for k, v := range r.ctx {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return "", false
}

// eval evaluates an expression of the workflows with the runner's
// contexts (status gives the status check functions, where allowed); a
// context the test does not provide fails the test.
func (r *runner) eval(expr string, status map[string]bool) string {
	r.t.Helper()
	v, err := evalExpr(expr, scope{lookup: r.lookup, status: status})
	if err != nil {
		r.t.Fatalf("${{ %s }}: %v", expr, err)
	}
	return v.String()
}

func (r *runner) expand(s string) string {
	return exprRe.ReplaceAllStringFunc(s, func(m string) string { return r.eval(exprRe.FindStringSubmatch(m)[1], nil) })
}

// cond evaluates an if:, written with or without ${{ }}, given the
// status of what came before; without a status check function it holds
// only after success, as GitHub adds success() &&.
func (r *runner) cond(ifs *actionlint.String, ok bool) bool {
	r.t.Helper()
	status := map[string]bool{"success": ok, "failure": !ok, "cancelled": false, "always": true}
	if ifs == nil {
		return ok
	}
	c := strings.TrimSpace(ifs.Value)
	if strings.HasPrefix(c, "${{") && strings.HasSuffix(c, "}}") {
		c = strings.TrimSpace(c[3 : len(c)-2])
	}
	if !usesStatusFunc(c) && !ok {
		return false
	}
	v, err := evalExpr(c, scope{lookup: r.lookup, status: status})
	if err != nil {
		r.t.Fatalf("if: %s: %v", c, err)
	}
	return v.truthy()
}

func (r *runner) parse(name string) *actionlint.Workflow {
	r.t.Helper()
	dir := r.workflows
	if dir == "" {
		dir = filepath.Join(repoRoot(r.t), ".github", "workflows")
	}
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		r.t.Fatal(err)
	}
	wf, errs := actionlint.Parse(data)
	if len(errs) > 0 {
		r.t.Fatalf("%s: %v", name, errs[0])
	}
	r.supported(name, wf)
	return wf
}

// run runs a workflow for the runner's event: nothing when on: does not
// take the event, else every job whose if: holds, in the order needs:
// gives; a job whose needs failed is skipped. Results are keyed by job id,
// and by caller/called job id for reusable workflows.
func (r *runner) run(name string) map[string]*result {
	r.t.Helper()
	wf := r.parse(name)
	if !r.triggers(name, wf) {
		return map[string]*result{}
	}
	// Each run has its own id and artifacts.
	*r.runs++
	r.ctx["github.run_id"] = fmt.Sprint(7000 + *r.runs)
	r.artifacts = nil
	return r.jobsOf(name, wf, nil)
}

// jobsOf runs the jobs of a workflow; caller is the permissions of the
// job that called it, for a reusable workflow, or nil.
func (r *runner) jobsOf(name string, wf *actionlint.Workflow, caller map[string]string) map[string]*result {
	r.t.Helper()
	if wf.Concurrency != nil {
		r.join(wf.Concurrency)
	}
	results := map[string]*result{}
	ids := make([]string, 0, len(wf.Jobs))
	for id := range wf.Jobs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for len(results) < len(ids) {
		progressed := false
		for _, id := range ids {
			job := wf.Jobs[id]
			if results[id] != nil {
				continue
			}
			ready, ok := true, true
			for _, n := range job.Needs {
				res := results[n.Value]
				if res == nil {
					ready = false
				} else if res.state != "success" {
					ok = false
				}
			}
			if !ready {
				continue
			}
			progressed = true
			if !r.cond(job.If, ok) {
				results[id] = &result{state: "skipped"}
				continue
			}
			perms := r.permissions(name, id, wf, job, caller)
			if job.Concurrency != nil {
				r.join(job.Concurrency)
			}
			if job.WorkflowCall != nil {
				calledName := strings.TrimPrefix(job.WorkflowCall.Uses.Value, "./.github/workflows/")
				called := r.jobsOf(calledName, r.parse(calledName), perms)
				res := &result{state: "success"}
				for cid, cres := range called {
					results[id+"/"+cid] = cres
					if cres.state == "failure" {
						res.state = "failure"
					}
				}
				results[id] = res
				continue
			}
			results[id] = r.matrix(name, id, wf, job, perms)
		}
		if !progressed {
			r.t.Fatalf("%s: jobs wait on each other", name)
		}
	}
	return results
}

// join evaluates a concurrency group, which must name something: runs of
// this runner never overlap, so the group's only effect here is that its
// expression is sound.
func (r *runner) join(c *actionlint.Concurrency) {
	r.t.Helper()
	if c.Group == nil {
		r.t.Fatal("concurrency without a group")
	}
	g := r.expand(c.Group.Value)
	if g == "" || strings.HasSuffix(g, "-") {
		r.t.Fatalf("concurrency group %q evaluates to %q: runs of different pull requests would cancel each other", c.Group.Value, g)
	}
	r.groups = append(r.groups, g)
}

// matrix runs a job once per combination of its strategy.matrix include
// list, with ${{ matrix.<key> }} set for each; the job fails when one run
// does, and with fail-fast (GitHub's default) the runs after a failure
// are cancelled. A job without a matrix runs once.
func (r *runner) matrix(wfName, id string, wf *actionlint.Workflow, job *actionlint.Job, perms map[string]string) *result {
	r.t.Helper()
	if job.Strategy == nil || job.Strategy.Matrix == nil {
		return r.job(wfName, id, wf, job, perms)
	}
	m := job.Strategy.Matrix
	if len(m.Rows) > 0 || m.Exclude != nil || m.Include == nil || m.Include.ContainsExpression() {
		r.t.Fatalf("%s: job %s: this test runs matrices made of include: entries only", wfName, id)
	}
	failFast := job.Strategy.FailFast == nil || job.Strategy.FailFast.Value
	all := &result{state: "success"}
	for _, c := range m.Include.Combinations {
		keys := make([]string, 0, len(c.Assigns))
		for k := range c.Assigns {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			r.ctx["matrix."+k] = strings.Trim(c.Assigns[k].Value.String(), `"`)
		}
		res := r.job(wfName, id, wf, job, perms)
		all.output += res.output
		if res.state != "success" {
			all.state, all.failed = res.state, res.failed
		}
		for _, k := range keys {
			delete(r.ctx, "matrix."+k)
		}
		if failFast && all.state != "success" {
			all.output += fmt.Sprintf("--- %s: the other runs of the matrix are cancelled (fail-fast)\n", id)
			break
		}
	}
	return all
}
