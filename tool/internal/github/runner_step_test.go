package github

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/rhysd/actionlint"
)

// job runs the steps of one job in a fresh workspace with a token that
// carries the job's permissions.
func (r *runner) job(wfName, id string, wf *actionlint.Workflow, job *actionlint.Job, perms map[string]string) *result {
	r.t.Helper()
	r.jobs++
	dir := filepath.Join(r.tmp, fmt.Sprintf("job%02d-%s-%s", r.jobs, strings.TrimSuffix(wfName, ".yml"), id))
	ws, temp := filepath.Join(dir, "workspace"), filepath.Join(dir, "temp")
	for _, d := range []string{ws, temp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			r.t.Fatal(err)
		}
	}
	res := &result{state: "success", token: r.gh.mint(perms)}
	r.ctx["runner.temp"] = temp
	r.ctx["github.token"], r.ctx["secrets.GITHUB_TOKEN"] = res.token, res.token
	// The steps and env contexts are the job's own; the outputs a test
	// gives for the actions it plays stay.
	for k := range r.ctx {
		if r.jobKeys[k] || strings.HasPrefix(k, "env.") {
			delete(r.ctx, k)
		}
	}
	r.jobKeys = map[string]bool{}
	// The job's env: the workflow's, then the job's, each evaluated
	// with the env context of the levels above it.
	env := map[string]string{}
	for _, e := range []*actionlint.Env{wf.Env, job.Env} {
		r.setEnv(env, e)
	}
	ctx, cancel := r.timeout(job.TimeoutMinutes)
	defer cancel()
	var out, summary bytes.Buffer
	var paths []string
	for i, step := range job.Steps {
		name := fmt.Sprintf("step %d", i+1)
		if step.Name != nil {
			name = step.Name.Value
		}
		if !r.cond(step.If, res.state == "success") {
			fmt.Fprintf(&out, "--- %s: skipped\n", name)
			r.stepResult(step, "skipped", "skipped")
			continue
		}
		if f := r.before[name]; f != nil {
			f()
		}
		files := map[string]string{}
		for _, f := range []string{"GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STEP_SUMMARY"} {
			files[f] = filepath.Join(dir, fmt.Sprintf("%s-%d", strings.ToLower(f), i+1))
			if err := os.WriteFile(files[f], nil, 0o644); err != nil {
				r.t.Fatal(err)
			}
		}
		var err error
		switch ex := step.Exec.(type) {
		case *actionlint.ExecAction:
			err = r.action(ex, ws)
		case *actionlint.ExecRun:
			stepEnv := maps(env)
			r.setEnv(stepEnv, step.Env)
			err = r.shell(ctx, step, ex, wf, job, ws, temp, files, stepEnv, paths, &out)
		}
		fmt.Fprintf(&out, "--- %s: %v\n", name, err)
		r.readOutputs(step, files["GITHUB_OUTPUT"])
		for k, v := range readKeyValues(r, files["GITHUB_ENV"]) {
			env[k] = v
			r.ctx["env."+k] = v
		}
		paths = append(readLines(files["GITHUB_PATH"]), paths...)
		s, _ := os.ReadFile(files["GITHUB_STEP_SUMMARY"])
		summary.Write(s)
		outcome := "success"
		if err != nil {
			outcome = "failure"
		}
		conclusion := outcome
		if err != nil && r.continueOnError(step) {
			conclusion = "success"
		}
		r.stepResult(step, outcome, conclusion)
		if conclusion == "failure" && res.state == "success" {
			res.state, res.failed = "failure", name
		}
	}
	r.saveCaches(res.state == "success")
	res.output = out.String()
	res.summary = summary.String()
	return res
}

func maps(m map[string]string) map[string]string {
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// setEnv evaluates an env: block into env, exposing each level's values
// to the next as the env context.
func (r *runner) setEnv(env map[string]string, e *actionlint.Env) {
	r.t.Helper()
	for k, v := range env {
		r.ctx["env."+k] = v
	}
	if e == nil {
		return
	}
	if e.Expression != nil {
		r.t.Fatalf("env: %s: this test reads env: as a mapping only", e.Expression.Value)
	}
	for _, v := range e.Vars {
		env[v.Name.Value] = r.expand(v.Value.Value)
	}
}

func (r *runner) stepResult(step *actionlint.Step, outcome, conclusion string) {
	if step.ID == nil {
		return
	}
	for k, v := range map[string]string{"outcome": outcome, "conclusion": conclusion} {
		key := "steps." + step.ID.Value + "." + k
		r.ctx[key], r.jobKeys[key] = v, true
	}
}

func (r *runner) continueOnError(step *actionlint.Step) bool {
	r.t.Helper()
	c := step.ContinueOnError
	if c == nil {
		return false
	}
	if c.Expression != nil {
		return r.expand(c.Expression.Value) == "true"
	}
	return c.Value
}

// timeout is a timeout-minutes: as a deadline on the commands it covers.
func (r *runner) timeout(f *actionlint.Float) (context.Context, context.CancelFunc) {
	r.t.Helper()
	if f == nil {
		return context.WithCancel(context.Background())
	}
	if f.Expression != nil {
		r.t.Fatalf("timeout-minutes: %s: this test reads numbers only", f.Expression.Value)
	}
	return context.WithTimeout(context.Background(), time.Duration(f.Value*float64(time.Minute)))
}

// shells are the commands GitHub runs a script with on Linux, by shell:
// value; "" is the default when none is given, which has no pipefail.
var shells = map[string][]string{
	"":     {"bash", "-e"},
	"bash": {"bash", "--noprofile", "--norc", "-eo", "pipefail"},
	"sh":   {"sh", "-e"},
}

// shell runs a run: step.
func (r *runner) shell(ctx context.Context, step *actionlint.Step, ex *actionlint.ExecRun, wf *actionlint.Workflow, job *actionlint.Job,
	ws, temp string, files, env map[string]string, paths []string, out *bytes.Buffer) error {
	r.t.Helper()
	shell, wd := "", ""
	for _, d := range []*actionlint.Defaults{wf.Defaults, job.Defaults} {
		if d != nil && d.Run != nil {
			if d.Run.Shell != nil {
				shell = d.Run.Shell.Value
			}
			if d.Run.WorkingDirectory != nil {
				wd = d.Run.WorkingDirectory.Value
			}
		}
	}
	if ex.Shell != nil {
		shell = ex.Shell.Value
	}
	if ex.WorkingDirectory != nil {
		wd = ex.WorkingDirectory.Value
	}
	argv, ok := shells[shell]
	if !ok {
		r.t.Fatalf("shell: %s: this test runs bash and sh only", shell)
	}
	dir := ws
	if wd = r.expand(wd); wd != "" {
		dir = wd
		if !filepath.IsAbs(wd) {
			dir = filepath.Join(ws, wd)
		}
	}
	vars := slices.Clone(r.env)
	vars = append(vars, "GITHUB_WORKSPACE="+ws, "RUNNER_TEMP="+temp)
	for k, v := range files {
		vars = append(vars, k+"="+v)
	}
	vars = append(vars, r.pathEnv(paths))
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		vars = append(vars, k+"="+env[k])
	}
	script := filepath.Join(temp, fmt.Sprintf("step-%p.sh", step))
	if err := os.WriteFile(script, []byte(ex.Run.Value), 0o644); err != nil {
		r.t.Fatal(err)
	}
	if step.TimeoutMinutes != nil {
		var cancel context.CancelFunc
		ctx, cancel = r.timeout(step.TimeoutMinutes)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, argv[0], append(argv[1:], script)...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, vars, out, out
	return cmd.Run()
}

// readOutputs reads what a step wrote to GITHUB_OUTPUT into
// steps.<id>.outputs.<name>.
func (r *runner) readOutputs(step *actionlint.Step, file string) {
	r.t.Helper()
	kv := readKeyValues(r, file)
	if len(kv) > 0 && step.ID == nil {
		r.t.Fatalf("a step without an id writes outputs %v no one can read", kv)
	}
	for k, v := range kv {
		key := "steps." + step.ID.Value + ".outputs." + k
		r.ctx[key], r.jobKeys[key] = v, true
	}
}

// readKeyValues reads GITHUB_OUTPUT and GITHUB_ENV's format: name=value
// lines, or name<<DELIMITER, lines, DELIMITER.
func readKeyValues(r *runner, file string) map[string]string {
	r.t.Helper()
	data, _ := os.ReadFile(file)
	kv := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		if k, delim, ok := strings.Cut(line, "<<"); ok && !strings.Contains(k, "=") {
			var lines []string
			closed := false
			for sc.Scan() {
				if sc.Text() == delim {
					closed = true
					break
				}
				lines = append(lines, sc.Text())
			}
			if !closed {
				r.t.Fatalf("%s: %s<<%s is never closed", filepath.Base(file), k, delim)
			}
			kv[k] = strings.Join(lines, "\n")
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			r.t.Fatalf("%s: %q is neither name=value nor name<<DELIMITER", filepath.Base(file), line)
		}
		kv[k] = v
	}
	return kv
}

func readLines(file string) []string {
	data, _ := os.ReadFile(file)
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append([]string{l}, out...)
		}
	}
	return out
}

// pathEnv puts the folders steps added to GITHUB_PATH, latest first,
// before PATH.
func (r *runner) pathEnv(paths []string) string {
	path := ""
	for _, e := range r.env {
		if strings.HasPrefix(e, "PATH=") {
			path = strings.TrimPrefix(e, "PATH=")
		}
	}
	for i := len(paths) - 1; i >= 0; i-- {
		path = paths[i] + string(os.PathListSeparator) + path
	}
	return "PATH=" + path
}
