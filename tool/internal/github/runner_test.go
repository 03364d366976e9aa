package github

import (
	"bufio"
	"bytes"
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

	"github.com/rhysd/actionlint"
)

// runner runs a workflow's jobs the way a GitHub runner would, as far as
// the trust space's workflows go: each run: step with bash -eo pipefail in
// the job's workspace, with the workflow's env: expressions evaluated from
// a table of contexts, GITHUB_PATH honoured, and the actions the workflows
// use played by local equivalents (checkout from the bare origin, Pages
// artifacts kept in a folder). Anything else fails the test, so that a new
// expression or action cannot pass unexamined.
type runner struct {
	t      *testing.T
	origin string // bare repository standing for GitHub's copy
	tmp    string
	env    []string          // the process environment of every step
	ctx    map[string]string // expression → value
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
	// artifacts are the run's uploaded artifacts, by name.
	artifacts map[string]string
}

type savedCache struct{ key, dir string }

// result is how a job ended.
type result struct {
	state   string // success, failure or skipped
	failed  string // name of the failing step
	output  string // everything the steps printed
	summary string // GITHUB_STEP_SUMMARY
}

var exprRe = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// eval evaluates an expression of the workflows (see evalExpr) with the
// runner's contexts; a context the test does not provide fails the test.
func (r *runner) eval(expr string) string {
	r.t.Helper()
	v, err := evalExpr(expr, func(name string) (string, bool) { s, ok := r.ctx[name]; return s, ok })
	if err != nil {
		r.t.Fatalf("${{ %s }}: %v", expr, err)
	}
	return v.String()
}

func (r *runner) expand(s string) string {
	return exprRe.ReplaceAllStringFunc(s, func(m string) string { return r.eval(exprRe.FindStringSubmatch(m)[1]) })
}

func (r *runner) parse(name string) *actionlint.Workflow {
	r.t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(r.t), ".github", "workflows", name))
	if err != nil {
		r.t.Fatal(err)
	}
	wf, errs := actionlint.Parse(data)
	if len(errs) > 0 {
		r.t.Fatalf("%s: %v", name, errs[0])
	}
	return wf
}

// run runs every job of a workflow whose if: holds, in the order needs:
// gives; a job whose needs failed is skipped. Results are keyed by job id,
// and by caller/called job id for reusable workflows.
func (r *runner) run(name string) map[string]*result {
	r.t.Helper()
	wf := r.parse(name)
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
			ready, skip := true, false
			for _, n := range job.Needs {
				res := results[n.Value]
				if res == nil {
					ready = false
				} else if res.state != "success" {
					skip = true
				}
			}
			if !ready {
				continue
			}
			progressed = true
			cond := ""
			if job.If != nil {
				cond = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(job.If.Value), "${{"), "}}")
			}
			// A status check function in if: decides instead of the
			// needs' success; nothing here is ever cancelled.
			r.ctx["success()"], r.ctx["failure()"] = strconv.FormatBool(!skip), strconv.FormatBool(skip)
			r.ctx["cancelled()"], r.ctx["always()"] = "false", "true"
			if usesStatusFunc(cond) {
				skip = false
			}
			if skip || (cond != "" && r.eval(cond) != "true") {
				results[id] = &result{state: "skipped"}
				continue
			}
			if job.WorkflowCall != nil {
				called := r.run(strings.TrimPrefix(job.WorkflowCall.Uses.Value, "./.github/workflows/"))
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
			results[id] = r.matrix(name, id, job)
		}
		if !progressed {
			r.t.Fatalf("%s: jobs wait on each other", name)
		}
	}
	return results
}

// matrix runs a job once per combination of its strategy.matrix include
// list, with ${{ matrix.<key> }} set for each, and keeps each run's result
// as id/<first value>; the job fails when one run does. A job without a
// matrix runs once.
func (r *runner) matrix(wfName, id string, job *actionlint.Job) *result {
	r.t.Helper()
	if job.Strategy == nil || job.Strategy.Matrix == nil {
		return r.job(wfName, id, job)
	}
	m := job.Strategy.Matrix
	if len(m.Rows) > 0 || m.Exclude != nil || m.Include == nil || m.Include.ContainsExpression() {
		r.t.Fatalf("%s: job %s: this test runs matrices made of include: entries only", wfName, id)
	}
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
		res := r.job(wfName, id, job)
		all.output += res.output
		if res.state != "success" {
			all.state, all.failed = res.state, res.failed
		}
		for _, k := range keys {
			delete(r.ctx, "matrix."+k)
		}
	}
	return all
}

func (r *runner) job(wfName, id string, job *actionlint.Job) *result {
	r.t.Helper()
	r.jobs++
	dir := filepath.Join(r.tmp, fmt.Sprintf("job%02d-%s-%s", r.jobs, strings.TrimSuffix(wfName, ".yml"), id))
	ws, temp := filepath.Join(dir, "workspace"), filepath.Join(dir, "temp")
	for _, d := range []string{ws, temp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			r.t.Fatal(err)
		}
	}
	files := map[string]string{}
	for _, f := range []string{"GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STEP_SUMMARY"} {
		files[f] = filepath.Join(dir, strings.ToLower(f))
		if err := os.WriteFile(files[f], nil, 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
	r.ctx["runner.temp"] = temp
	res := &result{state: "success"}
	var out bytes.Buffer
	for i, step := range job.Steps {
		name := fmt.Sprintf("step %d", i+1)
		if step.Name != nil {
			name = step.Name.Value
		}
		if f := r.before[name]; f != nil {
			f()
		}
		var err error
		switch ex := step.Exec.(type) {
		case *actionlint.ExecAction:
			err = r.action(ex, ws)
		case *actionlint.ExecRun:
			env := slices.Clone(r.env)
			env = append(env, "GITHUB_WORKSPACE="+ws, "RUNNER_TEMP="+temp)
			for k, v := range files {
				env = append(env, k+"="+v)
			}
			env = append(env, r.pathEnv(files["GITHUB_PATH"]))
			for _, e := range []*actionlint.Env{job.Env, step.Env} {
				if e == nil {
					continue
				}
				for _, v := range e.Vars {
					env = append(env, v.Name.Value+"="+r.expand(v.Value.Value))
				}
			}
			script := filepath.Join(temp, fmt.Sprintf("step%d.sh", i+1))
			if err := os.WriteFile(script, []byte(ex.Run.Value), 0o644); err != nil {
				r.t.Fatal(err)
			}
			cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
			cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = ws, env, &out, &out
			err = cmd.Run()
		}
		fmt.Fprintf(&out, "--- %s: %v\n", name, err)
		if err != nil {
			res.state, res.failed = "failure", name
			break
		}
	}
	r.saveCaches(res.state == "success")
	res.output = out.String()
	summary, _ := os.ReadFile(files["GITHUB_STEP_SUMMARY"])
	res.summary = string(summary)
	return res
}

// upload keeps the file or folder at path as artifact name, for the
// jobs after it in the same run.
func (r *runner) upload(ex *actionlint.ExecAction, ws string) error {
	name, path := r.input(ex, "name"), r.input(ex, "path")
	if !filepath.IsAbs(path) {
		path = filepath.Join(ws, path)
	}
	fi, err := os.Stat(path)
	if err != nil {
		if r.input(ex, "if-no-files-found") == "error" {
			return fmt.Errorf("upload-artifact: %w", err)
		}
		return nil
	}
	if r.artifacts == nil {
		r.artifacts = map[string]string{}
	}
	if _, dup := r.artifacts[name]; dup {
		return fmt.Errorf("upload-artifact: an artifact named %s was already uploaded", name)
	}
	dst := filepath.Join(r.tmp, "artifact-"+name)
	if fi.IsDir() {
		err = os.CopyFS(dst, os.DirFS(path))
	} else if err = os.MkdirAll(dst, 0o755); err == nil {
		var data []byte
		if data, err = os.ReadFile(path); err == nil {
			err = os.WriteFile(filepath.Join(dst, filepath.Base(path)), data, 0o644)
		}
	}
	r.artifacts[name] = dst
	return err
}

// download copies the artifacts whose names match pattern into path, each
// in a folder of its name, or all together with merge-multiple.
func (r *runner) download(ex *actionlint.ExecAction, ws string) error {
	pattern, path := r.input(ex, "pattern"), r.input(ex, "path")
	if !filepath.IsAbs(path) {
		path = filepath.Join(ws, path)
	}
	for name, dir := range r.artifacts {
		if ok, _ := filepath.Match(pattern, name); !ok {
			continue
		}
		dst := path
		if r.input(ex, "merge-multiple") != "true" {
			dst = filepath.Join(path, name)
		}
		if err := os.CopyFS(dst, os.DirFS(dir)); err != nil {
			return fmt.Errorf("download-artifact: %w", err)
		}
	}
	return nil
}

// cache restores the folder saved under the key, or under the latest
// key that starts with a restore key, and saves the folder under the key
// when the job ends well.
func (r *runner) cache(ex *actionlint.ExecAction, ws string) error {
	key, path := r.input(ex, "key"), r.input(ex, "path")
	if key == "" || path == "" {
		return fmt.Errorf("cache: key and path are required")
	}
	dst := filepath.Join(ws, path)
	find := func(match func(string) bool) string {
		for i := len(*r.caches) - 1; i >= 0; i-- {
			if c := (*r.caches)[i]; match(c.key) {
				return c.dir
			}
		}
		return ""
	}
	from := find(func(k string) bool { return k == key })
	for _, prefix := range strings.Split(r.input(ex, "restore-keys"), "\n") {
		if prefix = strings.TrimSpace(prefix); from == "" && prefix != "" {
			from = find(func(k string) bool { return strings.HasPrefix(k, prefix) })
		}
	}
	if from != "" {
		if err := os.CopyFS(dst, os.DirFS(from)); err != nil {
			return fmt.Errorf("cache: restoring %s: %w", key, err)
		}
	}
	r.saves = append(r.saves, savedCache{key: key, dir: dst})
	return nil
}

// saveCaches keeps the folders of the job's cache steps, as the post
// step of actions/cache does after a successful job.
func (r *runner) saveCaches(ok bool) {
	r.t.Helper()
	for _, s := range r.saves {
		if !ok || slices.ContainsFunc(*r.caches, func(c savedCache) bool { return c.key == s.key }) {
			continue
		}
		if _, err := os.Stat(s.dir); err != nil {
			continue
		}
		dir := filepath.Join(r.tmp, fmt.Sprintf("cache%d", len(*r.caches)+1))
		if err := os.CopyFS(dir, os.DirFS(s.dir)); err != nil {
			r.t.Fatalf("cache: saving %s: %v", s.key, err)
		}
		*r.caches = append(*r.caches, savedCache{key: s.key, dir: dir})
	}
	r.saves = nil
}

// pathEnv puts the folders steps added to GITHUB_PATH before PATH.
func (r *runner) pathEnv(file string) string {
	path := ""
	for _, e := range r.env {
		if strings.HasPrefix(e, "PATH=") {
			path = strings.TrimPrefix(e, "PATH=")
		}
	}
	data, _ := os.ReadFile(file)
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			path = l + string(os.PathListSeparator) + path
		}
	}
	return "PATH=" + path
}

func (r *runner) input(ex *actionlint.ExecAction, name string) string {
	if in := ex.Inputs[name]; in != nil && in.Value != nil {
		return r.expand(in.Value.Value)
	}
	return ""
}

// action plays the actions the workflows use.
func (r *runner) action(ex *actionlint.ExecAction, ws string) error {
	r.t.Helper()
	uses, _, _ := strings.Cut(ex.Uses.Value, "@")
	switch uses {
	case "actions/checkout":
		ref := r.input(ex, "ref")
		if ref == "" {
			ref = r.defaultRef
		}
		return r.checkout(ws, ref)
	case "actions/setup-go":
		if f := r.input(ex, "go-version-file"); f != "" {
			if _, err := os.Stat(filepath.Join(ws, f)); err != nil {
				return fmt.Errorf("setup-go: %w", err)
			}
		}
		return nil
	case "actions/upload-pages-artifact":
		path := r.input(ex, "path")
		if path == "" {
			path = "_site"
		}
		src := filepath.Join(ws, path)
		if _, err := os.Stat(src); err != nil {
			return fmt.Errorf("upload-pages-artifact: %w", err)
		}
		dst := filepath.Join(r.tmp, fmt.Sprintf("pages%d", len(r.pages)+1))
		if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
			return err
		}
		r.pages = append(r.pages, dst)
		return nil
	case "actions/create-github-app-token":
		// Minted per run from the App's id and key, with explicit
		// permissions only: the step's output is in the context table.
		if r.input(ex, "app-id") == "" || r.input(ex, "private-key") == "" {
			return fmt.Errorf("create-github-app-token: app-id and private-key are required")
		}
		return nil
	case "actions/cache":
		return r.cache(ex, ws)
	case "actions/upload-artifact":
		return r.upload(ex, ws)
	case "actions/download-artifact":
		return r.download(ex, ws)
	case "actions/deploy-pages":
		if len(r.pages) == 0 {
			return fmt.Errorf("deploy-pages: no Pages artifact was uploaded")
		}
		r.deployed++
		return nil
	}
	r.t.Fatalf("the workflows use %s, which this test cannot play", ex.Uses.Value)
	return nil
}

// checkout clones the origin into the workspace as actions/checkout does:
// a branch is checked out as a local branch tracking origin, any other ref
// (refs/pull/N/merge, a merge queue branch, a SHA) detached.
func (r *runner) checkout(ws, ref string) error {
	steps := [][]string{
		{"init", "-q", "-b", "main", "."},
		{"remote", "add", "origin", r.origin},
		{"fetch", "-q", "--no-tags", "origin", "+refs/heads/*:refs/remotes/origin/*"},
	}
	branch := strings.TrimPrefix(ref, "refs/heads/")
	switch {
	case strings.HasPrefix(ref, "refs/pull/") || strings.Contains(ref, "gh-readonly-queue") || regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(ref):
		steps = append(steps, []string{"fetch", "-q", "--no-tags", "origin", ref}, []string{"checkout", "-q", "--detach", "FETCH_HEAD"})
	default:
		steps = append(steps, []string{"checkout", "-q", "-B", branch, "refs/remotes/origin/" + branch},
			[]string{"branch", "-q", "--set-upstream-to=origin/" + branch, branch})
	}
	for _, args := range steps {
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Env = ws, r.env
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("checkout: git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	return nil
}

// copyTree copies a source tree for the fixture repository, leaving out
// tests and their data: the workflows build drimm, they do not test it.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			if d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		if strings.HasSuffix(p, "_test.go") || !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
