package cli

import (
	"bytes"
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/atomicfile"
	"github.com/drim-m/trust-space/tool/internal/github"
	"github.com/drim-m/trust-space/tool/internal/plan"
	"github.com/drim-m/trust-space/tool/internal/registry"
)

type githubPlanOptions struct {
	env      *Env
	pr       prFlags
	comment  bool
	reviews  bool
	out      string
	artifact string
}

func newGitHubPlanCmd(env *Env) *cobra.Command {
	opts := &githubPlanOptions{env: env}
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Say what merging a pull request changes, for the reviewers",
		Long: `Write the plan of a pull request in Markdown: the procedure recognised for
each DRIMbox (declaration, integration request, aptitude validated, update,
operator switch, withdrawal, exclusion, reintegration), its status change,
the Liste Blanche entries added, removed or changed, the national names, the
deadlines it starts (such as the former operator's 15 days to revoke after a
switch), the conditions and documents the dossier still lacks, drimm
validate's findings and who must approve.

The plan goes to stdout (or --out), and to the job summary when
GITHUB_STEP_SUMMARY is set. With --comment it is also posted as one sticky
comment on the pull request, updated in place on every run; a pull request
from a fork, whose token cannot comment, keeps the plan in the job summary.
With --artifact DIR it also writes the plan and the pull request it is for
into DIR, for the workflow that uploads it and the plan-comment workflow
that posts it (drimm github plan-comment): that is how a pull request from
a fork gets its comment. The revisions are read from git objects: nothing
from the pull request is checked out or run.`,
		Example: `  drimm github plan --base origin/main --head HEAD --author my-login
  drimm github plan --base origin/main --head pr-42 --pr 42 --reviews   # a reviewer: author and reviews from GitHub
  drimm github plan --comment      # in a pull_request workflow
  drimm github plan --reviews --artifact "$RUNNER_TEMP/plan"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runGitHubPlan(cmd.Context(), opts)
		},
	}
	opts.pr.register(cmd)
	cmd.Flags().BoolVar(&opts.comment, "comment", false, "post or update the sticky plan comment on the pull request (needs GITHUB_TOKEN)")
	cmd.Flags().BoolVar(&opts.reviews, "reviews", false, "read the pull request's reviews to show who has approved (needs GITHUB_TOKEN)")
	cmd.Flags().StringVar(&opts.out, "out", "", "write the plan to this file instead of stdout")
	cmd.Flags().StringVar(&opts.artifact, "artifact", "", "also write the plan and its pull request into this folder, for drimm github plan-comment")
	return cmd
}

func runGitHubPlan(ctx context.Context, opts *githubPlanOptions) error {
	env := opts.env
	if _, err := opts.pr.resolve(env); err != nil {
		return err
	}
	if (opts.comment || opts.reviews || opts.artifact != "") && opts.pr.number == 0 {
		return usageError("give --pr N, or run in a pull_request workflow", "--comment, --reviews and --artifact need a pull request")
	}
	var client *github.Client
	if opts.comment || opts.reviews {
		var err error
		if client, err = githubClient(env); err != nil {
			return err
		}
	}
	if opts.pr.author == "" && client != nil {
		// A reviewer's --pr N: the author is the pull request's, read
		// from GitHub rather than typed.
		pr, err := client.PullRequest(ctx, opts.pr.number)
		if err != nil {
			return envError("check the pull request number, GITHUB_REPOSITORY, GITHUB_TOKEN and the network", err)
		}
		if !github.IsLogin(pr.Author) {
			return envError("check the pull request on GitHub", fmt.Errorf("%s's author %q is not a GitHub login", prName(pr.Number), pr.Author))
		}
		opts.pr.author = pr.Author
	}
	if opts.pr.author == "" {
		return usageError("give --author LOGIN, --pr N with --reviews (the author is read from the pull request), or run in a pull_request workflow", "no author: the plan says who may make the change")
	}
	p, err := makePlan(ctx, env, &opts.pr, client, "")
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := p.Markdown(&b); err != nil {
		return envError("", err)
	}
	if opts.out != "" {
		if err := writeFile(env, opts.out, b.Bytes()); err != nil {
			return err
		}
	} else if _, err := env.Stdout.Write(b.Bytes()); err != nil {
		return outputError(err)
	}
	if err := appendSummary(env, b.Bytes()); err != nil {
		return err
	}
	if opts.artifact != "" {
		a := github.PlanArtifact{Number: opts.pr.number, HeadSHA: p.HeadSHA, Plan: b.String()}
		if err := github.WritePlanArtifact(env.Path(opts.artifact), a); err != nil {
			return envError("check that the folder can be written", err)
		}
	}
	if !opts.comment {
		return nil
	}
	what, url, err := client.UpsertComment(ctx, opts.pr.number, plan.Marker, b.String())
	switch {
	case github.IsForbidden(err):
		fmt.Fprintf(env.Stderr, "drimm: warning: cannot comment on %s (%v); a pull request from a fork gets a read-only token: the plan is in the job summary\n", prName(opts.pr.number), err)
		return nil
	case err != nil:
		return envError("check GITHUB_TOKEN's permissions (pull-requests: write) and the network", err)
	}
	fmt.Fprintf(env.Stderr, "drimm: plan comment %s: %s\n", what, url)
	return nil
}

// makePlan computes the plan of the change the flags name, from the
// merge-base of base and head to the head, read from git (every changed
// path, however many). With a client and a pull request number, the
// reviews come from GitHub; otherwise they are unknown.
// reviewed is the commit approvals must name, when it is not the head (a
// merge group's head is not the commit its pull request's reviewers saw).
func makePlan(ctx context.Context, env *Env, pr *prFlags, client *github.Client, reviewed string) (*plan.Plan, error) {
	dir := env.Path(pr.registry)
	g, err := loadChange(env, dir, pr.base, pr.head, pr.author)
	if err != nil {
		return nil, err
	}
	findings, err := checkChange(g)
	if err != nil {
		return nil, err
	}
	registry.SortFindings(findings)
	in := plan.Input{Change: g.change, Now: env.Now(), BaseSHA: g.base.Hash.String(), HeadSHA: g.head.Hash.String(),
		Files: g.paths(), RegistryDir: g.rel, Findings: findings}
	if client != nil && pr.number > 0 {
		reviews, err := client.Reviews(ctx, pr.number)
		if err != nil {
			return nil, envError("check GITHUB_TOKEN's permissions (pull-requests: read) and the network", err)
		}
		for _, r := range reviews {
			in.Reviews = append(in.Reviews, plan.Review{Login: r.Login, State: r.State, CommitID: r.CommitID})
		}
		in.ReviewsKnown = true
		in.ReviewedSHA = reviewed
	}
	return plan.Make(in), nil
}

// writeFile writes an output file atomically, relative to the working
// directory's repository root when not absolute.
func writeFile(env *Env, path string, data []byte) error {
	path = env.Path(path)
	if err := atomicfile.Write(path, data, 0o644); err != nil {
		return envError("check that the folder exists and is writable", err)
	}
	return nil
}
