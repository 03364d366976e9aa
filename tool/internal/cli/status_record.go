package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/atomicfile"
	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/status"
)

// savedRunFormat names the layout of a file drimm probe --save-run writes.
const savedRunFormat = "drimm-probe-run/1"

// maxSavedRun bounds a saved run: about 1 KiB per DRIMbox.
const maxSavedRun = 256 << 20

// savedRun is what drimm probe --save-run writes and drimm status record
// reads.
type savedRun struct {
	Format  string     `json:"format"`
	Vantage string     `json:"vantage,omitempty"`
	Run     *probe.Run `json:"run"`
}

func saveRun(path, vantage string, run *probe.Run) error {
	data, err := json.Marshal(savedRun{Format: savedRunFormat, Vantage: vantage, Run: run})
	if err != nil {
		return err
	}
	return atomicfile.Write(path, append(data, '\n'), 0o644)
}

// readSavedRun reads and checks a file drimm probe --save-run wrote.
func readSavedRun(path string) (vantageRun, error) {
	f, err := os.Open(path)
	if err != nil {
		return vantageRun{}, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSavedRun+1))
	if err != nil {
		return vantageRun{}, err
	}
	if len(data) > maxSavedRun {
		return vantageRun{}, fmt.Errorf("%s: larger than %d MiB", path, maxSavedRun>>20)
	}
	var s savedRun
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return vantageRun{}, fmt.Errorf("%s: %w", path, err)
	}
	switch {
	case s.Format != savedRunFormat:
		return vantageRun{}, fmt.Errorf("%s: format %q, want %q (a file of drimm probe --save-run)", path, s.Format, savedRunFormat)
	case s.Vantage != "" && !status.ValidVantage(s.Vantage):
		return vantageRun{}, fmt.Errorf("%s: vantage point %q is not a valid name", path, s.Vantage)
	case s.Run == nil || s.Run.Start.IsZero():
		return vantageRun{}, fmt.Errorf("%s: no run, or a run without start", path)
	}
	seen := map[int]bool{}
	for _, r := range s.Run.Results {
		if r.ID <= 0 || seen[r.ID] {
			return vantageRun{}, fmt.Errorf("%s: DRIMbox %d is not a valid Identifiant, or is there twice", path, r.ID)
		}
		seen[r.ID] = true
	}
	return vantageRun{vantage: s.Vantage, run: s.Run}, nil
}

type statusRecordOptions struct {
	env      *Env
	registry string
	out      string
	commit   bool
}

func newStatusRecordCmd(env *Env) *cobra.Command {
	opts := &statusRecordOptions{env: env}
	cmd := &cobra.Command{
		Use:   "record RUN.json...",
		Short: "Record runs saved by drimm probe --save-run, in one commit with --commit",
		Long: `Record in status/ the runs that drimm probe --save-run wrote, each from
its own vantage point: every vantage point's sample and state, then the
state decided by quorum, once. With --commit they are committed in one
commit and pushed (a push refused because another run got there first is
retried on the new tip), so that three vantage points every five minutes
make one commit, not three.`,
		Example: `  drimm status record --commit runs/run-gha-ubuntu-24.json runs/run-gha-ubuntu-22.json`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStatusRecord(cmd, opts, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.registry, "registry", "registry", "registry folder (for the probe interval)")
	f.StringVar(&opts.out, "out", "status", "data folder the runs are recorded in")
	f.BoolVar(&opts.commit, "commit", false, "commit the runs with go-git and push them")
	return cmd
}

func runStatusRecord(cmd *cobra.Command, opts *statusRecordOptions, files []string) error {
	env := opts.env
	var runs []vantageRun
	seen := map[string]string{}
	for _, f := range files {
		r, err := readSavedRun(env.Path(f))
		if errors.Is(err, os.ErrNotExist) {
			return usageError("pass the files drimm probe --save-run wrote", "%v", err)
		}
		if err != nil {
			return usageError("pass files written by drimm probe --save-run, unchanged", "%v", err)
		}
		if len(files) > 1 && r.vantage == "" {
			return usageError("probe with --vantage NAME when several runs are recorded together", "%s has no vantage point", f)
		}
		if other, ok := seen[r.vantage]; ok {
			return usageError("record one run per vantage point at a time", "%s and %s are both from %q", other, f, r.vantage)
		}
		seen[r.vantage] = f
		runs = append(runs, r)
	}
	reg, _, err := registry.Load(env.Path(opts.registry))
	if err != nil {
		return envError("run drimm status record from the repository root, or pass --registry", err)
	}
	interval := reg.TrustSpace.Probe.Interval.Duration
	if interval <= 0 {
		interval = 5 * time.Minute
	}
	// Only the registry's operational DRIMboxes are recorded: a run
	// cannot add a DRIMbox to the page. One that left the registry since
	// the run is dropped, not refused.
	operational := map[int]bool{}
	for _, d := range reg.Operational() {
		operational[d.Identifiant] = true
	}
	for _, r := range runs {
		kept := r.run.Results[:0]
		for _, res := range r.run.Results {
			if operational[res.ID] {
				kept = append(kept, res)
			} else {
				fmt.Fprintf(env.Stderr, "drimm: warning: %s: DRIMbox %d is not operational in the registry; left out\n", seen[r.vantage], res.ID)
			}
		}
		r.run.Results = kept
	}
	return record(cmd.Context(), env, opts.out, opts.commit, runs, interval)
}
