package cli

import (
	"bytes"
	"encoding/hex"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// treeRepo is a registry committed in a real git repository, to which
// tests add commits whose trees git itself would never write.
type treeRepo struct {
	t   *testing.T
	dir string
}

func (r *treeRepo) git(stdin []byte, args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	cmd.Stdin = bytes.NewReader(stdin)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+r.dir, "GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.invalid",
		"GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.invalid", "GIT_AUTHOR_DATE=2026-06-01T10:00:00Z", "GIT_COMMITTER_DATE=2026-06-01T10:00:00Z")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

// entries lists a tree of the head as "mode name hash" lines.
func (r *treeRepo) entries(dir string) []string {
	var out []string
	for _, e := range strings.Split(strings.TrimRight(r.git(nil, "ls-tree", "-z", "HEAD:"+dir), "\x00"), "\x00") {
		meta, name, _ := strings.Cut(e, "\t")
		f := strings.Fields(meta)
		out = append(out, strings.TrimPrefix(f[0], "0")+" "+name+" "+f[2])
	}
	return out
}

// writeTree writes a tree object with the entries in the order given.
func (r *treeRepo) writeTree(entries []string) string {
	var raw bytes.Buffer
	for _, e := range entries {
		mode, rest, _ := strings.Cut(e, " ")
		i := strings.LastIndexByte(rest, ' ')
		h, err := hex.DecodeString(rest[i+1:])
		if err != nil {
			r.t.Fatal(err)
		}
		raw.WriteString(mode + " " + rest[:i] + "\x00")
		raw.Write(h)
	}
	return r.git(raw.Bytes(), "hash-object", "-t", "tree", "--literally", "-w", "--stdin")
}

// commitWith commits the head's tree with the folder dir's entries
// replaced, its parents' trees rewritten to hold it.
func (r *treeRepo) commitWith(dir string, entries []string) string {
	h := r.writeTree(entries)
	for dir != "" {
		parent, name := path.Dir(dir), path.Base(dir)
		if parent == "." {
			parent = ""
		}
		var es []string
		for _, e := range r.entries(parent) {
			if strings.HasPrefix(e, "40000 "+name+" ") {
				e = "40000 " + name + " " + h
			}
			es = append(es, e)
		}
		h, dir = r.writeTree(es), parent
	}
	return r.git(nil, "commit-tree", h, "-p", "HEAD", "-m", "head")
}

// TestValidateRefusesBadTrees: a pull request whose head holds a tree git
// fsck refuses is a finding, exit 1, saying which tree and why.
func TestValidateRefusesBadTrees(t *testing.T) {
	requireTool(t, "git", "git")
	r := &treeRepo{t: t, dir: t.TempDir()}
	if err := os.CopyFS(filepath.Join(r.dir, "registry"), os.DirFS(sampleRegistry)); err != nil {
		t.Fatal(err)
	}
	r.git(nil, "init", "-q", "-b", "main")
	r.git(nil, "add", "-A")
	r.git(nil, "commit", "-q", "-m", "base")
	const boxes = "registry/operators/alpha-imagerie/drimboxes"
	es := r.entries(boxes)
	if len(es) != 3 || !strings.HasPrefix(es[0], "100644 1.yaml ") {
		t.Fatalf("sample DRIMboxes: %v", es)
	}
	// Another blob under the name of DRIMbox 1: git may check out either.
	other := r.git([]byte("identifiant: 1\n"), "hash-object", "-w", "--stdin")
	for _, tt := range []struct {
		name    string
		dir     string
		entries []string
		msg     string
	}{
		{"two entries of one name", boxes, append([]string{es[0], "100644 1.yaml " + other}, es[1:]...), `two entries are named "1.yaml"`},
		{"entries out of order", boxes, []string{es[1], es[0], es[2]}, "out of git's order"},
		{"a .git folder", "registry/operators", append(r.entries("registry/operators"), "40000 GIT~1 "+strings.Fields(r.entries("registry/operators")[0])[2]), "read as .git"},
		{"a name holding a path", boxes, append(es, "100644 x/1.yaml "+other), "holds a '/'"},
		{"an empty name", boxes, append([]string{"100644  " + other}, es...), "empty name"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			head := r.commitWith(tt.dir, tt.entries)
			code, stdout, stderr := runDrimm(t, r.dir, nil, "validate", "--registry", filepath.Join(r.dir, "registry"), "--base", "main", "--head", head, "--author", "ans-reviewer")
			if code != ExitFindings || !strings.Contains(stdout, "GIT-TREE: ") || !strings.Contains(stdout, tt.msg) || !strings.HasPrefix(stdout, tt.dir+"/:1:1: ") {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
		})
	}
	// The same tree written by git: no finding.
	head := r.commitWith(boxes, es)
	if code, stdout, stderr := runDrimm(t, r.dir, nil, "validate", "--registry", filepath.Join(r.dir, "registry"), "--base", "main", "--head", head, "--author", "ans-reviewer"); code != ExitOK {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
}
