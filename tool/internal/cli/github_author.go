package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/github"
)

type githubAuthorOptions struct {
	env *Env
}

func newGitHubAuthorCmd(env *Env) *cobra.Command {
	opts := &githubAuthorOptions{env: env}
	cmd := &cobra.Command{
		Use:   "author",
		Short: "Print the login of the author of the pull request the event names",
		Long: `Print the GitHub login of the author of the change the workflow checks,
for 'drimm validate --author': in a pull_request or pull_request_review
event, the pull request's author from the event; in a merge group, the
author of the pull request the queue's branch names
(gh-readonly-queue/<base>/pr-<N>-<sha>), read from the API, since the event
names none. A merge group's change (from its base_sha, the commit it was
built on, to its head_sha) is that one pull request's, so it is checked
against that pull request's author, never without one.

Finding CHG-PUSHER (exit 1, the author still printed): in a pull_request
synchronize event, the commits were pushed by someone other than the
author (the event's sender). The gate judges a pull request with its
author's rights, so commits someone else pushed onto its branch would
borrow them: contributions come from forks, where only the author and the
ANS maintainers can push. An ANS maintainer's push gets the finding too;
the author pushes again, or the ANS opens its own pull request.`,
		Example: `  author=$(drimm github author)
  drimm validate --base "$BASE_SHA" --head "$HEAD_SHA" --author "$author" --format github`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runGitHubAuthor(cmd.Context(), opts)
		},
	}
	return cmd
}

func runGitHubAuthor(ctx context.Context, opts *githubAuthorOptions) error {
	env := opts.env
	path := env.Getenv("GITHUB_EVENT_PATH")
	if path == "" {
		return usageError("run in a pull_request, pull_request_review or merge_group workflow (GITHUB_EVENT_PATH)", "no event to read the author from")
	}
	ev, err := github.ReadEvent(env.Getenv("GITHUB_EVENT_NAME"), path)
	if err != nil {
		return envError("run inside a GitHub Actions job", err)
	}
	author := ev.Author
	if author == "" {
		if ev.Number == 0 {
			return usageError("run in a pull_request, pull_request_review or merge_group workflow", "the %s event names no pull request", ev.Name)
		}
		client, err := githubClient(env)
		if err != nil {
			return err
		}
		pr, err := client.PullRequest(ctx, ev.Number)
		if err != nil {
			return envError("check GITHUB_TOKEN's permissions (pull-requests: read) and the network", err)
		}
		if !github.IsLogin(pr.Author) {
			return envError("check the pull request on GitHub", fmt.Errorf("%s's author %q is not a GitHub login", prName(ev.Number), pr.Author))
		}
		author = pr.Author
	}
	if _, err := fmt.Fprintln(env.Stdout, author); err != nil {
		return outputError(err)
	}
	if ev.Name == "pull_request" && ev.Action == "synchronize" && ev.Sender != "" && !strings.EqualFold(ev.Sender, author) {
		msg := fmt.Sprintf("%s's commits were pushed by %s, not by its author %s: a pull request carries its author's commits only", prName(ev.Number), ev.Sender, author)
		if env.Getenv("GITHUB_ACTIONS") == "true" {
			fmt.Fprintf(env.Stderr, "::error title=CHG-PUSHER::%s\n", msg)
		} else {
			fmt.Fprintf(env.Stderr, "CHG-PUSHER: %s\n", msg)
		}
		return findingsError("1 finding")
	}
	return nil
}
