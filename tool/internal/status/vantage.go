package status

import (
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
)

// Several vantage points probe the same DRIMboxes so that one runner's
// network glitch does not mark DRIMboxes down for everyone. Each writes
// its own samples (samples/<day>/<time>-<name>.txt) and its own latest
// state (vantages/<name>/run.json and shards); the state the page shows
// (run.json, latest/, events/) is decided by quorum over the vantage
// points that ran within the last two intervals:
//
//   - down only when a majority of them see the DRIMbox down;
//   - when they disagree otherwise, degraded, with the reason
//     probe.ReasonSplit when some see it down;
//   - a vantage point that could not tell (unknown) abstains;
//   - when every one that could tell agrees, their verdict (down without
//     a majority becomes unknown).

// VantagesDir holds each vantage point's own latest state.
const VantagesDir = "vantages"

var vantageRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)

// ValidVantage tells whether name may name a vantage point: lower-case
// letters, digits and dashes, at most 32.
func ValidVantage(name string) bool { return vantageRe.MatchString(name) }

// Vantage is what one vantage point saw of a DRIMbox at its last run.
type Vantage struct {
	Name    string        `json:"name"`
	Verdict probe.Verdict `json:"verdict"`
	Reasons []string      `json:"reasons,omitempty"`
	// Run is when the vantage point last ran. It is stored once per
	// vantage point in run.json, not with every DRIMbox (a run would
	// otherwise rewrite every latest/ file), and filled in when the state
	// is read.
	Run time.Time `json:"run,omitzero"`
}

// sub is an FS over a folder of another.
type sub struct {
	fsys   FS
	prefix string
}

func (s sub) ReadFile(name string) ([]byte, error)     { return s.fsys.ReadFile(s.prefix + name) }
func (s sub) ReadDir(name string) ([]string, error)    { return s.fsys.ReadDir(s.prefix + name) }
func (s sub) WriteFile(name string, data []byte) error { return s.fsys.WriteFile(s.prefix+name, data) }
func (s sub) Remove(name string) error                 { return s.fsys.Remove(s.prefix + name) }

// ApplyVantage records a run made from vantage point name: its sample, its
// own latest state, then the state decided by quorum and the events it
// causes, then folds the days that are over. With an empty name it is
// Apply.
func ApplyVantage(fsys FS, name string, run *probe.Run, interval time.Duration) error {
	if name == "" {
		return Apply(fsys, run, interval)
	}
	return ApplyVantages(fsys, map[string]*probe.Run{name: run}, interval)
}

// ApplyVantages records the runs of several vantage points, named by the
// keys, as one change: each one's sample and own latest state, then the
// state decided by quorum once, so that one commit records a five-minute
// slot seen from every vantage point.
func ApplyVantages(fsys FS, runs map[string]*probe.Run, interval time.Duration) error {
	if len(runs) == 0 {
		return fmt.Errorf("no run to record")
	}
	names := make([]string, 0, len(runs))
	for name := range runs {
		if !ValidVantage(name) {
			return fmt.Errorf("vantage point %q: use lower-case letters, digits and dashes (at most 32)", name)
		}
		names = append(names, name)
	}
	slices.Sort(names)
	var newest time.Time
	for _, name := range names {
		run := runs[name]
		start := run.Start.UTC()
		if err := writeSampleAs(fsys, sampleOf(run), name); err != nil {
			return err
		}
		vfs := sub{fsys, VantagesDir + "/" + name + "/"}
		vprev, err := readLatest(vfs)
		if err != nil {
			return err
		}
		if vprev == nil || start.After(vprev.Run) {
			mine, _ := next(vprev, run, interval)
			if err := writeLatest(vfs, mine); err != nil {
				return err
			}
		}
		if start.After(newest) {
			newest = start
		}
	}
	views, err := readVantages(fsys)
	if err != nil {
		return err
	}
	prev, err := readLatest(fsys)
	if err != nil {
		return err
	}
	cons := quorum(views, interval)
	if cons != nil && (prev == nil || cons.Run.After(prev.Run) || cons.Run.Equal(prev.Run)) {
		latest, events := settle(prev, cons)
		if err := writeLatest(fsys, latest); err != nil {
			return err
		}
		if err := appendEvents(fsys, events); err != nil {
			return err
		}
	}
	return Fold(fsys, newest)
}

type view struct {
	name   string
	latest *Latest
}

func readVantages(fsys FS) ([]view, error) {
	names, err := fsys.ReadDir(VantagesDir)
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", VantagesDir, err)
	}
	var out []view
	for _, n := range names {
		if !ValidVantage(n) {
			continue
		}
		l, err := readLatest(sub{fsys, VantagesDir + "/" + n + "/"})
		if err != nil {
			return nil, fmt.Errorf("vantage point %s: %w", n, err)
		}
		if l != nil {
			out = append(out, view{n, l})
		}
	}
	return out, nil
}
