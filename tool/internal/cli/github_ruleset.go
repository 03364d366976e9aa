package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/github"
)

type githubRulesetOptions struct {
	env   *Env
	check bool
	dir   string
	appID string
}

func newGitHubRulesetCmd(env *Env) *cobra.Command {
	opts := &githubRulesetOptions{env: env}
	cmd := &cobra.Command{
		Use:   "ruleset --check",
		Short: "Compare the repository's live rulesets with the ones shipped in .github/rulesets",
		Long: `Read the repository's rulesets through GitHub's API and compare each with
the JSON shipped in .github/rulesets (main-review.json: pull requests,
code owners, the required checks registry, ANS approval and tests from the
GitHub Actions app only, integration_id 15368, the merge queue;
main-history.json: no force push, no deletion). Every key a shipped file
sets must hold the same value live; lists must hold the same rules,
checks and actors. Drift is printed one line per difference, and exits 1.

A bypass actor of type Integration with actor_id 0 stands for the
publishing GitHub App: give its id with --app-id (or DRIMM_APP_ID), as the
commands that apply the rulesets do. Only a repository admin's token sees
bypass actors: run it with GITHUB_TOKEN=$(gh auth token) as an admin.`,
		Example: `  GITHUB_TOKEN=$(gh auth token) GITHUB_REPOSITORY=ans-drim-m/trust-space \
    drimm github ruleset --check --app-id 1234567`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runGitHubRuleset(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.check, "check", false, "compare the live rulesets with the shipped ones")
	cmd.Flags().StringVar(&opts.dir, "dir", filepath.Join(".github", "rulesets"), "folder of the shipped rulesets")
	cmd.Flags().StringVar(&opts.appID, "app-id", "", "the publishing App's id, for its bypass (default: DRIMM_APP_ID)")
	return cmd
}

func runGitHubRuleset(ctx context.Context, opts *githubRulesetOptions) error {
	env := opts.env
	if !opts.check {
		return usageError("run drimm github ruleset --check", "nothing to do without --check")
	}
	appID := orDefault(opts.appID, env.Getenv("DRIMM_APP_ID"))
	shipped, err := shippedRulesets(env.Path(opts.dir), appID)
	if err != nil {
		return err
	}
	client, err := githubClient(env)
	if err != nil {
		return err
	}
	live, err := client.Rulesets(ctx)
	if err != nil {
		return envError("check GITHUB_TOKEN (a repository admin's, to see bypass actors) and the network", err)
	}
	names := make([]string, 0, len(shipped))
	for n := range shipped {
		names = append(names, n)
	}
	slices.Sort(names)
	drifted := 0
	for _, name := range names {
		l, ok := live[name]
		if !ok {
			fmt.Fprintf(env.Stdout, "%s: not on the repository; apply it (README, Setting up the repository)\n", name)
			drifted++
			continue
		}
		lines, err := github.RulesetDrift(shipped[name], l)
		if err != nil {
			return envError("", err)
		}
		for _, line := range lines {
			fmt.Fprintf(env.Stdout, "%s: %s\n", name, line)
		}
		if len(lines) > 0 {
			drifted++
		}
	}
	if drifted > 0 {
		return findingsError("%d of %d ruleset(s) differ from %s", drifted, len(names), opts.dir)
	}
	fmt.Fprintf(env.Stderr, "drimm: %d ruleset(s) as shipped in %s\n", len(names), opts.dir)
	return nil
}

// shippedRulesets reads the shipped rulesets by name, with the App's id
// in place of the actor_id 0 that stands for it.
func shippedRulesets(dir, appID string) (map[string][]byte, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		return nil, usageError("run in the repository's root, or give --dir", "no ruleset (*.json) in %s", dir)
	}
	out := map[string][]byte{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, envError("", err)
		}
		var rs struct {
			Name         string           `json:"name"`
			BypassActors []map[string]any `json:"bypass_actors"`
		}
		if err := json.Unmarshal(data, &rs); err != nil || rs.Name == "" {
			return nil, usageError("fix the file", "%s is not a ruleset with a name: %v", f, err)
		}
		if bytes.Contains(data, []byte(`"actor_id": 0`)) {
			id, err := strconv.ParseInt(appID, 10, 64)
			if err != nil || id <= 0 {
				return nil, usageError("give --app-id, the publishing App's id (the repository variable DRIMM_APP_ID)", "%s gives the App a bypass, and no App id was given", filepath.Base(f))
			}
			data = bytes.ReplaceAll(data, []byte(`"actor_id": 0`), []byte(`"actor_id": `+strconv.FormatInt(id, 10)))
		}
		out[rs.Name] = data
	}
	return out, nil
}
