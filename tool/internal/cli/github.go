package cli

import (
	"os"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/github"
)

func newGitHubCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "github",
		Short: "Pull-request plans, the ANS approval check and deadline issues on GitHub",
		Long: `Commands the workflows under .github/ run, each usable by hand.

They read the GitHub Actions environment: GITHUB_EVENT_NAME and
GITHUB_EVENT_PATH (the event payload: pull request number, base and head
commits, author), GITHUB_REPOSITORY, GITHUB_API_URL, GITHUB_STEP_SUMMARY and
GITHUB_TOKEN. Flags override what the event says. Every call to GitHub goes
through its REST API, page by page, waiting out rate limits.`,
	}
	cmd.AddCommand(
		newGitHubApprovalCmd(env),
		newGitHubAuthorCmd(env),
		newGitHubDeadlinesCmd(env),
		newGitHubHeldCmd(env),
		newGitHubPlanCmd(env),
		newGitHubPlanCommentCmd(env),
		newGitHubRulesetCmd(env),
	)
	return cmd
}

// prFlags are the flags naming a pull request's change; empty ones are
// taken from the event payload.
type prFlags struct {
	registry string
	base     string
	head     string
	author   string
	number   int
}

func (f *prFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.registry, "registry", "registry", "registry folder")
	cmd.Flags().StringVar(&f.base, "base", "", "base revision (default: the event's base commit)")
	cmd.Flags().StringVar(&f.head, "head", "", "head revision (default: the event's head commit)")
	cmd.Flags().StringVar(&f.author, "author", "", "pull request author's login (default: the event's)")
	cmd.Flags().IntVar(&f.number, "pr", 0, "pull request number (default: the event's)")
}

// resolve fills empty flags from the event payload, when there is one.
func (f *prFlags) resolve(env *Env) (*github.Event, error) {
	var ev *github.Event
	if path := env.Getenv("GITHUB_EVENT_PATH"); path != "" {
		var err error
		ev, err = github.ReadEvent(env.Getenv("GITHUB_EVENT_NAME"), path)
		if err != nil {
			return nil, envError("run inside a GitHub Actions job, or unset GITHUB_EVENT_PATH and pass --base and --head", err)
		}
		f.base = orDefault(f.base, ev.BaseSHA)
		f.head = orDefault(f.head, ev.HeadSHA)
		f.author = orDefault(f.author, ev.Author)
		if f.number == 0 {
			f.number = ev.Number
		}
	}
	if f.base == "" || f.head == "" {
		return nil, usageError("give --base and --head, e.g. --base origin/main --head HEAD", "no revisions to compare")
	}
	if f.number < 0 {
		return nil, usageError("give --pr a pull request number", "--pr %d is not a pull request number", f.number)
	}
	return ev, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// githubClient connects to the repository of the environment.
func githubClient(env *Env) (*github.Client, error) {
	token := env.Getenv("GITHUB_TOKEN")
	if token == "" {
		return nil, usageError("set GITHUB_TOKEN (in a workflow: env: GITHUB_TOKEN: ${{ github.token }})", "no GitHub token")
	}
	c, err := github.New(github.Options{
		HTTP: env.HTTP, Token: token, API: env.Getenv("GITHUB_API_URL"), Repository: env.Getenv("GITHUB_REPOSITORY"),
		Now: env.Now, Log: env.Stderr,
	})
	if err != nil {
		return nil, usageError("set GITHUB_REPOSITORY to owner/name and GITHUB_API_URL to the REST endpoint", "%v", err)
	}
	return c, nil
}

// appendSummary adds Markdown to the job summary file, when the job has one.
func appendSummary(env *Env, markdown []byte) error {
	path := env.Getenv("GITHUB_STEP_SUMMARY")
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return envError("GITHUB_STEP_SUMMARY must name a writable file", err)
	}
	if _, err := f.Write(append(markdown, '\n')); err != nil {
		f.Close()
		return envError("GITHUB_STEP_SUMMARY must name a writable file", err)
	}
	if err := f.Close(); err != nil {
		return envError("GITHUB_STEP_SUMMARY must name a writable file", err)
	}
	return nil
}

func prName(n int) string { return "#" + strconv.Itoa(n) }
