package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

// sampleRegistry is a frozen copy of the sample registry: tests never read
// the live registry/, which ANS reviewers keep changing.
const sampleRegistry = "../../testdata/registry"

// testNow is the clock of the command-line tests.
var testNow = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)

func testEnv(t *testing.T, root string) (*Env, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	var out, errb bytes.Buffer
	return &Env{
		Stdin:  strings.NewReader(""),
		Stdout: &out,
		Stderr: &errb,
		Now:    func() time.Time { return testNow },
		Getenv: func(string) string { return "" },
		Root:   root,
	}, &out, &errb
}

func TestExitCodes(t *testing.T) {
	repo := sampleRoot(t)
	broken := t.TempDir()
	if err := os.CopyFS(filepath.Join(broken, "registry"), os.DirFS(sampleRegistry)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(broken, "registry", "stray.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	notGit := t.TempDir()
	if err := os.CopyFS(filepath.Join(notGit, "registry"), os.DirFS(sampleRegistry)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		root   string
		args   []string
		code   int
		stderr string
	}{
		{"ok", repo, []string{"validate"}, ExitOK, "registry is valid"},
		{"findings", broken, []string{"validate"}, ExitFindings, "1 finding(s)"},
		{"usage: bad flag", repo, []string{"validate", "--bogus"}, ExitUsage, "unknown flag"},
		{"usage: bad command", repo, []string{"bogus"}, ExitUsage, "unknown command"},
		{"usage: bad format", repo, []string{"validate", "--format", "yaml"}, ExitUsage, "hint: use --format"},
		{"environment: not a git repository", notGit, []string{"validate", "--base", "a", "--head", "b", "--author", "op-a-ops"}, ExitEnv, "hint: run drimm inside a git clone"},
		{"usage: a change without its author", notGit, []string{"validate", "--base", "a", "--head", "b"}, ExitUsage, "hint: pass --author"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, _, errb := testEnv(t, tt.root)
			if code := Run(context.Background(), env, tt.args); code != tt.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tt.code, errb)
			}
			if !strings.Contains(errb.String(), tt.stderr) {
				t.Fatalf("stderr %q lacks %q", errb, tt.stderr)
			}
		})
	}
}

func TestRootHelpDocumentsExitCodes(t *testing.T) {
	env, out, _ := testEnv(t, t.TempDir())
	if code := Run(context.Background(), env, []string{"--help"}); code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"0  success", "1  findings", "2  usage", "3  environment"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("root help lacks %q", want)
		}
	}
}

// A usage error is known by its type, not its wording: a command whose
// environment fails with EINVAL ("invalid argument") exits 3, while a wrong
// argument count, an unknown flag or an unknown command exits 2.
func TestUsageErrorsAreTyped(t *testing.T) {
	einval := &os.PathError{Op: "open", Path: "/dev/drimm-test", Err: syscall.EINVAL}
	tests := []struct {
		name string
		args []string
		code int
		says string
	}{
		{"environment failure saying invalid argument", []string{"fails", "token"}, ExitEnv, "invalid argument"},
		{"wrong argument count", []string{"fails"}, ExitUsage, "accepts 1 arg(s), received 0"},
		{"unknown flag", []string{"fails", "--bogus"}, ExitUsage, "unknown flag"},
		{"unknown subcommand", []string{"whitelist", "bogus"}, ExitUsage, `unknown command "bogus"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, _, errb := testEnv(t, t.TempDir())
			root := newRootCmd(env)
			fails := &cobra.Command{Use: "fails NAME", Args: cobra.ExactArgs(1),
				RunE: func(*cobra.Command, []string) error { return fmt.Errorf("reading the token: %w", einval) }}
			root.AddCommand(fails)
			classifyErrors(fails)
			if code := execute(context.Background(), env, root, tt.args); code != tt.code {
				t.Errorf("exit %d, want %d\n%s", code, tt.code, errb)
			}
			if !strings.Contains(errb.String(), tt.says) {
				t.Errorf("stderr lacks %q:\n%s", tt.says, errb)
			}
		})
	}
}

// The run functions check their options themselves: a caller that skips
// cobra (a test, another command) cannot reach the work with options the
// command line would have refused.
func TestRunFunctionsCheckTheirOptions(t *testing.T) {
	env, _, _ := testEnv(t, sampleRoot(t))
	tests := []struct {
		name string
		run  func() error
		says string
	}{
		{"deadlines --within 0", func() error {
			return runDeadlines(context.Background(), &deadlinesOptions{env: env, format: "text", within: 0})
		}, "--within 0 is not a number of days"},
		{"validate --base without --head", func() error {
			return runValidate(context.Background(), &validateOptions{env: env, format: "text", base: "main"})
		}, "--base and --head go together"},
		{"status build --days 0", func() error {
			return runStatusBuild(context.Background(), &statusBuildOptions{env: env, days: 0})
		}, "--days 0 out of range"},
		{"probe without a trust anchor", func() error {
			return runProbe(context.Background(), &probeOptions{env: env, format: "text"})
		}, "no trust anchor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			if code, _ := exitCode(err); code != ExitUsage || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("got exit %d, %v; want a usage error saying %q", code, err, tt.says)
			}
		})
	}
}
