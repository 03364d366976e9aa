package github

import (
	"regexp"
	"slices"
	"strings"

	"github.com/rhysd/actionlint"
)

// supported fails the test on every key of a workflow this runner does
// not play: were it ignored, a test could pass where GitHub behaves
// otherwise. Keys accepted without an effect say why.
func (r *runner) supported(name string, wf *actionlint.Workflow) {
	r.t.Helper()
	fail := func(where, key string) { r.t.Fatalf("%s: %s: this test does not play %s", name, where, key) }
	if wf.RunName != nil {
		fail("workflow", "run-name")
	}
	for id, job := range wf.Jobs {
		where := "job " + id
		switch {
		case job.Container != nil:
			fail(where, "container")
		case job.Services != nil:
			fail(where, "services")
		case len(job.Outputs) > 0:
			fail(where, "outputs")
		case job.ContinueOnError != nil:
			fail(where, "continue-on-error")
		case job.Snapshot != nil:
			fail(where, "snapshot")
		case job.Strategy != nil && job.Strategy.MaxParallel != nil:
			fail(where, "strategy.max-parallel")
		}
		// runs-on: every job runs on this host. environment: its secrets
		// are the ones the test puts in the context table, and no
		// deployment is recorded (deployment: false or not).
		if c := job.WorkflowCall; c != nil {
			if len(c.Inputs) > 0 || len(c.Secrets) > 0 || c.InheritSecrets {
				fail(where, "inputs or secrets of a called workflow")
			}
			if !strings.HasPrefix(c.Uses.Value, "./.github/workflows/") {
				fail(where, "a workflow from another repository")
			}
		}
	}
}

// triggers tells whether the workflow's on: takes the runner's event, with
// its types, branches and paths filters, and a workflow_run's workflows.
func (r *runner) triggers(name string, wf *actionlint.Workflow) bool {
	r.t.Helper()
	for _, e := range wf.On {
		if e.EventName() != r.event {
			continue
		}
		h, ok := e.(*actionlint.WebhookEvent)
		if !ok {
			return true
		}
		action, _ := r.payload["action"].(string)
		types := []string{}
		for _, t := range h.Types {
			types = append(types, t.Value)
		}
		if len(types) == 0 && (r.event == "pull_request" || r.event == "pull_request_target") {
			types = []string{"opened", "synchronize", "reopened"}
		}
		if len(types) > 0 && !slices.Contains(types, action) {
			return false
		}
		if len(h.Workflows) > 0 {
			run, _ := r.payload["workflow_run"].(map[string]any)
			if !slices.ContainsFunc(h.Workflows, func(w *actionlint.String) bool { return w.Value == run["name"] }) {
				return false
			}
		}
		if !h.Tags.IsEmpty() || !h.TagsIgnore.IsEmpty() || !h.BranchesIgnore.IsEmpty() || !h.PathsIgnore.IsEmpty() {
			r.t.Fatalf("%s: on.%s: this test plays the types, branches and paths filters only", name, r.event)
		}
		if !h.Branches.IsEmpty() && !matchAny(h.Branches, r.branch(name)) {
			return false
		}
		if !h.Paths.IsEmpty() {
			if r.changed == nil {
				r.t.Fatalf("%s: on.%s has a paths filter: the test must say which files the event changed (runner.changed)", name, r.event)
			}
			if !slices.ContainsFunc(r.changed, func(p string) bool { return matchAny(h.Paths, p) }) {
				return false
			}
		}
		return true
	}
	return false
}

// branch is the branch a branches filter reads: the pushed branch, or a
// pull request's base.
func (r *runner) branch(name string) string {
	r.t.Helper()
	switch r.event {
	case "push":
		ref, _ := r.payload["ref"].(string)
		return strings.TrimPrefix(ref, "refs/heads/")
	case "pull_request", "pull_request_target":
		pr, _ := r.payload["pull_request"].(map[string]any)
		base, _ := pr["base"].(map[string]any)
		ref, _ := base["ref"].(string)
		return ref
	}
	r.t.Fatalf("%s: this test plays branches filters on push and pull_request only", name)
	return ""
}

// matchAny matches GitHub's filter patterns: * is any run of characters
// but /, ** any run at all; a leading ! negates (last match wins).
func matchAny(f *actionlint.WebhookEventFilter, s string) bool {
	ok := false
	for _, v := range f.Values {
		p, neg := strings.CutPrefix(v.Value, "!")
		re := regexp.QuoteMeta(p)
		re = strings.ReplaceAll(re, `\*\*`, "\x00")
		re = strings.ReplaceAll(re, `\*`, "[^/]*")
		re = strings.ReplaceAll(re, "\x00", ".*")
		if regexp.MustCompile("^" + re + "$").MatchString(s) {
			ok = !neg
		}
	}
	return ok
}

// level orders permission values.
var level = map[string]int{"none": 0, "read": 1, "write": 2}

// permissionScopes are the scopes of a GITHUB_TOKEN.
var permissionScopes = []string{"actions", "attestations", "checks", "contents", "deployments", "discussions", "id-token",
	"issues", "models", "packages", "pages", "pull-requests", "repository-projects", "security-events", "statuses"}

// permissions are what a job's token carries: its permissions:, or the
// workflow's, or the caller's for a job of a called workflow, or the
// repository's default (read-only, as the setup asks: contents and
// packages). A called workflow cannot raise what its caller holds (GitHub
// refuses the run), and a pull request from a fork gets reads only.
func (r *runner) permissions(wfName, id string, wf *actionlint.Workflow, job *actionlint.Job, caller map[string]string) map[string]string {
	r.t.Helper()
	p := job.Permissions
	if p == nil {
		p = wf.Permissions
	}
	perms := map[string]string{}
	switch {
	case p == nil && caller != nil:
		for k, v := range caller {
			perms[k] = v
		}
	case p == nil:
		perms["contents"], perms["packages"] = "read", "read"
	default:
		if p.All != nil {
			all := strings.TrimSuffix(p.All.Value, "-all")
			for _, s := range permissionScopes {
				perms[s] = all
			}
		}
		for name, s := range p.Scopes {
			perms[name] = s.Value.Value
		}
	}
	for k, v := range perms {
		if v == "none" || (k == "id-token" && v == "read") {
			delete(perms, k)
			continue
		}
		if caller != nil && level[v] > level[caller[k]] {
			r.t.Fatalf("%s: job %s asks %s: %s, more than its caller grants (%s): GitHub refuses the run", wfName, id, k, v, caller[k])
		}
		if r.fork && v == "write" {
			perms[k] = "read"
			if k == "id-token" {
				delete(perms, k)
			}
		}
	}
	perms["metadata"] = "read"
	return perms
}
