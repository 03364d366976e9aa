package site_test

import (
	"bytes"
	"compress/gzip"
	"flag"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/drim-m/trust-space/tool/internal/sim"
	"github.com/drim-m/trust-space/tool/internal/site"
	"github.com/drim-m/trust-space/tool/internal/status"
)

// keep, when set, is a folder to write the benchmark's data to and keep,
// dated from the process clock so that drimm status build run by hand
// (tool/scripts/bench-meteo.sh) sees it as current.
var keep = flag.String("keep", "", "write the 5,000-DRIMbox data to this folder, dated now, and keep it")

// nextRun, when set, is a folder written by -keep to record one more run
// in, dated now (BenchmarkNextRun5000).
var nextRun = flag.String("next-run", "", "record one more run of the 5,000 DRIMboxes, dated now, in this folder written by -keep")

// benchBoxes are the n DRIMboxes of the benchmarks: 2 % down, 5 % slow.
func benchBoxes(n int) []sim.Box {
	kinds := sim.Mix(n, 0.02, 0.05)
	boxes := make([]sim.Box, n)
	for i := range boxes {
		boxes[i] = sim.Box{ID: i + 1, Kind: kinds[i]}
	}
	return boxes
}

// applyRun records a run at at in which every DRIMbox is as its kind says.
func applyRun(b *testing.B, data status.FS, boxes []sim.Box, at time.Time) {
	run := &probe.Run{Start: at, End: at.Add(30 * time.Second), NetworkOK: true, Complete: true}
	for _, box := range boxes {
		r := probe.Result{ID: box.ID, Verdict: probe.Up,
			DB:   &probe.Check{Host: "db", OK: true, HTTP: 200, Endpoint: "ok", Timings: probe.Timings{Total: time.Duration(30+box.ID%150) * time.Millisecond}},
			VI:   &probe.Check{Host: "vi", OK: true, HTTP: 404, Endpoint: "absent"},
			PACS: []probe.PACSState{{ID: "pacs-1", State: "up"}, {ID: "pacs-2", State: "up"}}}
		switch box.Kind {
		case sim.Down:
			r.Verdict, r.Reasons, r.DB = probe.Down, []string{probe.ReasonDBDown, probe.ReasonConnect}, &probe.Check{Host: "db", Reason: probe.ReasonConnect}
		case sim.Slow:
			r.Verdict, r.Reasons = probe.Degraded, []string{probe.ReasonSlow}
		}
		run.Results = append(run.Results, r)
	}
	if err := status.Apply(data, run, 5*time.Minute); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkNextRun5000 records one more run, dated now, in the folder
// -next-run names (written by -keep): what a five-minute probe adds before
// the next build. tool/scripts/bench-meteo.sh uses it.
func BenchmarkNextRun5000(b *testing.B) {
	if *nextRun == "" {
		b.Skip("needs -next-run DIR, a folder written by -keep (tool/scripts/bench-meteo.sh)")
	}
	boxes := benchBoxes(5000)
	for b.Loop() {
		applyRun(b, status.Dir(*nextRun), boxes, time.Now().UTC())
	}
}

// fleetData writes 89 days of rollups and today's runs every five minutes
// for n DRIMboxes (2 % down, 5 % slow) and returns the data folder, the
// build time and a function that records one more run.
func fleetData(b *testing.B, n int) (status.Dir, time.Time, func(at time.Time)) {
	now := time.Date(2026, 3, 2, 12, 1, 0, 0, time.UTC)
	data := status.Dir(b.TempDir())
	if *keep != "" {
		now, data = time.Now().UTC().Truncate(5*time.Minute).Add(time.Minute), status.Dir(*keep)
	}
	boxes := benchBoxes(n)
	if err := sim.History(data, boxes, now, 89, 5*time.Minute); err != nil {
		b.Fatal(err)
	}
	apply := func(at time.Time) { applyRun(b, data, boxes, at) }
	for at := now.Truncate(24 * time.Hour); at.Before(now); at = at.Add(5 * time.Minute) {
		apply(at)
	}
	return data, now, apply
}

// BenchmarkBuild5000 builds the site for 5,000 DRIMboxes with 90 days of
// history (89 days of rollups, today's runs as samples): "full" into an
// empty folder, "next-run" after one more five-minute run (what CI does
// every five minutes when the site folder is kept), reporting the CPU
// time, the files written and the size of index.html.
//
//	go test -run XXX -bench Build5000 -benchtime 3x ./tool/internal/site
//
// Each full build goes into a folder of its own, and none is removed until
// the end: on ext4 without a journal (this machine's disk), creating a file
// skips every inode freed in the last 30 seconds, so a build that follows
// the removal of 20,000 files pays for it, a cost of the benchmark rather
// than of the build. With -keep, the folders are kept next to the data, so
// that the builds tool/scripts/bench-meteo.sh times next do not pay for
// them either; the script removes them.
func BenchmarkBuild5000(b *testing.B) {
	data, now, apply := fleetData(b, 5000)
	sites := b.TempDir()
	if *keep != "" {
		sites = filepath.Clean(*keep) + ".bench-sites"
		if err := os.MkdirAll(sites, 0o755); err != nil {
			b.Fatal(err)
		}
	}
	var out string
	measure := func(b *testing.B, each func(i int) time.Time) {
		var before, after syscall.Rusage
		var files int
		syscall.Getrusage(syscall.RUSAGE_SELF, &before)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			at := each(i)
			b.StartTimer()
			n, err := site.BuildCount(site.Options{Data: data, Now: at, Out: out})
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			files += n
		}
		syscall.Getrusage(syscall.RUSAGE_SELF, &after)
		cpu := func(r syscall.Rusage) float64 {
			return float64(r.Utime.Sec+r.Stime.Sec) + float64(r.Utime.Usec+r.Stime.Usec)/1e6
		}
		// CPU time (setup included for next-run) says what the build
		// costs when other work shares the machine.
		b.ReportMetric((cpu(after)-cpu(before))/float64(b.N), "cpu-s/op")
		b.ReportMetric(float64(files)/float64(b.N), "files-written/op")
		index, err := os.ReadFile(filepath.Join(out, "index.html"))
		if err != nil {
			b.Fatal(err)
		}
		var gz bytes.Buffer
		w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		w.Write(index)
		w.Close()
		b.ReportMetric(float64(len(index))/1024, "KiB-index")
		b.ReportMetric(float64(gz.Len())/1024, "KiB-index-gzip")
	}
	b.Run("full", func(b *testing.B) {
		measure(b, func(int) time.Time {
			b.StopTimer()
			var err error
			if out, err = os.MkdirTemp(sites, "full-"); err != nil {
				b.Fatal(err)
			}
			out = filepath.Join(out, "site")
			return now
		})
	})
	b.Run("next-run", func(b *testing.B) {
		if out == "" {
			b.Skip("needs the site the full build writes: -bench 'Build5000/(full|next-run)'")
		}
		at := now
		measure(b, func(int) time.Time {
			b.StopTimer()
			at = at.Add(5 * time.Minute)
			apply(at.Add(-time.Minute))
			return at
		})
	})
}
