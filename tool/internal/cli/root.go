// Package cli wires the drimm command line: one file per command, each an
// options struct, a cobra command that parses flags, and a run function that
// does the work through the domain packages.
package cli

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"

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
	// Records are many and small; fewer collections trade memory for time,
	// up to a point: on the virtual machines drimm runs on, every fresh page
	// costs a fault, and at 400 the faults of a 10,000-record registry cost
	// more than the collections 200 adds.
	debug.SetGCPercent(200)
	stop := startProfile()
	defer stop()
	return Run(context.Background(), OSEnv(), osArgs())
}

// Run runs drimm with the given arguments (without the program name) and
// returns the exit code. Errors are printed once, with a hint when there is one.
func Run(ctx context.Context, env *Env, args []string) int {
	return execute(ctx, env, newRootCmd(env), args)
}

// execute runs root with args and prints the error, if any, once. A wrong
// command line is known by where the error comes from, never by its
// wording: flag parsing and argument checks return usage errors, failures
// of a command's run function keep their exit code or exit 3, and what
// is left can only come from cobra finding the command. An environment
// failure that happens to say "invalid argument" still exits 3.
func execute(ctx context.Context, env *Env, root *cobra.Command, args []string) int {
	root.SetArgs(args)
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if !errors.As(err, &ee) {
		err = usageError("run 'drimm help' to see the commands and their flags", "%s", err)
	}
	code, hint := exitCode(err)
	fmt.Fprintf(env.Stderr, "drimm: error: %s\n", err)
	if hint != "" {
		fmt.Fprintf(env.Stderr, "drimm: hint: %s\n", hint)
	}
	return code
}

// classifyErrors makes the argument checks of every runnable command, and
// the required-flag checks cobra makes after them, return usage errors, and
// its run function return errors that carry an exit code (3 unless the
// command chose another).
func classifyErrors(c *cobra.Command) {
	for _, sub := range c.Commands() {
		classifyErrors(sub)
	}
	if c.RunE == nil && c.Run == nil && c.HasParent() && c.HasSubCommands() {
		// A group of commands run with an argument that names none of
		// them: say so, instead of printing the help and exiting 0.
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError("run '"+cmd.CommandPath()+" --help' to see its commands", "unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return cmd.Help()
		}
	}
	if c.RunE == nil {
		return
	}
	check := c.Args
	if check == nil {
		check = cobra.ArbitraryArgs
	}
	c.Args = func(cmd *cobra.Command, args []string) error {
		err := check(cmd, args)
		if err == nil {
			err = cmd.ValidateRequiredFlags()
		}
		if err == nil {
			err = cmd.ValidateFlagGroups()
		}
		if err != nil {
			return usageError("run '"+cmd.CommandPath()+" --help' to see its arguments and flags", "%s", err)
		}
		return nil
	}
	run := c.RunE
	c.RunE = func(cmd *cobra.Command, args []string) error {
		err := run(cmd, args)
		var ee *exitError
		if err != nil && !errors.As(err, &ee) {
			return &exitError{code: ExitEnv, err: err}
		}
		return err
	}
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
	classifyErrors(root)
	return root
}
