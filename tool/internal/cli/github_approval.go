package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

type githubApprovalOptions struct {
	env *Env
	pr  prFlags
}

func newGitHubApprovalCmd(env *Env) *cobra.Command {
	opts := &githubApprovalOptions{env: env}
	cmd := &cobra.Command{
		Use:   "approval",
		Short: "Exit 1 unless an ANS reviewer (and, for a switch, the former operator) approved the head commit",
		Long: `Check the rule GitHub's CODEOWNERS cannot express: whatever else the
change is, an ANS reviewer of registry/trust-space.yaml (as it is in the base
revision itself, main's tip, never the merge-base) other than the author approved the pull request's current head
commit, and no ANS reviewer's latest review requests changes. For an operator
switch, the former operator must consent as well: one of its maintainers (as
the base revision lists them) approves the head commit, unless an ANS reviewer
wrote the switch, which is then the ANS's decision. Code owners
approve with any one of them, so an operator's second maintainer could
otherwise approve the operator's own change; a required status check running
this command closes that gap.

In a merge group, the pull request is the one the queue's branch names, and
the approval must be of that pull request's head commit.`,
		Example: `  drimm github approval             # in a pull_request, pull_request_review or merge_group workflow
  drimm github approval --pr 42 --base origin/main --head pr-42`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runGitHubApproval(cmd.Context(), opts)
		},
	}
	opts.pr.register(cmd)
	return cmd
}

func runGitHubApproval(ctx context.Context, opts *githubApprovalOptions) error {
	env := opts.env
	if _, err := opts.pr.resolve(env); err != nil {
		return err
	}
	if opts.pr.number == 0 {
		return usageError("give --pr N, or run in a pull_request, pull_request_review or merge_group workflow", "no pull request to check")
	}
	client, err := githubClient(env)
	if err != nil {
		return err
	}
	pr, err := client.PullRequest(ctx, opts.pr.number)
	if err != nil {
		return envError("check GITHUB_TOKEN's permissions (pull-requests: read) and the network", err)
	}
	if opts.pr.author == "" {
		// A merge group's event names no author: the pull request does.
		opts.pr.author = pr.Author
	}
	if opts.pr.author == "" {
		return envError("check that the pull request exists and GITHUB_TOKEN may read it", fmt.Errorf("%s has no author", prName(opts.pr.number)))
	}
	p, err := makePlan(ctx, env, &opts.pr, client, pr.HeadSHA)
	if err != nil {
		return err
	}
	a := p.Approval
	fmt.Fprintf(env.Stdout, "%s: %s\n", prName(opts.pr.number), plainStatus(a.Status()))
	if !a.Met() {
		return withHint(findingsError("%s is not approved for its head commit %s: %s", prName(opts.pr.number), shortSHA(pr.HeadSHA), plainStatus(a.Status())), plainStatus(a.Hint()))
	}
	return nil
}

// plainStatus drops the Markdown code spans of a status sentence.
func plainStatus(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r != '`' {
			out = append(out, r)
		}
	}
	return string(out)
}

func shortSHA(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}
