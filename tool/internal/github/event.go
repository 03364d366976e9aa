package github

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"sync"
)

// maxEventSize bounds the event payload read from GITHUB_EVENT_PATH.
const maxEventSize = 25 << 20

// Event is what drimm needs from the payload of the event that started a
// workflow run.
type Event struct {
	// Name is the event's name (GITHUB_EVENT_NAME): pull_request,
	// pull_request_review, merge_group, push, schedule …
	Name string
	// Repository is "owner/name".
	Repository string
	// Number is the pull request's number; 0 when the event has none.
	Number int
	// BaseSHA and HeadSHA are the commits the change goes from and to.
	BaseSHA, HeadSHA string
	// Author is the pull request author's login; empty for a merge group,
	// whose pull requests were checked one by one.
	Author string
	// Action is the event's activity type (synchronize, opened …) and
	// Sender the login of whoever caused it: for a pull request's
	// synchronize, the person who pushed the commits.
	Action, Sender string
	// Run is the run a workflow_run event reports on; nil for other
	// events.
	Run *WorkflowRun
}

// WorkflowRun is what a workflow_run event says of the run it reports on.
type WorkflowRun struct {
	ID int64
	// Event is the event that started that run (pull_request …).
	Event string
	// HeadSHA is the commit that run checked; HeadRepository the
	// repository it came from ("owner/name": a fork's for a fork's pull
	// request).
	HeadSHA, HeadRepository string
	// PullRequests are the numbers of the pull requests GitHub ties to
	// the run: empty for a fork's pull request.
	PullRequests []int
}

type payload struct {
	Action      string   `json:"action"`
	Sender      *login   `json:"sender"`
	WorkflowRun *wrun    `json:"workflow_run"`
	Number      int      `json:"number"`
	PullRequest *pull    `json:"pull_request"`
	MergeGroup  *mgroup  `json:"merge_group"`
	Repository  *repoRef `json:"repository"`
}

type pull struct {
	Number int `json:"number"`
	User   struct {
		Login string `json:"login"`
	} `json:"user"`
	Base struct {
		SHA string `json:"sha"`
	} `json:"base"`
	Head struct {
		SHA string `json:"sha"`
	} `json:"head"`
}

type login struct {
	Login string `json:"login"`
}

type wrun struct {
	ID             int64    `json:"id"`
	Event          string   `json:"event"`
	HeadSHA        string   `json:"head_sha"`
	HeadRepository *repoRef `json:"head_repository"`
	PullRequests   []struct {
		Number int `json:"number"`
	} `json:"pull_requests"`
}

type mgroup struct {
	HeadSHA string `json:"head_sha"`
	HeadRef string `json:"head_ref"`
	BaseSHA string `json:"base_sha"`
}

type repoRef struct {
	FullName string `json:"full_name"`
}

var (
	shaRe   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9a-f]{40}([0-9a-f]{24})?$`) })
	loginRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9](-?[A-Za-z0-9]){0,38}(\[bot\])?$`) })
	// A merge queue's branch names the pull request it tests.
	queueRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^refs/heads/gh-readonly-queue/.+/pr-([0-9]+)-[0-9a-f]{40}$`)
	})
)

// ReadEvent reads the payload at path (GITHUB_EVENT_PATH) of an event named
// name (GITHUB_EVENT_NAME).
func ReadEvent(name, path string) (*Event, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading the event payload: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxEventSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading the event payload: %w", err)
	}
	if len(data) > maxEventSize {
		return nil, fmt.Errorf("event payload %s is over the %d-byte limit", path, maxEventSize)
	}
	return ParseEvent(name, data)
}

// ParseEvent reads an event payload. Every value it returns is checked for
// its shape (SHAs, logins, owner/name), because the workflow passes them on
// to git and to GitHub.
func ParseEvent(name string, data []byte) (*Event, error) {
	var p payload
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("the %s event payload is not JSON: %v", name, err)
	}
	ev := &Event{Name: name, Action: p.Action}
	if p.Sender != nil {
		ev.Sender = p.Sender.Login
		if !loginRe().MatchString(ev.Sender) {
			return nil, fmt.Errorf("the event's sender %q is not a GitHub login", ev.Sender)
		}
	}
	if p.Repository != nil {
		ev.Repository = p.Repository.FullName
		if !repoRe().MatchString(ev.Repository) {
			return nil, fmt.Errorf("the event's repository %q is not owner/name", ev.Repository)
		}
	}
	switch {
	case p.PullRequest != nil:
		pr := p.PullRequest
		ev.Number, ev.BaseSHA, ev.HeadSHA, ev.Author = pr.Number, pr.Base.SHA, pr.Head.SHA, pr.User.Login
		if ev.Number == 0 {
			ev.Number = p.Number
		}
		if ev.Number <= 0 {
			return nil, fmt.Errorf("the %s event names no pull request number", name)
		}
		if !loginRe().MatchString(ev.Author) {
			return nil, fmt.Errorf("the pull request's author %q is not a GitHub login", ev.Author)
		}
	case p.WorkflowRun != nil:
		return ev, parseRun(ev, p.WorkflowRun)
	case p.MergeGroup != nil:
		mg := p.MergeGroup
		ev.BaseSHA, ev.HeadSHA = mg.BaseSHA, mg.HeadSHA
		if m := queueRe().FindStringSubmatch(mg.HeadRef); m != nil {
			ev.Number, _ = strconv.Atoi(m[1])
		}
	default:
		return ev, nil
	}
	for _, s := range []string{ev.BaseSHA, ev.HeadSHA} {
		if !shaRe().MatchString(s) {
			return nil, fmt.Errorf("the %s event's commit %q is not a full SHA", name, s)
		}
	}
	return ev, nil
}

func parseRun(ev *Event, w *wrun) error {
	run := &WorkflowRun{ID: w.ID, Event: w.Event, HeadSHA: w.HeadSHA}
	if w.ID <= 0 || !shaRe().MatchString(w.HeadSHA) {
		return fmt.Errorf("the workflow_run event names no run id or no head commit (%d, %q)", w.ID, w.HeadSHA)
	}
	if w.HeadRepository != nil {
		run.HeadRepository = w.HeadRepository.FullName
		if !repoRe().MatchString(run.HeadRepository) {
			return fmt.Errorf("the workflow run's head repository %q is not owner/name", run.HeadRepository)
		}
	}
	for _, pr := range w.PullRequests {
		if pr.Number <= 0 {
			return fmt.Errorf("the workflow run names pull request %d", pr.Number)
		}
		run.PullRequests = append(run.PullRequests, pr.Number)
	}
	ev.Run, ev.HeadSHA = run, run.HeadSHA
	return nil
}

// IsLogin tells whether s has the shape of a GitHub login (a user, or an
// app's "name[bot]").
func IsLogin(s string) bool { return loginRe().MatchString(s) }

var repoRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}$`) })
