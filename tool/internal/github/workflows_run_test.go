package github

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/codeowners"
	"github.com/drim-m/trust-space/tool/internal/plan"
	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/testpki"
)

// testNow is the clock of the workflow tests: drimm is built with the
// drimm_testclock tag and runs at it, and git dates commits at it, so that
// the tests pass on any date.
var testNow = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)

// fixture is a repository as GitHub would hold it: a bare origin seeded
// with this repository's module and workflows and a frozen copy of the
// sample registry (tool/testdata/registry), and a working clone to make
// pull requests and concurrent pushes from.
type fixture struct {
	t      *testing.T
	dir    string
	origin string
	seed   string
	env    []string
	base   string // main after seeding
	// runs counts the workflow runs (github.run_id); caches are what
	// their actions/cache steps saved.
	runs      int
	caches    []savedCache
	artifacts map[string]map[string]string
}

func goEnv(t *testing.T, name string) string {
	t.Helper()
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", name, err)
	}
	return strings.TrimSpace(string(out))
}

func newFixture(t *testing.T, edit func(seed string)) *fixture {
	t.Helper()
	requireTool(t, "git", "git")
	dir := t.TempDir()
	f := &fixture{t: t, dir: dir, origin: filepath.Join(dir, "origin.git"), seed: filepath.Join(dir, "seed"), artifacts: map[string]map[string]string{}}
	home := filepath.Join(dir, "home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		t.Fatal(err)
	}
	f.env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + home, "LANG=C.UTF-8",
		"GOCACHE=" + goEnv(t, "GOCACHE"), "GOMODCACHE=" + goEnv(t, "GOMODCACHE"),
		"GOPROXY=off", "GOFLAGS=-mod=readonly -tags=drimm_testclock", "GOTOOLCHAIN=local",
		"DRIMM_TEST_NOW=" + testNow.Format(time.RFC3339),
		"GIT_AUTHOR_DATE=" + testNow.Format(time.RFC3339), "GIT_COMMITTER_DATE=" + testNow.Format(time.RFC3339),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0", "CI=true", "GITHUB_ACTIONS=true", "DRIMM_NO_CACHE=1",
	}
	root := repoRoot(t)
	for _, d := range []string{"tool", "schemas", ".github"} {
		copyTree(t, filepath.Join(root, d), filepath.Join(f.seed, d))
	}
	copyTree(t, filepath.Join(root, "tool", "testdata", "registry"), filepath.Join(f.seed, "registry"))
	for _, name := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(f.seed, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if edit != nil {
		edit(f.seed)
	}
	writeCodeowners(t, f.seed)
	f.git(dir, "init", "-q", "--bare", "-b", "main", f.origin)
	f.git(f.seed, "init", "-q", "-b", "main")
	f.git(f.seed, "add", "-A")
	f.git(f.seed, "commit", "-q", "-m", "Trust space")
	f.git(f.seed, "remote", "add", "origin", f.origin)
	f.git(f.seed, "push", "-q", "origin", "main")
	f.base = f.git(f.seed, "rev-parse", "HEAD")
	return f
}

// git runs git as the test's own user, the ANS maintainer of the fixture.
func (f *fixture) git(dir string, args ...string) string {
	f.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(f.env, "GIT_AUTHOR_NAME=ANS", "GIT_AUTHOR_EMAIL=drim-m@ans.example",
		"GIT_COMMITTER_NAME=ANS", "GIT_COMMITTER_EMAIL=drim-m@ans.example")
	out, err := cmd.CombinedOutput()
	if err != nil {
		f.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// edit rewrites a file of the seed clone.
func (f *fixture) edit(path, old, new string) {
	f.t.Helper()
	p := filepath.Join(f.seed, path)
	data, err := os.ReadFile(p)
	if err != nil {
		f.t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		f.t.Fatalf("%s lacks %q", path, old)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

// pullRequest commits an edit on a branch from main and pushes what GitHub
// keeps for pull request n: refs/pull/n/head and the merge refs/pull/n/merge.
func (f *fixture) pullRequest(n int, edit func()) (head, merge string) {
	f.t.Helper()
	f.git(f.seed, "checkout", "-q", "-B", "pr", "origin/main")
	edit()
	f.git(f.seed, "commit", "-q", "-am", "Pull request")
	head = f.git(f.seed, "rev-parse", "HEAD")
	f.git(f.seed, "checkout", "-q", "--detach", "origin/main")
	f.git(f.seed, "merge", "-q", "--no-ff", "-m", "Merge pull request", head)
	merge = f.git(f.seed, "rev-parse", "HEAD")
	n2 := "refs/pull/" + itoa(n)
	f.git(f.seed, "push", "-q", "origin", head+":"+n2+"/head", merge+":"+n2+"/merge")
	return head, merge
}

// writeCodeowners writes the CODEOWNERS that the fixture's registry
// calls for, which drimm validate checks.
func writeCodeowners(t *testing.T, seed string) {
	t.Helper()
	r, _, err := registry.Load(filepath.Join(seed, "registry"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := codeowners.Generate(r, "registry")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(seed, filepath.FromSlash(codeowners.Path)), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// runner returns a runner for one event, whose payload is written for drimm.
func (f *fixture) runner(gh *fakeGitHub, event string, payload map[string]any, ctx map[string]string) *runner {
	f.t.Helper()
	data, err := json.Marshal(payload)
	if err != nil {
		f.t.Fatal(err)
	}
	tmp, err := os.MkdirTemp(f.dir, "run-")
	if err != nil {
		f.t.Fatal(err)
	}
	eventPath := filepath.Join(tmp, "event.json")
	if err := os.WriteFile(eventPath, data, 0o644); err != nil {
		f.t.Fatal(err)
	}
	env := append([]string(nil), f.env...)
	env = append(env, "GITHUB_EVENT_NAME="+event, "GITHUB_EVENT_PATH="+eventPath, "GITHUB_REPOSITORY=ans-drim-m/trust-space",
		"GITHUB_API_URL="+gh.API(), "GITHUB_SERVER_URL=https://github.com", "GITHUB_REF_NAME=main")
	full := map[string]string{"github.event_name": event}
	// github.ref and the pull request's number, as GitHub sets them for
	// the event (null, read as '', where the event has none).
	full["github.ref"], full["github.event.pull_request.number"] = "refs/heads/main", ""
	switch event {
	case "pull_request", "pull_request_review":
		full["github.ref"] = "refs/pull/" + fmt.Sprint(payload["number"]) + "/merge"
		full["github.event.pull_request.number"] = fmt.Sprint(payload["number"])
	case "merge_group":
		mg, _ := payload["merge_group"].(map[string]any)
		full["github.ref"] = fmt.Sprint(mg["head_ref"])
	case "push":
		full["github.ref"] = fmt.Sprint(payload["ref"])
	}
	for k, v := range ctx {
		full[k] = v
	}
	return &runner{t: f.t, gh: gh, origin: f.origin, tmp: tmp, env: env, ctx: full, event: event, payload: payload,
		defaultRef: "main", before: map[string]func(){}, caches: &f.caches, stored: &f.artifacts, runs: &f.runs}
}

func prPayload(n int, author, base, head string) map[string]any {
	return map[string]any{
		"action": "synchronize", "number": n,
		"pull_request": map[string]any{"number": n, "user": map[string]any{"login": author, "type": "User"},
			"base": map[string]any{"ref": "main", "sha": base}, "head": map[string]any{"ref": "pr", "sha": head}},
		"repository": map[string]any{"full_name": "ans-drim-m/trust-space"},
	}
}

func prContext(author, base, head string) map[string]string {
	return map[string]string{
		"github.event.pull_request.base.sha": base, "github.event.pull_request.head.sha": head,
		"github.event.pull_request.user.login": author,
		"github.event.merge_group.base_sha":    "", "github.event.merge_group.head_sha": "",
	}
}

// planComment runs plan-comment.yml for the completion of validate run
// runID, which checked head; prs are the pull requests the event names
// (none for a fork's).
func (f *fixture) planComment(gh *fakeGitHub, runID, head string, prs ...int) map[string]*result {
	f.t.Helper()
	var named []map[string]any
	for _, n := range prs {
		named = append(named, map[string]any{"number": n})
	}
	id, _ := strconv.Atoi(runID)
	payload := map[string]any{"action": "completed",
		"workflow_run": map[string]any{"id": id, "name": "validate", "path": ".github/workflows/validate.yml", "event": "pull_request", "head_sha": head, "pull_requests": named,
			"head_repository": map[string]any{"full_name": "ans-drim-m/trust-space"}},
		"repository": map[string]any{"full_name": "ans-drim-m/trust-space"}}
	r := f.runner(gh, "workflow_run", payload, map[string]string{
		"github.event.workflow_run.event": "pull_request", "github.event.workflow_run.path": ".github/workflows/validate.yml", "github.event.workflow_run.id": runID,
		"github.event.workflow_run.head_sha": head})
	return r.run("plan-comment.yml")
}

func expect(t *testing.T, results map[string]*result, want map[string]string) {
	t.Helper()
	for id, state := range want {
		res := results[id]
		if res == nil {
			t.Fatalf("job %s did not run; results: %v", id, results)
		}
		if res.state != state {
			t.Fatalf("job %s: %s (failed at %q), want %s\n%s", id, res.state, res.failed, state, res.output)
		}
	}
}

func (f *fixture) originLog(rev string) []string {
	return strings.Split(f.git(f.origin, "log", "--first-parent", "--format=%s", rev), "\n")
}

// TestWorkflowSteps runs the steps of the pull-request, merge-queue,
// publish and deadlines workflows on a local clone whose origin is a bare
// repository, against a local server answering as GitHub, and checks what
// each leaves behind: annotations, the plan comment, the approval check,
// the commits pushed, the Pages artifact and the issues.
func TestWorkflowSteps(t *testing.T) {
	gh := newFakeGitHub(t)
	f := newFixture(t, nil)
	box1 := "registry/operators/alpha-imagerie/drimboxes/1.yaml"

	// An operator's update of its DRIMbox: validated, planned, waiting
	// for an ANS approval, then approved.
	head, merge := f.pullRequest(7, func() { f.edit(box1, "label: PACS principal", "label: PACS principal du site") })
	gh.AddPull(7, "alpha-imagerie-ops", f.base, head, []string{box1}, nil)
	t.Run("pull request", func(t *testing.T) {
		r := f.runner(gh, "pull_request", prPayload(7, "alpha-imagerie-ops", f.base, head), prContext("alpha-imagerie-ops", f.base, head))
		r.defaultRef = "refs/pull/7/merge"
		res := r.run("validate.yml")
		expect(t, res, map[string]string{"registry": "success", "plan": "success"})
		if strings.Contains(res["registry"].output, "::error") {
			t.Fatalf("annotations on a clean change:\n%s", res["registry"].output)
		}
		if len(gh.Comments(7)) != 0 {
			t.Fatalf("the pull request's own run commented: %v", gh.Comments(7))
		}
		validateRun := r.ctx["github.run_id"]
		expect(t, f.planComment(gh, validateRun, head, 7), map[string]string{"comment": "success"})
		cs := gh.Comments(7)
		if len(cs) != 1 {
			t.Fatalf("%d comments on #7, want the plan", len(cs))
		}
		body := cs[0]["body"].(string)
		for _, want := range []string{plan.Marker, "**Procedure:** update (DRIMbox 1)", "| `pacs` | pacs-principal (PACS principal) | pacs-principal (PACS principal du site) |", "waiting for an ANS reviewer's approval"} {
			if !strings.Contains(body, want) {
				t.Fatalf("plan comment lacks %q:\n%s", want, body)
			}
		}
		if !strings.Contains(res["plan"].summary, "#### DRIMbox 1 · update") {
			t.Fatalf("job summary lacks the plan:\n%s", res["plan"].summary)
		}

		res = r.run("approval.yml")
		expect(t, res, map[string]string{"approval": "failure"})
		if !strings.Contains(res["approval"].output, "#7: waiting for an ANS reviewer's approval") {
			t.Fatalf("approval output:\n%s", res["approval"].output)
		}

		// A second run's plan edits the same comment.
		res = r.run("validate.yml")
		expect(t, res, map[string]string{"plan": "success"})
		expect(t, f.planComment(gh, r.ctx["github.run_id"], head, 7), map[string]string{"comment": "success"})
		if n := len(gh.Comments(7)); n != 1 {
			t.Fatalf("%d comments after a second run, want one sticky comment", n)
		}

		gh.mu.Lock()
		gh.reviews[7] = append(gh.reviews[7], map[string]any{"id": 99, "user": gh.user("ans-reviewer-alpha"), "state": "APPROVED", "commit_id": head, "submitted_at": gh.stamp()})
		gh.mu.Unlock()
		review := prPayload(7, "alpha-imagerie-ops", f.base, head)
		review["action"] = "submitted"
		rr := f.runner(gh, "pull_request_review", review, prContext("alpha-imagerie-ops", f.base, head))
		rr.defaultRef = "refs/pull/7/merge"
		res = rr.run("approval.yml")
		expect(t, res, map[string]string{"approval": "success"})
		if !strings.Contains(res["approval"].output, "approved by `@ans-reviewer-alpha`") && !strings.Contains(res["approval"].output, "approved by @ans-reviewer-alpha") {
			t.Fatalf("approval output:\n%s", res["approval"].output)
		}
		if got := f.git(f.origin, "rev-parse", "main"); got != f.base {
			t.Fatalf("a pull request run moved main to %s", got)
		}
	})

	// An operator declaring its own DRIMbox operational: refused with an
	// annotation on the line, and the plan says why.
	t.Run("refused pull request", func(t *testing.T) {
		box3 := "registry/operators/alpha-imagerie/drimboxes/3.yaml"
		head8, _ := f.pullRequest(8, func() { f.edit(box3, "status: integrating", "status: operational") })
		gh.AddPull(8, "alpha-imagerie-ops", f.base, head8, []string{box3}, nil)
		r := f.runner(gh, "pull_request", prPayload(8, "alpha-imagerie-ops", f.base, head8), prContext("alpha-imagerie-ops", f.base, head8))
		r.defaultRef = "refs/pull/8/merge"
		res := r.run("validate.yml")
		expect(t, res, map[string]string{"registry": "failure", "plan": "success"})
		expect(t, f.planComment(gh, r.ctx["github.run_id"], head8, 8), map[string]string{"comment": "success"})
		if res["registry"].failed != "Validate the change" || !strings.Contains(res["registry"].output, "::error file="+box3+",line=3,col=9,title=CHG-STATUS::aptitude validated") {
			t.Fatalf("registry job:\n%s", res["registry"].output)
		}
		body := gh.Comments(8)[0]["body"].(string)
		if !strings.Contains(body, "> [!CAUTION]") || !strings.Contains(body, "CHG-STATUS") {
			t.Fatalf("plan comment:\n%s", body)
		}
	})

	// A pull request from a fork: its runs get read-only tokens, and
	// GitHub names no pull request in the workflow_run event; the plan
	// comment workflow finds it through the API and posts.
	t.Run("pull request from a fork", func(t *testing.T) {
		box2 := "registry/operators/alpha-imagerie/drimboxes/2.yaml"
		head9, _ := f.pullRequest(9, func() { f.edit(box2, "label: PACS principal", "label: PACS du site") })
		gh.AddPull(9, "alpha-imagerie-ops", f.base, head9, []string{box2}, nil)
		r := f.runner(gh, "pull_request", prPayload(9, "alpha-imagerie-ops", f.base, head9), prContext("alpha-imagerie-ops", f.base, head9))
		r.defaultRef, r.fork = "refs/pull/9/merge", true
		res := r.run("validate.yml")
		expect(t, res, map[string]string{"registry": "success", "plan": "success"})
		if !strings.Contains(res["plan"].summary, "#### DRIMbox 2 · update") {
			t.Fatalf("job summary:\n%s", res["plan"].summary)
		}
		run9 := r.ctx["github.run_id"]
		expect(t, f.planComment(gh, run9, head9), map[string]string{"comment": "success"})
		if cs := gh.Comments(9); len(cs) != 1 || !strings.Contains(cs[0]["body"].(string), "**Procedure:** update (DRIMbox 2)") {
			t.Fatalf("comments on #9: %v", cs)
		}

		// The fork's run leaves an artifact naming #7, another
		// operator's pull request: #7's head is not the commit the run
		// checked, so nothing is posted there.
		before := gh.Comments(7)[0]["body"]
		dir := (*r.stored)[run9]["plan"]
		meta := filepath.Join(dir, "pr.json")
		if err := os.WriteFile(meta, []byte(`{"number":7,"head_sha":"`+head9+`"}`), 0o644); err != nil {
			t.Fatal(err)
		}
		res = f.planComment(gh, run9, head9)
		expect(t, res, map[string]string{"comment": "success"})
		if !strings.Contains(res["comment"].output, "not posting: stale plan: pull request #7's head is") || gh.Comments(7)[0]["body"] != before {
			t.Fatalf("a forged artifact:\n%s", res["comment"].output)
		}
	})

	// The merge queue checks the merge of #7 onto main.
	t.Run("merge group", func(t *testing.T) {
		queue := "refs/heads/gh-readonly-queue/main/pr-7-" + head
		f.git(f.seed, "push", "-q", "origin", merge+":"+queue)
		payload := map[string]any{"merge_group": map[string]any{"head_sha": merge, "head_ref": queue, "base_sha": f.base, "base_ref": "refs/heads/main"},
			"repository": map[string]any{"full_name": "ans-drim-m/trust-space"}}
		ctx := map[string]string{"github.event.pull_request.base.sha": "", "github.event.pull_request.head.sha": "", "github.event.pull_request.user.login": "",
			"github.event.merge_group.base_sha": f.base, "github.event.merge_group.head_sha": merge}
		r := f.runner(gh, "merge_group", payload, ctx)
		r.defaultRef = queue
		expect(t, r.run("validate.yml"), map[string]string{"registry": "success", "plan": "skipped"})
		expect(t, r.run("approval.yml"), map[string]string{"approval": "success"})
	})

	// The merge lands on main; publish signs in the HSM, commits whitelist/
	// and pushes past a probe commit that raced it, then deploys the page.
	t.Run("publish", func(t *testing.T) {
		f.git(f.seed, "push", "-q", "origin", merge+":refs/heads/main")
		requireTool(t, "softhsm2-util", "softhsm2")
		pki, err := testpki.New(testpki.Options{Now: testNow})
		if err != nil {
			t.Fatal(err)
		}
		hsm, err := testpki.NewSoftHSM(filepath.Join(f.dir, "softhsm"))
		if err != nil {
			t.Fatal(err)
		}
		tok, err := hsm.CreateToken("drimm-publish", "482913", pki.Signer, "liste-blanche")
		if err != nil {
			t.Fatal(err)
		}
		ctx := map[string]string{
			"vars.DRIMM_APP_ID": "1234567", "secrets.DRIMM_APP_PRIVATE_KEY": "app-key", "steps.app-token.outputs.token": "app-token",
			"secrets.DRIMM_PKCS11_PIN": tok.PIN, "secrets.DRIMM_PKCS11_MODULE": tok.Module,
			"secrets.DRIMM_PKCS11_TOKEN_LABEL": tok.Label, "secrets.DRIMM_PKCS11_KEY_LABEL": tok.KeyLabel,
			"vars.DRIMM_SIGNER_CHAIN_PEM": string(pki.Signer.ChainPEM()), "vars.DRIMM_TRUST_ANCHOR_PEM": string(pki.Root.CertPEM()),
			"vars.DRIMM_PAGES_URL": "", "steps.deployment.outputs.page_url": "",
		}
		r := f.runner(gh, "push", map[string]any{"ref": "refs/heads/main", "after": merge, "repository": map[string]any{"full_name": "ans-drim-m/trust-space"}}, ctx)
		r.env = append(r.env, "SOFTHSM2_CONF="+tok.Conf)
		// Every push of this test changes DRIMbox 1's record, which
		// publish.yml's paths filter takes.
		r.changed = []string{box1}
		r.before["Commit whitelist/ and push"] = func() {
			other := filepath.Join(f.dir, "other")
			f.git(f.dir, "clone", "-q", f.origin, other)
			if err := os.MkdirAll(filepath.Join(other, "status"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(other, "status", "run.json"), []byte("{}\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			f.git(other, "add", "status")
			f.git(other, "commit", "-q", "-m", "status: probe run racing the publication")
			f.git(other, "push", "-q", "origin", "main")
		}
		res := r.run("publish.yml")
		expect(t, res, map[string]string{"publish": "success", "held": "success", "pages": "success", "pages/build": "success", "pages/deploy": "success"})
		if !strings.Contains(res["publish"].output, "push refused (attempt 1); rebasing on the new main") {
			t.Fatalf("the racing push was not retried:\n%s", res["publish"].output)
		}
		log := f.originLog("main")
		want := []string{"whitelist: publish list 1", "status: probe run racing the publication", "Merge pull request", "Trust space"}
		if strings.Join(log, "\n") != strings.Join(want, "\n") {
			t.Fatalf("origin main history:\n%s\nwant:\n%s", strings.Join(log, "\n"), strings.Join(want, "\n"))
		}
		changed := strings.Fields(f.git(f.origin, "diff-tree", "--no-commit-id", "--name-only", "-r", "main"))
		if len(changed) == 0 {
			t.Fatal("the publication commit changes nothing")
		}
		for _, p := range changed {
			if !strings.HasPrefix(p, "whitelist/") {
				t.Fatalf("the publication commit changes %s", p)
			}
		}
		if r.deployed != 1 || len(r.pages) != 1 {
			t.Fatalf("%d deployments of %d artifacts", r.deployed, len(r.pages))
		}
		site := r.pages[0]
		for _, p := range []string{"whitelist/LISTEBLANCHE_DRIM-M.xml", "whitelist/index.json", "index.html"} {
			if _, err := os.Stat(filepath.Join(site, p)); err != nil {
				t.Fatalf("the Pages artifact lacks %s: %v", p, err)
			}
		}

		delete(r.before, "Commit whitelist/ and push")

		// A broken record lands on main: the list is re-signed and
		// pushed all the same, DRIMbox 1 keeping its last entry; the held
		// job fails and opens an issue for its operator's maintainers,
		// closed once the record is fixed.
		f.git(f.seed, "fetch", "-q", "origin")
		f.git(f.seed, "checkout", "-q", "-B", "main", "origin/main")
		f.edit(box1, "CN=db1.test.mesimagesmedicales.fr", "CN=db77.test.mesimagesmedicales.fr")
		f.git(f.seed, "commit", "-q", "-am", "A record with a finding")
		f.git(f.seed, "push", "-q", "origin", "main")
		// Each publication is later than the one before.
		r.env = append(r.env, "DRIMM_TEST_NOW="+testNow.Add(6*time.Hour).Format(time.RFC3339))
		res = r.run("publish.yml")
		expect(t, res, map[string]string{"publish": "success", "held": "failure", "pages": "success"})
		if got := f.originLog("main")[0]; got != "whitelist: publish list 2" {
			t.Fatalf("origin main is at %q, want list 2 published", got)
		}
		list := f.git(f.origin, "show", "main:whitelist/LISTEBLANCHE_DRIM-M.xml")
		if !strings.Contains(list, "CN=db1.test.mesimagesmedicales.fr") || strings.Contains(list, "db77") {
			t.Fatalf("the held DRIMbox 1 did not keep its last entry:\n%s", list)
		}
		if !strings.Contains(res["held"].summary, "DRIMbox 1") || !strings.Contains(res["publish"].summary, "held back") {
			t.Fatalf("job summaries:\npublish: %s\nheld: %s", res["publish"].summary, res["held"].summary)
		}
		var held map[string]any
		for _, is := range gh.Issues() {
			if hasLabel(is, "held-back") {
				held = is
			}
		}
		if held == nil || held["state"] != "open" || !strings.Contains(held["title"].(string), "DRIMbox 1 held back") ||
			!strings.Contains(held["body"].(string), "@alpha-imagerie-ops") || !strings.Contains(held["body"].(string), "DN-CN") {
			t.Fatalf("held-back issue: %v", held)
		}
		f.git(f.seed, "fetch", "-q", "origin")
		f.git(f.seed, "checkout", "-q", "-B", "main", "origin/main")
		f.edit(box1, "CN=db77.test.mesimagesmedicales.fr", "CN=db1.test.mesimagesmedicales.fr")
		f.git(f.seed, "commit", "-q", "-am", "The record fixed")
		f.git(f.seed, "push", "-q", "origin", "main")
		r.env = append(r.env, "DRIMM_TEST_NOW="+testNow.Add(12*time.Hour).Format(time.RFC3339))
		res = r.run("publish.yml")
		expect(t, res, map[string]string{"publish": "success", "held": "success"})
		if got := f.originLog("main")[0]; got != "whitelist: publish list 3" {
			t.Fatalf("origin main is at %q, want list 3 published", got)
		}
		for _, is := range gh.Issues() {
			if hasLabel(is, "held-back") && is["state"] != "closed" {
				t.Fatalf("the held-back issue stays open after the fix: %v", is)
			}
		}

		exclusionReachesDRIMbox(f, r, pki, testNow.Add(12*time.Hour))
	})

	// Daily deadlines: one issue per deadline, none duplicated by a second run.
	t.Run("deadlines", func(t *testing.T) {
		on, due := testNow.AddDate(0, 0, -5).Format(time.DateOnly), testNow.AddDate(0, 0, 10).Format(time.DateOnly)
		f.git(f.seed, "fetch", "-q", "origin")
		f.git(f.seed, "checkout", "-q", "-B", "main", "origin/main")
		box10 := "registry/operators/gamma-infogerance/drimboxes/10.yaml"
		f.edit(box10, "on: 2026-11-20\n    revocation_due: 2026-12-05", "on: "+on+"\n    revocation_due: "+due)
		f.git(f.seed, "commit", "-q", "-am", "Switch of DRIMbox 10 dated today")
		f.git(f.seed, "push", "-q", "origin", "main")
		r := f.runner(gh, "schedule", map[string]any{"schedule": "23 6 * * *", "repository": map[string]any{"full_name": "ans-drim-m/trust-space"}}, nil)
		res := r.run("deadlines.yml")
		expect(t, res, map[string]string{"deadlines": "success"})
		var keys []string
		for _, is := range gh.Issues() {
			if hasLabel(is, "held-back") {
				continue
			}
			if !hasLabel(is, "deadline") || is["state"] != "open" {
				t.Fatalf("issue %v", is)
			}
			m := keyRe().FindStringSubmatch(is["body"].(string))
			if m == nil {
				t.Fatalf("issue without a key: %v", is["body"])
			}
			keys = append(keys, m[1])
		}
		if !contains(keys, "revocation/10/beta-teleradiologie/"+on) {
			t.Fatalf("issues %v lack the revocation of DRIMbox 10", keys)
		}
		n := len(gh.Issues())
		expect(t, r.run("deadlines.yml"), map[string]string{"deadlines": "success"})
		if len(gh.Issues()) != n {
			t.Fatalf("a second run opened %d more issues", len(gh.Issues())-n)
		}
	})
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// TestProbeWorkflowSteps runs the probe workflow on a registry with no
// operational DRIMbox (a test never leaves loopback): the run is committed
// to status/ and pushed, and the page is built from it.
func TestProbeWorkflowSteps(t *testing.T) {
	gh := newFakeGitHub(t)
	f := newFixture(t, func(seed string) {
		boxes, _ := filepath.Glob(filepath.Join(seed, "registry", "operators", "*", "drimboxes", "*.yaml"))
		for _, b := range boxes {
			data, _ := os.ReadFile(b)
			os.WriteFile(b, []byte(strings.ReplaceAll(string(data), "status: operational", "status: integrating")), 0o644)
		}
	})
	pki, err := testpki.New(testpki.Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	ctx := map[string]string{
		"vars.DRIMM_APP_ID": "1234567", "secrets.DRIMM_APP_PRIVATE_KEY": "app-key", "steps.app-token.outputs.token": "",
		"vars.DRIMM_PROBE_TRUST_ANCHORS_PEM": string(pki.Root.CertPEM()), "vars.DRIMM_PROBE_CANARY": "",
		"vars.DRIMM_PAGES_URL": "", "steps.deployment.outputs.page_url": "",
	}
	r := f.runner(gh, "schedule", map[string]any{"schedule": "*/5 * * * *", "repository": map[string]any{"full_name": "ans-drim-m/trust-space"}}, ctx)
	res := r.run("probe.yml")
	expect(t, res, map[string]string{"probe": "success", "record": "success", "pages/build": "success", "pages/deploy": "success"})
	// One commit for the run, with every vantage point's own view.
	log := f.originLog("main")
	if len(log) != 2 || !strings.HasPrefix(log[0], "status: probe run ") {
		t.Fatalf("origin main history: %v", log)
	}
	for _, p := range strings.Fields(f.git(f.origin, "diff-tree", "--no-commit-id", "--name-only", "-r", "main")) {
		if !strings.HasPrefix(p, "status/") {
			t.Fatalf("the probe commit changes %s", p)
		}
	}
	for _, vantage := range []string{"gha-ubuntu-24-arm", "gha-ubuntu-22", "gha-ubuntu-24"} {
		if !strings.Contains(log[0], vantage) {
			t.Fatalf("the probe commit %q does not name %s", log[0], vantage)
		}
		f.git(f.origin, "cat-file", "-e", "main:status/vantages/"+vantage+"/run.json")
	}
	if _, err := os.Stat(filepath.Join(r.pages[0], "index.html")); err != nil {
		t.Fatalf("the Pages artifact lacks the weather page: %v", err)
	}
	if len(gh.Requests()) != 0 {
		t.Fatalf("the probe called GitHub's API: %v", gh.Requests())
	}

	// The next build starts from the cached site: drimm, built again the
	// same way, writes only what changed.
	first := writtenFiles(t, res["pages/build"].output)
	again := f.runner(gh, "workflow_call", map[string]any{}, ctx)
	res = again.run("pages.yml")
	expect(t, res, map[string]string{"build": "success", "deploy": "success"})
	if n := writtenFiles(t, res["build"].output); n >= first {
		t.Fatalf("the build from the cached site wrote %d files, the first %d: the cache was not used", n, first)
	}
	t.Logf("first build wrote %d files, the build from the cache %d", first, writtenFiles(t, res["build"].output))
	compareSites(t, r.pages[0], again.pages[0])
}

var writtenRe = regexp.MustCompile(`wrote (\d+) files?; the others were unchanged`)

// writtenFiles reads how many files drimm status build says it wrote.
func writtenFiles(t *testing.T, output string) int {
	t.Helper()
	m := writtenRe.FindStringSubmatch(output)
	if m == nil {
		t.Fatalf("drimm status build did not say what it wrote:\n%s", output)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// compareSites fails unless the two Pages artifacts hold the same files,
// the build's manifest aside.
func compareSites(t *testing.T, a, b string) {
	t.Helper()
	list := func(root string) []string {
		var out []string
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && d.Name() != ".drimm-site" {
				rel, _ := filepath.Rel(root, p)
				out = append(out, rel)
			}
			return nil
		})
		return out
	}
	if la, lb := list(a), list(b); !slices.Equal(la, lb) {
		t.Fatalf("the site built from the cache holds %d files, the first %d", len(lb), len(la))
	}
}
