package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// registryAt holds the two flags the date-bound commands (deadlines, park,
// github deadlines) share: the registry folder and the date of the check.
type registryAt struct {
	registry string
	at       string
}

func (o *registryAt) register(cmd *cobra.Command, atHelp string) {
	f := cmd.Flags()
	f.StringVar(&o.registry, "registry", "registry", "registry folder")
	f.StringVar(&o.at, "at", "", atHelp+", YYYY-MM-DD or RFC 3339 (default: now)")
}

// load reads the registry and the date of the check.
func (o *registryAt) load(env *Env) (*registry.Registry, time.Time, error) {
	at, err := parseAt(env, o.at)
	if err != nil {
		return nil, time.Time{}, err
	}
	r, _, err := loadRegistry(env, env.Path(o.registry))
	if err != nil {
		return nil, time.Time{}, err
	}
	return r, at, nil
}

// deadlinesOutcome ends a deadline listing: exit 1 when one is overdue.
func deadlinesOutcome(env *Env, n, overdue int, at time.Time) error {
	if overdue > 0 {
		return findingsError("%d deadline(s), %d overdue on %s", n, overdue, at.Format(time.DateOnly))
	}
	fmt.Fprintf(env.Stderr, "drimm: %d deadline(s) on %s, none overdue\n", n, at.Format(time.DateOnly))
	return nil
}
