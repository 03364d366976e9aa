package github

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
)

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
	dst := filepath.Join(r.tmp, "artifact-"+r.ctx["github.run_id"]+"-"+name)
	if fi.IsDir() {
		err = os.CopyFS(dst, os.DirFS(path))
	} else if err = os.MkdirAll(dst, 0o755); err == nil {
		var data []byte
		if data, err = os.ReadFile(path); err == nil {
			err = os.WriteFile(filepath.Join(dst, filepath.Base(path)), data, 0o644)
		}
	}
	r.artifacts[name] = dst
	if r.stored != nil {
		id := r.ctx["github.run_id"]
		if (*r.stored)[id] == nil {
			(*r.stored)[id] = map[string]string{}
		}
		(*r.stored)[id][name] = dst
	}
	return err
}

// download copies the artifacts whose names match pattern into path, each
// in a folder of its name, or all together with merge-multiple.
// With name, the one artifact goes straight into path; with run-id, it is
// another run's, read through the API with github-token, which must carry
// actions: read.
func (r *runner) download(ex *actionlint.ExecAction, ws string) error {
	pattern, path := r.input(ex, "pattern"), r.input(ex, "path")
	if !filepath.IsAbs(path) {
		path = filepath.Join(ws, path)
	}
	if name := r.input(ex, "name"); name != "" {
		if pattern != "" {
			return fmt.Errorf("download-artifact: name and pattern together")
		}
		from := r.artifacts
		if id := r.input(ex, "run-id"); id != "" {
			if !r.gh.grants(r.input(ex, "github-token"), "actions", "read") {
				return fmt.Errorf("download-artifact: Resource not accessible by integration (403): the token lacks actions: read")
			}
			from = (*r.stored)[id]
		}
		dir, ok := from[name]
		if !ok {
			return fmt.Errorf("download-artifact: Artifact not found for name: %s", name)
		}
		if err := os.CopyFS(path, os.DirFS(dir)); err != nil {
			return fmt.Errorf("download-artifact: %w", err)
		}
		return nil
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

func (r *runner) input(ex *actionlint.ExecAction, name string) string {
	if in := ex.Inputs[name]; in != nil && in.Value != nil {
		return r.expand(in.Value.Value)
	}
	return ""
}

// actionInputs are the inputs of each action this runner plays; another
// input fails the test, as its effect would be missing.
var actionInputs = map[string][]string{
	// persist-credentials and token decide how a later push
	// authenticates, which the fixture's origin (a folder) does not ask.
	"actions/checkout": {"ref", "fetch-depth", "persist-credentials", "token"},
	// setup-go's module cache only saves time.
	"actions/setup-go":                {"go-version-file", "cache-dependency-path", "cache"},
	"actions/upload-pages-artifact":   {"path"},
	"actions/create-github-app-token": {"app-id", "private-key", "permission-contents"},
	"actions/cache":                   {"key", "path", "restore-keys"},
	"actions/upload-artifact":         {"name", "path", "if-no-files-found", "retention-days"},
	"actions/download-artifact":       {"pattern", "name", "path", "merge-multiple", "run-id", "github-token"},
	"actions/deploy-pages":            {},
}

// action plays the actions the workflows use.
func (r *runner) action(ex *actionlint.ExecAction, ws string) error {
	r.t.Helper()
	uses, _, _ := strings.Cut(ex.Uses.Value, "@")
	known, ok := actionInputs[uses]
	if !ok {
		r.t.Fatalf("the workflows use %s, which this test cannot play", ex.Uses.Value)
	}
	for name := range ex.Inputs {
		if !slices.Contains(known, name) {
			r.t.Fatalf("%s: this test does not play the input %s", uses, name)
		}
	}
	switch uses {
	case "actions/checkout":
		ref := r.input(ex, "ref")
		if ref == "" {
			ref = r.defaultRef
		}
		depth := r.input(ex, "fetch-depth")
		if depth == "" {
			depth = "1"
		}
		return r.checkout(ws, ref, depth)
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
	r.t.Fatalf("%s is listed but not played", uses)
	return nil
}

// checkout clones the origin into the workspace as actions/checkout does:
// with fetch-depth 0 every branch and tag, else only the ref, that many
// commits deep (1 by default: a shallow clone, whose history is one
// commit); a branch is checked out as a local branch tracking origin, any
// other ref (refs/pull/N/merge, a merge queue branch, a SHA) detached.
func (r *runner) checkout(ws, ref, depth string) error {
	steps := [][]string{
		{"init", "-q", "-b", "main", "."},
		{"remote", "add", "origin", r.origin},
	}
	fetch := []string{"fetch", "-q", "--no-tags", "origin"}
	if depth == "0" {
		steps = append(steps, []string{"fetch", "-q", "origin", "+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"})
	} else {
		fetch = append(fetch, "--depth="+depth)
	}
	branch := strings.TrimPrefix(ref, "refs/heads/")
	switch {
	case strings.HasPrefix(ref, "refs/pull/") || strings.Contains(ref, "gh-readonly-queue") || regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(ref):
		steps = append(steps, append(fetch, ref), []string{"checkout", "-q", "--detach", "FETCH_HEAD"})
	default:
		if depth != "0" {
			steps = append(steps, append(fetch, "+refs/heads/"+branch+":refs/remotes/origin/"+branch))
		}
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
