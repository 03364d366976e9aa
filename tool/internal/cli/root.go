// Package cli wires the drimm command line: one file per command, each an
// options struct, a cobra command that parses flags, and a run function that
// does the work through the domain packages.
package cli

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

const rootLong = `drimm runs the DRIM-M Espace de Confiance as code.

The registry under registry/ holds one YAML record per Opérateur and per
DRIMbox; drimm validates it and the changes a pull request makes, builds and
signs the Liste Blanche, probes every DRIMbox and builds the Météo des DRIMbox.

Exit codes:
  0  success
  1  findings: the registry, a list or a deadline needs attention
  2  usage: the command line is wrong
  3  environment: a file, git, the HSM or the network failed
  4  stop trusting: drimm whitelist fetch holds no Liste Blanche within
     max_age (or its signer expired); the DRIMbox must stop trusting it`

// Main runs drimm with the process's arguments and environment and returns
// the exit code.
func Main() int {
	// Records are many and small; fewer collections trade memory, which is
	// plentiful, for time.
	debug.SetGCPercent(400)
	return Run(context.Background(), OSEnv(), osArgs())
}

// Run runs drimm with the given arguments (without the program name) and
// returns the exit code. Errors are printed once, with a hint when there is one.
func Run(ctx context.Context, env *Env, args []string) int {
	root := newRootCmd(env)
	root.SetArgs(args)
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	code, hint := exitCode(err)
	var ee *exitError
	if !errors.As(err, &ee) && isCobraUsage(err) {
		code = ExitUsage
		hint = "run 'drimm help' to see the commands and their flags"
	}
	fmt.Fprintf(env.Stderr, "drimm: error: %s\n", err)
	if hint != "" {
		fmt.Fprintf(env.Stderr, "drimm: hint: %s\n", hint)
	}
	return code
}

func newRootCmd(env *Env) *cobra.Command {
	root := &cobra.Command{
		Use:           "drimm",
		Short:         "Run the DRIM-M trust space as code",
		Long:          rootLong,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.CompletionOptions.HiddenDefaultCmd = false
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return usageError("run the command with --help to see its flags", "%s", err)
	})
	root.AddCommand(
		// one line per command; keep alphabetical
		newCodeownersCmd(env),
		newDeadlinesCmd(env),
		newDocsCmd(env),
		newDossierCmd(env),
		newExplainCmd(env),
		newGitHubCmd(env),
		newNewCmd(env),
		newParkCmd(env),
		newProbeCmd(env),
		newStatusCmd(env),
		newValidateCmd(env),
		newWhitelistCmd(env),
		newZoneCmd(env),
	)
	return root
}

// isCobraUsage tells the errors cobra itself returns for a wrong command line.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires at least", "requires at most", "invalid argument", "flag needs an argument", "required flag"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}
