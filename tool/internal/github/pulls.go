package github

import (
	"context"
	"fmt"
	"time"

	gh "github.com/google/go-github/v60/github"
)

// PullRequest is what drimm reads of a pull request.
type PullRequest struct {
	Number           int
	Author           string
	BaseSHA, HeadSHA string
	State            string
	// HeadRepository is the "owner/name" the head branch lives in: a
	// fork's, for a fork's pull request.
	HeadRepository string
}

// PullRequest reads a pull request.
func (c *Client) PullRequest(ctx context.Context, number int) (*PullRequest, error) {
	pr, _, err := c.gh.PullRequests.Get(ctx, c.owner, c.repo, number)
	if err != nil {
		return nil, fmt.Errorf("reading pull request #%d: %w", number, err)
	}
	return &PullRequest{
		Number: pr.GetNumber(), Author: pr.GetUser().GetLogin(),
		BaseSHA: pr.GetBase().GetSHA(), HeadSHA: pr.GetHead().GetSHA(), State: pr.GetState(),
		HeadRepository: pr.GetHead().GetRepo().GetFullName(),
	}, nil
}

// PullFiles lists the paths a pull request changes, every page of them; a
// renamed file gives both its old and its new path.
func (c *Client) PullFiles(ctx context.Context, number int) ([]string, error) {
	var out []string
	err := paginate(ctx, func(opts *gh.ListOptions) (*gh.Response, error) {
		files, resp, err := c.gh.PullRequests.ListFiles(ctx, c.owner, c.repo, number, opts)
		if err != nil {
			return nil, fmt.Errorf("listing the files of pull request #%d: %w", number, err)
		}
		for _, f := range files {
			if p := f.GetPreviousFilename(); p != "" {
				out = append(out, p)
			}
			out = append(out, f.GetFilename())
		}
		return resp, nil
	})
	return out, err
}

// Review is one submitted review of a pull request.
type Review struct {
	Login string
	// State is APPROVED, CHANGES_REQUESTED, COMMENTED or DISMISSED.
	State string
	// CommitID is the head commit the review was given on.
	CommitID  string
	Submitted time.Time
}

// Reviews lists a pull request's reviews, oldest first, every page of them.
func (c *Client) Reviews(ctx context.Context, number int) ([]Review, error) {
	var out []Review
	err := paginate(ctx, func(opts *gh.ListOptions) (*gh.Response, error) {
		rs, resp, err := c.gh.PullRequests.ListReviews(ctx, c.owner, c.repo, number, opts)
		if err != nil {
			return nil, fmt.Errorf("listing the reviews of pull request #%d: %w", number, err)
		}
		for _, r := range rs {
			out = append(out, Review{Login: r.GetUser().GetLogin(), State: r.GetState(), CommitID: r.GetCommitID(), Submitted: r.GetSubmittedAt().Time})
		}
		return resp, nil
	})
	return out, err
}
