package github

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	gh "github.com/google/go-github/v60/github"
)

// Alert is one finding that deserves an issue of its own until it is
// resolved.
type Alert struct {
	// Key identifies the finding from run to run, e.g.
	// "switch-revocation/7/2026-12-05"; the issue carries it hidden.
	Key   string
	Title string
	Body  string
}

// Synced says what SyncIssues did, by issue number.
type Synced struct {
	Created, Updated, Unchanged, Closed []int
}

var (
	keyRe      = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`<!-- drimm:key=([A-Za-z0-9._:/-]+) -->`) })
	keyCharsRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9._:/-]{1,200}$`) })
)

func keyMarker(key string) string { return "<!-- drimm:key=" + key + " -->" }

// SyncIssues keeps one open issue, labelled label, per alert: it creates the
// issue of a new alert, updates one whose title or text changed, and closes,
// with a comment, the issues drimm opened for alerts no longer reported.
// Issues carrying the label but no drimm key are people's and left alone.
func (c *Client) SyncIssues(ctx context.Context, label string, alerts []Alert) (Synced, error) {
	var res Synced
	for _, a := range alerts {
		if !keyCharsRe().MatchString(a.Key) {
			return res, fmt.Errorf("alert key %q has characters an issue key cannot hold", a.Key)
		}
	}
	open := map[string]*gh.Issue{}
	var order []string
	err := paginate(ctx, func(opts *gh.ListOptions) (*gh.Response, error) {
		issues, resp, err := c.gh.Issues.ListByRepo(ctx, c.owner, c.repo, &gh.IssueListByRepoOptions{
			State: "open", Labels: []string{label}, ListOptions: *opts,
		})
		if err != nil {
			return nil, fmt.Errorf("listing open issues labelled %s: %w", label, err)
		}
		for _, is := range issues {
			if is.IsPullRequest() {
				continue
			}
			m := keyRe().FindStringSubmatch(is.GetBody())
			if m == nil || open[m[1]] != nil {
				continue
			}
			open[m[1]] = is
			order = append(order, m[1])
		}
		return resp, nil
	})
	if err != nil {
		return res, err
	}
	seen := map[string]bool{}
	for _, a := range alerts {
		if seen[a.Key] {
			continue
		}
		seen[a.Key] = true
		body := keyMarker(a.Key) + "\n" + strings.TrimRight(a.Body, "\n") + "\n"
		body = truncate(body, MaxCommentLength)
		is := open[a.Key]
		switch {
		case is == nil:
			created, _, err := c.gh.Issues.Create(ctx, c.owner, c.repo, &gh.IssueRequest{Title: gh.String(a.Title), Body: gh.String(body), Labels: &[]string{label}})
			if err != nil {
				return res, fmt.Errorf("opening the issue for %s: %w", a.Key, err)
			}
			res.Created = append(res.Created, created.GetNumber())
		case is.GetTitle() == a.Title && is.GetBody() == body:
			res.Unchanged = append(res.Unchanged, is.GetNumber())
		default:
			if _, _, err := c.gh.Issues.Edit(ctx, c.owner, c.repo, is.GetNumber(), &gh.IssueRequest{Title: gh.String(a.Title), Body: gh.String(body)}); err != nil {
				return res, fmt.Errorf("updating issue #%d for %s: %w", is.GetNumber(), a.Key, err)
			}
			res.Updated = append(res.Updated, is.GetNumber())
		}
	}
	slices.Sort(order)
	for _, key := range order {
		if seen[key] {
			continue
		}
		n := open[key].GetNumber()
		note := "drimm no longer reports this finding: it is resolved. Closing."
		if _, _, err := c.gh.Issues.CreateComment(ctx, c.owner, c.repo, n, &gh.IssueComment{Body: gh.String(note)}); err != nil {
			return res, fmt.Errorf("commenting on resolved issue #%d: %w", n, err)
		}
		if _, _, err := c.gh.Issues.Edit(ctx, c.owner, c.repo, n, &gh.IssueRequest{State: gh.String("closed"), StateReason: gh.String("completed")}); err != nil {
			return res, fmt.Errorf("closing resolved issue #%d: %w", n, err)
		}
		res.Closed = append(res.Closed, n)
	}
	return res, nil
}
