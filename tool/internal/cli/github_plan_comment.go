package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/github"
	"github.com/drim-m/trust-space/tool/internal/plan"
)

type githubPlanCommentOptions struct {
	env      *Env
	artifact string
}

func newGitHubPlanCommentCmd(env *Env) *cobra.Command {
	opts := &githubPlanCommentOptions{env: env}
	cmd := &cobra.Command{
		Use:   "plan-comment",
		Short: "Post the plan a validate run left as an artifact, as the sticky comment",
		Long: `Post the plan that the validate workflow's plan job wrote (drimm github plan
--artifact DIR, uploaded as the artifact "plan") as the pull request's
sticky comment. It runs in the plan-comment workflow, started by
workflow_run when a validate run completes, with main's code and a token
that may comment: so a pull request from a fork, whose own runs get a
read-only token, gets its plan comment too.

The artifact comes from a run the pull request's author controls, so it is
read as data: its files are capped in size, the plan is escaped (no HTML
but <sub>, no @mention), and its pull request must be the run's: the
artifact's commit is the run's head, its number among the run's pull
requests when GitHub names them (it names none for a fork's), and the pull
request, read from the API, is open with that head. A plan for a head that
moved on, or a closed pull request, is not posted (exit 0, a newer run
posts).`,
		Example: `  drimm github plan-comment --artifact "$RUNNER_TEMP/plan"   # in a workflow_run workflow`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runGitHubPlanComment(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.artifact, "artifact", "", "folder holding the downloaded plan artifact (pr.json, plan.md)")
	return cmd
}

func runGitHubPlanComment(ctx context.Context, opts *githubPlanCommentOptions) error {
	env := opts.env
	if opts.artifact == "" {
		return usageError("give --artifact DIR, the folder the plan artifact was downloaded to", "no artifact")
	}
	path := env.Getenv("GITHUB_EVENT_PATH")
	if path == "" || env.Getenv("GITHUB_EVENT_NAME") != "workflow_run" {
		return usageError("run in a workflow_run workflow (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH)", "no workflow_run event to check the artifact against")
	}
	ev, err := github.ReadEvent("workflow_run", path)
	if err != nil || ev.Run == nil {
		return envError("run inside a GitHub Actions job started by workflow_run", fmt.Errorf("reading the workflow_run event: %v", err))
	}
	if ev.Run.Event != "pull_request" {
		return usageError("run on validate runs started by pull_request", "the run was started by %s, which has no plan", ev.Run.Event)
	}
	a, err := github.ReadPlanArtifact(env.Path(opts.artifact))
	if err != nil {
		return envError("the validate run's plan job writes it with drimm github plan --artifact", err)
	}
	client, err := githubClient(env)
	if err != nil {
		return err
	}
	err = client.CheckPlanTarget(ctx, ev.Run, a)
	switch {
	case errors.Is(err, github.ErrStalePlan):
		fmt.Fprintf(env.Stderr, "drimm: not posting: %v\n", err)
		return nil
	case github.IsForbidden(err):
		return envError("give the job pull-requests: read", err)
	case err != nil:
		return &exitError{code: ExitFindings, err: fmt.Errorf("refusing the plan artifact: %w", err),
			hint: "the artifact does not belong to the run's pull request: look at the validate run"}
	}
	body := fmt.Sprintf("%s\n*Plan of validate run %d for %s.*\n\n%s", plan.Marker, ev.Run.ID, a.HeadSHA, github.SanitizePlan(a.Plan))
	what, url, err := client.UpsertComment(ctx, a.Number, plan.Marker, body)
	if err != nil {
		return envError("give the job pull-requests: write", err)
	}
	fmt.Fprintf(env.Stderr, "drimm: plan comment %s: %s\n", what, url)
	return nil
}
