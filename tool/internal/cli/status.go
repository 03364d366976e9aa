package cli

import "github.com/spf13/cobra"

func newStatusCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Build the Météo des DRIMbox from the probe results",
		Long: `Build the Météo des DRIMbox, the public weather page of the trust space,
from the probe results in status/, or run the demo on simulated DRIMboxes.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newStatusBuildCmd(env), newStatusRecordCmd(env), newStatusDemoCmd(env))
	return cmd
}
