package github

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReadEvent(t *testing.T) {
	const base, head = "3333333333333333333333333333333333333333", "2222222222222222222222222222222222222222"
	tests := []struct {
		name, file string
		want       Event
	}{
		{"pull_request", "pull_request.json", Event{Name: "pull_request", Repository: "ans-drim-m/trust-space", Number: 42, BaseSHA: base, HeadSHA: head, Author: "alpha-imagerie-ops", Action: "synchronize", Sender: "alpha-imagerie-ops"}},
		{"pull_request_review", "pull_request_review.json", Event{Name: "pull_request_review", Repository: "ans-drim-m/trust-space", Number: 42, BaseSHA: base, HeadSHA: head, Author: "alpha-imagerie-ops", Action: "submitted", Sender: "ans-reviewer-alpha"}},
		{"merge_group", "merge_group.json", Event{Name: "merge_group", Repository: "ans-drim-m/trust-space", Number: 42, BaseSHA: base, HeadSHA: "4444444444444444444444444444444444444444", Action: "checks_requested", Sender: "github-merge-queue[bot]"}},
		// A fork's pull request: GitHub names no pull request in the run.
		{"workflow_run", "workflow_run.json", Event{Name: "workflow_run", Repository: "ans-drim-m/trust-space", HeadSHA: head, Action: "completed", Sender: "alpha-imagerie-ops",
			Run: &WorkflowRun{ID: 9876543210, Event: "pull_request", HeadSHA: head, HeadRepository: "alpha-imagerie/trust-space"}}},
		{"schedule", "schedule.json", Event{Name: "schedule", Repository: "ans-drim-m/trust-space"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadEvent(tt.name, filepath.Join("testdata", "events", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&tt.want, got); diff != "" {
				t.Fatalf("event (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseEventRefuses(t *testing.T) {
	pr := func(number, login, base, head string) string {
		return `{"pull_request": {"number": ` + number + `, "user": {"login": "` + login + `"}, "base": {"sha": "` + base + `"}, "head": {"sha": "` + head + `"}}}`
	}
	sha := strings.Repeat("a", 40)
	tests := []struct {
		name, payload, msg string
	}{
		{"not JSON", "{", "not JSON"},
		{"option as a SHA", pr("1", "op", "--upload-pack=evil", sha), "not a full SHA"},
		{"short SHA", pr("1", "op", sha, "abc123"), "not a full SHA"},
		{"login with a newline", pr("1", `op\n::error::x`, sha, sha), "not a GitHub login"},
		{"no number", pr("0", "op", sha, sha), "no pull request number"},
		{"repository path", `{"repository": {"full_name": "../../etc"}}`, "not owner/name"},
		{"merge group without SHAs", `{"merge_group": {"head_ref": "refs/heads/x"}}`, "not a full SHA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseEvent("pull_request", []byte(tt.payload))
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("error %v, want one with %q", err, tt.msg)
			}
		})
	}
}

func TestReadEventTooLarge(t *testing.T) {
	p := filepath.Join(t.TempDir(), "event.json")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(maxEventSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := ReadEvent("push", p); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Fatalf("error %v", err)
	}
}

func FuzzParseEvent(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "events", "*.json"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(strings.TrimSuffix(filepath.Base(name), ".json"), data)
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		ev, err := ParseEvent(name, data)
		if err != nil {
			return
		}
		for _, s := range []string{ev.BaseSHA, ev.HeadSHA} {
			if s != "" && !shaRe().MatchString(s) {
				t.Fatalf("accepted SHA %q", s)
			}
		}
		if ev.Author != "" && !loginRe().MatchString(ev.Author) {
			t.Fatalf("accepted login %q", ev.Author)
		}
		if ev.Number < 0 {
			t.Fatalf("negative number %d", ev.Number)
		}
	})
}
