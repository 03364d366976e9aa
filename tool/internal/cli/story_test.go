package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The Validation d'Aptitude has one story everywhere: the operator supplies
// the VA document (dossier.va) while the dossier is integrating or
// reintegrating, and the ANS decides by the status change. Every text an
// operator or a reviewer reads — messages in the code, the manual, the
// README, the pull-request templates — tells that story and no other.
func TestOneVAStory(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	contrary := []*regexp.Regexp{
		regexp.MustCompile(`(?i)ANS (adds|writes|records|issues|fills)[^.\n]{0,40}(dossier\.va|Validation d'Aptitude|\bVA\b)`),
		regexp.MustCompile(`(?i)dossier\.va\x60? untouched`),
		regexp.MustCompile(`(?i)VA[^.\n]{0,20}issued by the ANS`),
		regexp.MustCompile(`(?i)waiting on the ANS for the (Validation d'Aptitude|VA)`),
	}
	var files []string
	for _, pattern := range []string{"README.md", "tool/docs/manual/*.md", ".github/PULL_REQUEST_TEMPLATE/*.md", "tool/internal/*/*.go"} {
		m, err := filepath.Glob(filepath.Join(root, pattern))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 50 {
		t.Fatalf("found %d files to read; the test runs from tool/internal/cli", len(files))
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			for _, re := range contrary {
				if re.MatchString(line) {
					t.Errorf("%s:%d tells another VA story (the operator supplies dossier.va, the ANS decides by the status change): %s", f, i+1, strings.TrimSpace(line))
				}
			}
		}
	}
	// The operator's templates say how to supply it; the ANS's say the
	// status change is all it writes.
	for name, want := range map[string]string{
		"va-supply.md":              "dossier.va:",
		"reintegration-request.md":  "yours to\n   supply (`dossier.va`)",
		"aptitude-validated.md":     "`dossier.va` is the operator's",
		"reintegration-accepted.md": "`dossier.va` is the operator's",
	} {
		b, err := os.ReadFile(filepath.Join(root, ".github", "PULL_REQUEST_TEMPLATE", name))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), want) {
			t.Errorf("%s does not say %q", name, want)
		}
	}
}
