package cli

import "github.com/spf13/cobra"

func newZoneCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "zone",
		Short: "The DNS zone of the national names (ANS)",
		Long: `The ANS serves the national names of the Registre National in the zone of
trust-space.yaml: db<Identifiant> and vi<Identifiant> of every DRIMbox that
is integrating or operational, as CNAME to the endpoint hosts of its record.`,
	}
	cmd.AddCommand(newZoneExportCmd(env))
	return cmd
}
