package github

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// landOnMain commits an edit straight to main on the origin, as a merged
// pull request or a probe run would, while pull requests stay open.
func (f *fixture) landOnMain(msg string, edit func()) string {
	f.t.Helper()
	f.git(f.seed, "fetch", "-q", "origin")
	f.git(f.seed, "checkout", "-q", "-B", "main", "origin/main")
	edit()
	f.git(f.seed, "add", "-A")
	f.git(f.seed, "commit", "-q", "-m", msg)
	f.git(f.seed, "push", "-q", "origin", "main")
	return f.git(f.seed, "rev-parse", "HEAD")
}

// remerge recomputes refs/pull/n/merge on the current main, as GitHub does
// when the base branch moves.
func (f *fixture) remerge(n int, head string) string {
	f.t.Helper()
	f.git(f.seed, "fetch", "-q", "origin")
	f.git(f.seed, "checkout", "-q", "--detach", "origin/main")
	f.git(f.seed, "merge", "-q", "--no-ff", "-m", "Merge pull request", head)
	merge := f.git(f.seed, "rev-parse", "HEAD")
	f.git(f.seed, "push", "-q", "-f", "origin", merge+":refs/pull/"+itoa(n)+"/merge")
	return merge
}

func (f *fixture) write(path, content string) {
	f.t.Helper()
	p := filepath.Join(f.seed, path)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

// TestWorkflowGate runs the pull-request workflow where a hostile or an
// unlucky pull request would get through or be wrongly refused: a main
// that moved after the branch was cut, a pull request that patches the
// rules it is checked by, and the same pull request in the merge queue,
// whose event names no author.
func TestWorkflowGate(t *testing.T) {
	gh := newFakeGitHub(t)
	f := newFixture(t, nil)
	box1 := "registry/operators/alpha-imagerie/drimboxes/1.yaml"
	box4 := "registry/operators/beta-teleradiologie/drimboxes/4.yaml"

	// An honest update by alpha's maintainer; then main moves: beta
	// declares a new DRIMbox and probe runs commit to status/.
	head, _ := f.pullRequest(21, func() { f.edit(box1, "label: PACS principal", "label: PACS principal du site") })
	f.landOnMain("declaration of DRIMbox 11", func() {
		data, err := os.ReadFile(filepath.Join(f.seed, "registry/operators/beta-teleradiologie/drimboxes/6.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		// A DRIMbox of its own: its own hosts and its own server
		// certificate (CERT-UNIQUE).
		rec := strings.NewReplacer("identifiant: 6", "identifiant: 11", "db6.test", "db11.test", "db-6.gw", "db-11.gw", "vi-6.gw", "vi-11.gw",
			"sha256: 40b057069040a377711dbd33b86f41421243c0de046f5582d5f0f3e36fc58eee", "sha256: 11b057069040a377711dbd33b86f41421243c0de046f5582d5f0f3e36fc58e11").Replace(string(data))
		if !strings.Contains(rec, "11b057069040") {
			t.Fatal("DRIMbox 6's server certificate digest changed: DRIMbox 11 needs one of its own")
		}
		f.write("registry/operators/beta-teleradiologie/drimboxes/11.yaml", rec)
	})
	f.landOnMain("status: probe run 1", func() { f.write("status/run.json", `{"run":1}`+"\n") })
	main := f.landOnMain("status: probe run 2", func() { f.write("status/run.json", `{"run":2}`+"\n") })
	f.remerge(21, head)
	gh.AddPull(21, "alpha-imagerie-ops", main, head, []string{box1}, nil)

	t.Run("main moved", func(t *testing.T) {
		r := f.runner(gh, "pull_request", prPayload(21, "alpha-imagerie-ops", main, head), prContext("alpha-imagerie-ops", main, head))
		r.defaultRef = "refs/pull/21/merge"
		res := r.run("validate.yml")
		expect(t, res, map[string]string{"registry": "success", "head-rules": "success", "plan": "success"})
		if strings.Contains(res["registry"].output, "::error") {
			t.Fatalf("annotations on an honest change:\n%s", res["registry"].output)
		}
		expect(t, f.planComment(gh, r.ctx["github.run_id"], head, 21), map[string]string{"comment": "success"})
		body := gh.Comments(21)[0]["body"].(string)
		if !strings.Contains(body, "**Procedure:** update (DRIMbox 1)") {
			t.Fatalf("plan comment:\n%s", body)
		}
		for _, bad := range []string{"DRIMbox 11", "status/run.json", "CHG-", "[!CAUTION]"} {
			if strings.Contains(body, bad) {
				t.Fatalf("the plan blames the pull request for what main did (%q):\n%s", bad, body)
			}
		}
	})

	// alpha's maintainer points beta's DRIMbox 4 at its own host and, so
	// that the check lets it through, makes the change rules find nothing.
	rules := "tool/internal/lifecycle/check.go"
	hostile, hostileMerge := f.pullRequest(22, func() {
		f.edit(box4, "db: db-4.gw.beta-teleradiologie.example", "db: db-4.gw.alpha-imagerie.example")
		f.edit(rules, "func (c *Change) Check() []registry.Finding {\n", "func (c *Change) Check() []registry.Finding {\n\tif true {\n\t\treturn nil\n\t}\n")
	})
	gh.AddPull(22, "alpha-imagerie-ops", main, hostile, []string{box4, rules}, nil)

	t.Run("pull request patching the rules", func(t *testing.T) {
		r := f.runner(gh, "pull_request", prPayload(22, "alpha-imagerie-ops", main, hostile), prContext("alpha-imagerie-ops", main, hostile))
		r.defaultRef = "refs/pull/22/merge"
		res := r.run("validate.yml")
		// The pull request's own build passes it: that is why it is
		// reported apart and not required.
		expect(t, res, map[string]string{"registry": "failure", "head-rules": "success", "plan": "success"})
		out := res["registry"].output
		for _, want := range []string{
			"::error file=" + box4 + ",line=2,col=11,title=CHG-AUTHOR::alpha-imagerie-ops is not a maintainer of operator beta-teleradiologie",
			"::error file=" + rules + ",line=1,col=1,title=CHG-AUTHOR::alpha-imagerie-ops changes " + rules,
		} {
			if !strings.Contains(out, want) {
				t.Fatalf("registry job lacks %q:\n%s", want, out)
			}
		}
	})

	t.Run("merge group without an author in its event", func(t *testing.T) {
		queue := "refs/heads/gh-readonly-queue/main/pr-22-" + main
		f.git(f.seed, "push", "-q", "origin", hostileMerge+":"+queue)
		base := f.git(f.seed, "rev-parse", hostileMerge+"^1")
		payload := map[string]any{"merge_group": map[string]any{"head_sha": hostileMerge, "head_ref": queue, "base_sha": base, "base_ref": "refs/heads/main"},
			"repository": map[string]any{"full_name": "ans-drim-m/trust-space"}}
		ctx := map[string]string{"github.event.pull_request.base.sha": "", "github.event.pull_request.head.sha": "", "github.event.pull_request.user.login": "",
			"github.event.merge_group.base_sha": base, "github.event.merge_group.head_sha": hostileMerge}
		r := f.runner(gh, "merge_group", payload, ctx)
		r.defaultRef = queue
		res := r.run("validate.yml")
		expect(t, res, map[string]string{"registry": "failure", "head-rules": "skipped", "plan": "skipped"})
		if !strings.Contains(res["registry"].output, "file="+box4+",line=2,col=11,title=CHG-AUTHOR::alpha-imagerie-ops is not a maintainer of operator beta-teleradiologie") {
			t.Fatalf("registry job in the merge group:\n%s", res["registry"].output)
		}
	})
}
