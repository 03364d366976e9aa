package status

import (
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/drim-m/trust-space/tool/internal/probe"
)

// fleetRuns simulates probe runs of n DRIMboxes: a steady latency per
// DRIMbox with jitter, 5 % degraded for good, and each day a few DRIMboxes
// down for half an hour.
type fleetRuns struct {
	n    int
	base []float64
	rng  *rand.Rand
}

// newFleetRunsSeed makes a fleet; each seed gives its own jitter, as the
// same fleet seen from another vantage point (seed 2 is the one prober).
func newFleetRunsSeed(n int, seed uint64) *fleetRuns {
	f := &fleetRuns{n: n, base: make([]float64, n+1), rng: rand.New(rand.NewPCG(1, 2))}
	for id := 1; id <= n; id++ {
		f.base[id] = 20 + f.rng.Float64()*180
	}
	if seed != 2 {
		f.rng = rand.New(rand.NewPCG(1, seed))
	}
	return f
}

func (f *fleetRuns) run(at time.Time) *probe.Run {
	run := &probe.Run{Start: at, End: at.Add(20 * time.Second), NetworkOK: true, Complete: true, Results: make([]probe.Result, 0, f.n)}
	slot := at.Hour()*12 + at.Minute()/5
	day := at.YearDay()
	for id := 1; id <= f.n; id++ {
		lat := time.Duration(f.base[id]*math.Exp(f.rng.NormFloat64()*0.15)) * time.Millisecond
		r := probe.Result{ID: id, Verdict: probe.Up, DB: &probe.Check{Host: "db", OK: true, HTTP: 200, Endpoint: "ok", Timings: probe.Timings{Total: lat}},
			PACS: []probe.PACSState{{ID: "pacs-1", State: "up"}}}
		switch {
		case id%20 == 0:
			r.Verdict, r.Reasons = probe.Degraded, []string{probe.ReasonSlow}
		case (id*7+day*13)%1000 < 5 && slot >= (id%200) && slot < (id%200)+6:
			r.Verdict, r.Reasons = probe.Down, []string{probe.ReasonDBDown, probe.ReasonTimeout}
			r.DB = &probe.Check{Host: "db", Reason: probe.ReasonTimeout}
			r.PACS[0].State = probe.NotReported
		}
		run.Results = append(run.Results, r)
	}
	return run
}

// BenchmarkRepoGrowth commits every five-minute run of 5,000 DRIMboxes for
// a week into a git repository, as drimm probe --commit does, and reports
// the packed size after git gc at the end of each day: from one prober;
// from three vantage points each committing its own run every five
// minutes (drimm probe --vantage --commit: apart); and from three vantage
// points whose runs of each five minutes are recorded in one commit
// (drimm probe --save-run, then drimm status record --commit: together).
//
//	go test -run XXX -bench RepoGrowth -benchtime 1x ./tool/internal/status
func BenchmarkRepoGrowth(b *testing.B) {
	vantages := []string{"gha-1", "gha-2", "gha-3"}
	b.Run("one-prober", func(b *testing.B) { repoGrowth(b, nil, false) })
	b.Run("three-vantages-apart", func(b *testing.B) { repoGrowth(b, vantages, false) })
	b.Run("three-vantages-together", func(b *testing.B) { repoGrowth(b, vantages, true) })
}

// growthDays is how many days BenchmarkRepoGrowth simulates.
var growthDays = flag.Int("growth-days", 7, "days of five-minute runs BenchmarkRepoGrowth commits (at least 2)")

func repoGrowth(b *testing.B, vantages []string, together bool) {
	requireTool(b, "git", "git")
	const boxes = 5000
	days := max(*growthDays, 2)
	probers := []string{""}
	if len(vantages) > 0 {
		probers = vantages
	}
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		repo, err := git.PlainInit(dir, false)
		if err != nil {
			b.Fatal(err)
		}
		fleets := make([]*fleetRuns, len(probers))
		for k := range fleets {
			fleets[k] = newFleetRunsSeed(boxes, uint64(2+k))
		}
		start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
		var parent plumbing.Hash
		var sizes []float64
		commits := 0
		elapsed := time.Duration(0)
		for slot := start; slot.Before(start.AddDate(0, 0, days)); slot = slot.Add(5 * time.Minute) {
			// Apart, each vantage point commits its own run; together,
			// one commit records every vantage point's run of the slot.
			groups := [][]int{}
			for k := range probers {
				if together && k > 0 {
					groups[0] = append(groups[0], k)
				} else {
					groups = append(groups, []int{k})
				}
			}
			for _, group := range groups {
				t0 := time.Now()
				var root *object.Tree
				if !parent.IsZero() {
					c, err := repo.CommitObject(parent)
					if err != nil {
						b.Fatal(err)
					}
					root, _ = c.Tree()
				}
				tree := NewTree(repo.Storer, root, "status")
				var at time.Time
				runs := map[string]*probe.Run{}
				for _, k := range group {
					at = slot.Add(time.Duration(k) * 7 * time.Second)
					runs[probers[k]] = fleets[k].run(at)
				}
				if err := applyAll(tree, runs); err != nil {
					b.Fatal(err)
				}
				h, err := tree.Build()
				if err != nil {
					b.Fatal(err)
				}
				sig := object.Signature{Name: "drimm probe", Email: "probe@example.invalid", When: at}
				c := &object.Commit{Author: sig, Committer: sig, Message: "status: probe run " + at.Format(time.RFC3339) + "\n", TreeHash: h}
				if !parent.IsZero() {
					c.ParentHashes = []plumbing.Hash{parent}
				}
				obj := repo.Storer.NewEncodedObject()
				if err := c.Encode(obj); err != nil {
					b.Fatal(err)
				}
				if parent, err = repo.Storer.SetEncodedObject(obj); err != nil {
					b.Fatal(err)
				}
				commits++
				elapsed += time.Since(t0)
			}
			if next := slot.Add(5 * time.Minute); next.Day() != slot.Day() {
				repo.Storer.SetReference(plumbing.NewHashReference("refs/heads/main", parent))
				repo.Storer.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, "refs/heads/main"))
				sizes = append(sizes, packedKiB(b, dir))
				// git gc replaced the loose objects by a pack: reopen.
				var err error
				if repo, err = git.PlainOpen(dir); err != nil {
					b.Fatal(err)
				}
				if keep := os.Getenv("DRIMM_GROWTH_KEEP"); keep != "" && len(sizes) == 1 {
					exec.Command("cp", "-a", dir, keep).Run()
				}
				b.Logf("day %d: %d commits, packed %.0f KiB", len(sizes), commits, sizes[len(sizes)-1])
			}
		}
		growth := (sizes[len(sizes)-1] - sizes[0]) / float64(len(sizes)-1)
		b.ReportMetric(growth, "KiB/day")
		b.ReportMetric(sizes[len(sizes)-1], "KiB-at-end")
		b.ReportMetric(float64(elapsed.Milliseconds())/float64(commits), "ms/commit")
	}
}

// packedKiB runs git gc and returns size-pack from git count-objects -v.
func packedKiB(b *testing.B, dir string) float64 {
	b.Helper()
	gc := exec.Command("git", "gc", "--quiet")
	gc.Dir = dir
	if out, err := gc.CombinedOutput(); err != nil {
		b.Fatalf("git gc: %v\n%s", err, out)
	}
	cnt := exec.Command("git", "count-objects", "-v")
	cnt.Dir = dir
	out, err := cnt.Output()
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "size-pack: "); ok {
			n, _ := strconv.ParseFloat(v, 64)
			return n
		}
	}
	b.Fatalf("no size-pack in %s", out)
	return 0
}

// applyAll records the runs of one commit, as drimm status record does.
func applyAll(fsys FS, runs map[string]*probe.Run) error {
	if len(runs) == 1 {
		for name, run := range runs {
			return ApplyVantage(fsys, name, run, 5*time.Minute)
		}
	}
	return ApplyVantages(fsys, runs, 5*time.Minute)
}
