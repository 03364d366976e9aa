package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		// drimm in the scripts runs at the test's clock.
		"drimm": func() {
			env := OSEnv()
			now, err := fixedClock(os.Getenv)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(ExitUsage)
			}
			if now != nil {
				env.Now = now
			}
			os.Exit(Run(context.Background(), env, osArgs()))
		},
	})
}

// requireTool fails the test, naming the Debian package, when a real part
// the test needs is missing: tests never skip silently.
func requireTool(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found: install the Debian package %s (apt-get install %s)", name, pkg, pkg)
	}
	return p
}

func TestScripts(t *testing.T) {
	requireTool(t, "git", "git")
	sample, err := filepath.Abs(sampleRegistry)
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(e *testscript.Env) error {
			e.Setenv("SAMPLE", sample)
			e.Setenv(testClockEnv, testNow.Format(time.RFC3339))
			e.Setenv("GIT_AUTHOR_NAME", "Test")
			e.Setenv("GIT_AUTHOR_EMAIL", "test@example.invalid")
			e.Setenv("GIT_COMMITTER_NAME", "Test")
			e.Setenv("GIT_COMMITTER_EMAIL", "test@example.invalid")
			e.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			e.Setenv("HOME", e.WorkDir)
			return nil
		},
		UpdateScripts: os.Getenv("UPDATE_SCRIPTS") == "1",
	})
}
