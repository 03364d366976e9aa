package github

import (
	"context"
	"fmt"
	"strings"

	gh "github.com/google/go-github/v60/github"
)

// MaxCommentLength is the longest body GitHub accepts for a comment.
const MaxCommentLength = 65536

// Sticky says what UpsertComment did.
type Sticky int

// What UpsertComment did to the sticky comment.
const (
	Created Sticky = iota
	Updated
	Unchanged
)

func (s Sticky) String() string {
	return [...]string{"created", "updated", "unchanged"}[s]
}

// UpsertComment keeps one comment on a pull request (or issue) whose body
// holds marker, a hidden HTML comment: it edits the comment written before
// or creates it. Only comments by bots count, so that nobody can make drimm
// overwrite a person's comment by quoting the marker. A body over GitHub's
// limit is cut, saying where the rest is.
func (c *Client) UpsertComment(ctx context.Context, number int, marker, body string) (Sticky, string, error) {
	if !strings.Contains(body, marker) {
		body = marker + "\n" + body
	}
	body = truncate(body, MaxCommentLength)
	var found *gh.IssueComment
	err := paginate(ctx, func(opts *gh.ListOptions) (*gh.Response, error) {
		comments, resp, err := c.gh.Issues.ListComments(ctx, c.owner, c.repo, number, &gh.IssueListCommentsOptions{ListOptions: *opts})
		if err != nil {
			return nil, fmt.Errorf("listing the comments of #%d: %w", number, err)
		}
		for _, cm := range comments {
			if found == nil && strings.Contains(cm.GetBody(), marker) && cm.GetUser().GetType() == "Bot" {
				found = cm
			}
		}
		return resp, nil
	})
	if err != nil {
		return 0, "", err
	}
	if found != nil {
		if found.GetBody() == body {
			return Unchanged, found.GetHTMLURL(), nil
		}
		cm, _, err := c.gh.Issues.EditComment(ctx, c.owner, c.repo, found.GetID(), &gh.IssueComment{Body: gh.String(body)})
		if err != nil {
			return 0, "", fmt.Errorf("updating comment %d on #%d: %w", found.GetID(), number, err)
		}
		return Updated, cm.GetHTMLURL(), nil
	}
	cm, _, err := c.gh.Issues.CreateComment(ctx, c.owner, c.repo, number, &gh.IssueComment{Body: gh.String(body)})
	if err != nil {
		return 0, "", fmt.Errorf("commenting on #%d: %w", number, err)
	}
	return Created, cm.GetHTMLURL(), nil
}

const truncatedNote = "\n\n*(cut at GitHub's comment size limit; the job summary has the whole text)*\n"

// truncate cuts s to at most n characters (GitHub counts characters, not
// bytes), on a line boundary when it can.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n-len([]rune(truncatedNote))])
	if i := strings.LastIndexByte(cut, '\n'); i > 0 {
		cut = cut[:i]
	}
	return cut + truncatedNote
}
