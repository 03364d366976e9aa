package cli

import (
	"io"
	"strings"
	"testing"
	"time"
)

// The reference manual in tool/docs/manual is generated from the commands
// and kept in the repository; it must say what the commands say.
func TestManualIsFresh(t *testing.T) {
	env := &Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Root: t.TempDir(),
		Now: func() time.Time { return testNow }, Getenv: func(string) string { return "" }}
	pages, err := manualPages(newRootCmd(env))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"drimm.md", "drimm_completion_bash.md", "drimm_dossier_verify.md", "drimm_zone_export.md", "drimm_docs.md", templatesPage} {
		if _, ok := pages[want]; !ok {
			t.Errorf("the manual lacks %s", want)
		}
	}
	stale, err := staleManualPages("../../docs/manual", pages)
	if err != nil {
		t.Fatal(err)
	}
	if len(stale) > 0 {
		t.Errorf("the manual is stale (%v); run 'go run ./tool/cmd/drimm docs' from the repository root and commit tool/docs/manual", stale)
	}
}
