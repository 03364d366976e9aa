package xadesjstest

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// result is verify.js's verdict on one list: Valid, or the reason xadesjs
// gave for refusing it.
type result struct {
	Valid  bool
	Reason string
}

// globalRoot is where npm install -g put xadesjs; a missing xadesjs fails
// the test, as a missing axe-core does: CI installs both.
func globalRoot(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatal("node not found: run tool/scripts/install-deps.sh (Debian package npm)")
	}
	out, err := exec.Command("npm", "root", "-g").Output()
	if err != nil {
		t.Fatalf("npm root -g: %v: run tool/scripts/install-deps.sh", err)
	}
	root := strings.TrimSpace(string(out))
	if _, err := os.Stat(filepath.Join(root, "xadesjs", "package.json")); err != nil {
		t.Fatalf("xadesjs not found in %s: run tool/scripts/install-deps.sh (npm install -g xadesjs)", root)
	}
	return root
}

// xadesjs runs verify.js on the list; stock leaves xadesjs as shipped,
// without the XPath Filter 2.0 transform the script adds.
func xadesjs(t testing.TB, list []byte, stock bool) result {
	t.Helper()
	root := globalRoot(t)
	file := filepath.Join(t.TempDir(), "list.xml")
	if err := os.WriteFile(file, list, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"verify.js"}
	if stock {
		args = append(args, "--stock")
	}
	cmd := exec.Command("node", append(args, file)...)
	cmd.Env = append(os.Environ(), "NODE_PATH="+root)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	line := strings.TrimSpace(string(out))
	var exit *exec.ExitError
	switch {
	case err == nil && strings.HasPrefix(line, "valid: "):
		return result{Valid: true, Reason: line}
	case errors.As(err, &exit) && exit.ExitCode() == 1 && strings.HasPrefix(line, "invalid: "):
		return result{Reason: strings.TrimPrefix(line, "invalid: ")}
	}
	t.Fatalf("verify.js: %v\nstdout: %s\nstderr: %s", err, out, stderr.Bytes())
	return result{}
}

func mustAccept(t testing.TB, what string, list []byte) {
	t.Helper()
	if r := xadesjs(t, list, false); !r.Valid {
		t.Errorf("xadesjs refuses %s: %s", what, r.Reason)
	}
}

func mustRefuse(t testing.TB, what string, list []byte, reason string) {
	t.Helper()
	r := xadesjs(t, list, false)
	if r.Valid {
		t.Errorf("xadesjs accepts %s", what)
	} else if !strings.Contains(r.Reason, reason) {
		t.Errorf("xadesjs refuses %s for %q, want a reason with %q", what, r.Reason, reason)
	}
}
