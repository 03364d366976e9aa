package github

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPlanArtifactRoundTrip(t *testing.T) {
	dir := t.TempDir()
	head := strings.Repeat("b", 40)
	want := PlanArtifact{Number: 7, HeadSHA: head, Plan: "<!-- drimm:plan -->\n### Plan\n"}
	if err := WritePlanArtifact(dir, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadPlanArtifact(dir)
	if err != nil {
		t.Fatal(err)
	}
	if *got != want {
		t.Fatalf("read back %+v, want %+v", *got, want)
	}
}

// TestReadPlanArtifactRefuses: the artifact comes from a run the pull
// request controls.
func TestReadPlanArtifactRefuses(t *testing.T) {
	head := strings.Repeat("b", 40)
	for name, tc := range map[string]struct {
		meta, plan string
		link       bool
		says       string
	}{
		"no number":      {meta: `{"head_sha":"` + head + `"}`, plan: "x", says: "want a number"},
		"short sha":      {meta: `{"number":7,"head_sha":"abc"}`, plan: "x", says: "full commit SHA"},
		"unknown field":  {meta: `{"number":7,"head_sha":"` + head + `","comment_as":"ans"}`, plan: "x", says: "unknown field"},
		"huge metadata":  {meta: `{"number":7,"head_sha":"` + head + `"}` + strings.Repeat(" ", 5000), plan: "x", says: "over its 4096-byte limit"},
		"huge plan":      {meta: `{"number":7,"head_sha":"` + head + `"}`, plan: strings.Repeat("x", maxPlanSize+1), says: "over its 1048576-byte limit"},
		"not UTF-8":      {meta: `{"number":7,"head_sha":"` + head + `"}`, plan: "\xff\xfe", says: "not UTF-8"},
		"link elsewhere": {meta: `{"number":7,"head_sha":"` + head + `"}`, link: true, says: "not a regular file"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, planMetaFile), []byte(tc.meta), 0o644); err != nil {
				t.Fatal(err)
			}
			if tc.link {
				if err := os.Symlink("/etc/passwd", filepath.Join(dir, planFile)); err != nil {
					t.Fatal(err)
				}
			} else if err := os.WriteFile(filepath.Join(dir, planFile), []byte(tc.plan), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadPlanArtifact(dir)
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("got %v, want an error saying %q", err, tc.says)
			}
		})
	}
}

// TestCheckPlanTarget: a plan is posted only on the open pull request
// whose head is the commit the validate run checked, found through the
// API when the event names no pull request (a fork's).
func TestCheckPlanTarget(t *testing.T) {
	f := newFakeGitHub(t)
	base, head, other := strings.Repeat("a", 40), strings.Repeat("b", 40), strings.Repeat("c", 40)
	f.AddPull(7, "alpha-imagerie-ops", base, head, nil, nil)
	f.AddPull(8, "beta-teleradiologie-ops", base, other, nil, nil)
	f.AddPull(9, "alpha-imagerie-ops", base, head, nil, nil)
	f.pulls[9]["state"] = "closed"
	c, _ := newTestClient(t, f)
	fork := &WorkflowRun{ID: 1, Event: "pull_request", HeadSHA: head}
	for name, tc := range map[string]struct {
		run   *WorkflowRun
		a     PlanArtifact
		stale bool
		says  string
	}{
		"a fork's pull request":      {run: fork, a: PlanArtifact{Number: 7, HeadSHA: head}},
		"named by the event":         {run: &WorkflowRun{ID: 1, HeadSHA: head, PullRequests: []int{7}}, a: PlanArtifact{Number: 7, HeadSHA: head}},
		"another commit":             {run: fork, a: PlanArtifact{Number: 8, HeadSHA: other}, says: "the validate run checked"},
		"another pull request":       {run: fork, a: PlanArtifact{Number: 8, HeadSHA: head}, stale: true, says: "#8's head is"},
		"not the event's":            {run: &WorkflowRun{ID: 1, HeadSHA: head, PullRequests: []int{8}}, a: PlanArtifact{Number: 7, HeadSHA: head}, says: "the validate run's are [8]"},
		"closed":                     {run: fork, a: PlanArtifact{Number: 9, HeadSHA: head}, stale: true, says: "#9 is closed"},
		"no such pull request":       {run: fork, a: PlanArtifact{Number: 99, HeadSHA: head}, says: "404"},
		"the head moved on since":    {run: &WorkflowRun{ID: 1, HeadSHA: other}, a: PlanArtifact{Number: 7, HeadSHA: other}, stale: true, says: "#7's head is"},
		"from another fork than run": {run: &WorkflowRun{ID: 1, HeadSHA: head, HeadRepository: "mallory/trust-space"}, a: PlanArtifact{Number: 7, HeadSHA: head}, says: "comes from"},
	} {
		t.Run(name, func(t *testing.T) {
			err := c.CheckPlanTarget(context.Background(), tc.run, &tc.a)
			if tc.says == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.says) || errors.Is(err, ErrStalePlan) != tc.stale {
				t.Fatalf("got %v, want an error saying %q (stale %v)", err, tc.says, tc.stale)
			}
		})
	}
}

func TestSanitizePlan(t *testing.T) {
	in := "<!-- drimm:plan -->\n<sub>drimm github plan</sub>\n<img src=x onerror=alert(1)>\ncc @ans-drim-m/reviewers and @someone\r\n| `a<b` |"
	got := SanitizePlan(in)
	for _, bad := range []string{"<!--", "<img", "@ans-drim-m", "@someone", "\r"} {
		if strings.Contains(got, bad) {
			t.Errorf("the sanitized plan holds %q:\n%s", bad, got)
		}
	}
	for _, kept := range []string{"<sub>drimm github plan</sub>", "&lt;img", "@\u2060someone"} {
		if !strings.Contains(got, kept) {
			t.Errorf("the sanitized plan lacks %q:\n%s", kept, got)
		}
	}
}
