package github

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/drim-m/trust-space/tool/internal/atomicfile"
)

// PlanArtifact is what the validate workflow's plan job leaves, as the
// artifact "plan", for the plan comment workflow: the pull request and the
// head commit the plan was computed for, and the plan. A pull request's
// workflows run as the pull request writes them, so whoever reads it takes
// it as data from a stranger: capped, checked against the event and the
// API, escaped (SanitizePlan).
type PlanArtifact struct {
	Number  int    `json:"number"`
	HeadSHA string `json:"head_sha"`
	Plan    string `json:"-"`
}

const (
	planMetaFile = "pr.json"
	planFile     = "plan.md"
	maxPlanMeta  = 4 << 10
	// maxPlanSize is well over a comment's 65,536 characters: a longer
	// plan is cut when posted, a larger file refused.
	maxPlanSize = 1 << 20
)

// WritePlanArtifact writes the artifact's files into dir.
func WritePlanArtifact(dir string, a PlanArtifact) error {
	meta, err := json.Marshal(a)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(dir, planMetaFile), append(meta, '\n'), 0o644); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, planFile), []byte(a.Plan), 0o644)
}

// ReadPlanArtifact reads the artifact's files from dir: regular files
// (never a link out of the folder), within their size caps, UTF-8, with a
// positive pull request number and a full commit SHA.
func ReadPlanArtifact(dir string) (*PlanArtifact, error) {
	meta, err := readCapped(filepath.Join(dir, planMetaFile), maxPlanMeta)
	if err != nil {
		return nil, err
	}
	var a PlanArtifact
	dec := json.NewDecoder(strings.NewReader(string(meta)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return nil, fmt.Errorf("%s is not the plan's metadata: %v", planMetaFile, err)
	}
	if a.Number <= 0 || !shaRe().MatchString(a.HeadSHA) {
		return nil, fmt.Errorf("%s names pull request %d at %q: want a number and a full commit SHA", planMetaFile, a.Number, a.HeadSHA)
	}
	body, err := readCapped(filepath.Join(dir, planFile), maxPlanSize)
	if err != nil {
		return nil, err
	}
	if !utf8.Valid(body) {
		return nil, fmt.Errorf("%s is not UTF-8", planFile)
	}
	a.Plan = string(body)
	return &a, nil
}

func readCapped(path string, max int64) ([]byte, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, fmt.Errorf("reading the plan artifact: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("the plan artifact's %s is not a regular file", filepath.Base(path))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading the plan artifact: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("reading the plan artifact: %w", err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("the plan artifact's %s is over its %d-byte limit", filepath.Base(path), max)
	}
	return data, nil
}

// ErrStalePlan says the plan is for a commit that is no longer the pull
// request's head, or a pull request that is closed: nothing to post, a
// newer run will.
var ErrStalePlan = errors.New("stale plan")

// CheckPlanTarget makes sure the artifact's pull request is the one the
// workflow run checked: the artifact's commit is the run's head; the
// number is among the run's pull requests when GitHub names them (it
// names none for a fork's); and, read from the API, the pull request is
// open and its head is that commit. A pull request whose head moved on, or
// that was closed, gives ErrStalePlan.
func (c *Client) CheckPlanTarget(ctx context.Context, run *WorkflowRun, a *PlanArtifact) error {
	if a.HeadSHA != run.HeadSHA {
		return fmt.Errorf("the plan is for commit %s, the validate run checked %s", a.HeadSHA, run.HeadSHA)
	}
	if len(run.PullRequests) > 0 && !slices.Contains(run.PullRequests, a.Number) {
		return fmt.Errorf("the plan names pull request #%d, the validate run's are %v", a.Number, run.PullRequests)
	}
	pr, err := c.PullRequest(ctx, a.Number)
	if err != nil {
		return err
	}
	if pr.HeadRepository != "" && run.HeadRepository != "" && !strings.EqualFold(pr.HeadRepository, run.HeadRepository) {
		return fmt.Errorf("pull request #%d comes from %s, the validate run from %s", a.Number, pr.HeadRepository, run.HeadRepository)
	}
	if pr.State != "open" {
		return fmt.Errorf("%w: pull request #%d is %s", ErrStalePlan, a.Number, pr.State)
	}
	if pr.HeadSHA != run.HeadSHA {
		return fmt.Errorf("%w: pull request #%d's head is %s, the validate run checked %s", ErrStalePlan, a.Number, pr.HeadSHA, run.HeadSHA)
	}
	return nil
}

// SanitizePlan makes an artifact's plan safe to post as the bot: no HTML
// but the <sub> the plan writes (so no hidden marker, no forged comment
// markup), no @mention that would notify anyone (a word joiner after @),
// and no line that could pass for the sticky marker.
func SanitizePlan(s string) string {
	s = strings.ReplaceAll(s, "\r", "")
	s = strings.ReplaceAll(s, "<", "&lt;")
	s = strings.NewReplacer("&lt;sub>", "<sub>", "&lt;/sub>", "</sub>").Replace(s)
	s = strings.ReplaceAll(s, "@", "@\u2060")
	return s
}
