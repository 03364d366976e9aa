package cli

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// Shell completion comes from cobra's 'completion' command; the functions
// here complete the values drimm's commands take from the registry:
// DRIMboxes, operators and conditions.

type completeFunc func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective)

// completionRegistry loads the registry named by the command's --registry
// flag, quietly: completion must never print errors.
func completionRegistry(env *Env, cmd *cobra.Command) *registry.Registry {
	dir := "registry"
	if f := cmd.Flags().Lookup("registry"); f != nil {
		dir = f.Value.String()
	}
	r, _, err := registry.Load(env.Path(dir))
	if err != nil {
		return nil
	}
	return r
}

// completeDRIMboxes completes a RECORD argument with Identifiants; file
// names still complete when nothing matches.
func completeDRIMboxes(env *Env) completeFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		r := completionRegistry(env, cmd)
		if r == nil {
			return nil, cobra.ShellCompDirectiveDefault
		}
		var out []cobra.Completion
		for _, d := range r.DRIMboxes {
			id := strconv.Itoa(d.Identifiant)
			if strings.HasPrefix(id, toComplete) {
				out = append(out, cobra.CompletionWithDesc(id, fmt.Sprintf("%s, %s", d.Operator, d.Status)))
			}
		}
		return out, cobra.ShellCompDirectiveDefault
	}
}

// completeOperators completes an operator folder name.
func completeOperators(env *Env) completeFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		r := completionRegistry(env, cmd)
		if r == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []cobra.Completion
		for _, id := range slices.Sorted(maps.Keys(r.Operators)) {
			if strings.HasPrefix(id, toComplete) {
				out = append(out, cobra.CompletionWithDesc(id, r.Operators[id].Denomination))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeConditions completes a condition id with its title.
func completeConditions(env *Env) completeFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		r := completionRegistry(env, cmd)
		if r == nil || len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []cobra.Completion
		for _, c := range r.Conditions {
			if strings.HasPrefix(c.ID, strings.ToUpper(toComplete)) {
				out = append(out, cobra.CompletionWithDesc(c.ID, c.Title))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
