package site_test

import (
	"bytes"
	"compress/gzip"
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

// BenchmarkBuild5000 builds the site for 5,000 DRIMboxes with 90 days of
// history (89 days of rollups, today's runs as samples) and reports the
// build time and the size of index.html gzipped.
//
//	go test -run XXX -bench Build5000 -benchtime 3x ./tool/internal/site
func BenchmarkBuild5000(b *testing.B) {
	const n = 5000
	now := time.Date(2026, 3, 2, 12, 1, 0, 0, time.UTC)
	data := status.Dir(b.TempDir())
	kinds := sim.Mix(n, 0.02, 0.05)
	boxes := make([]sim.Box, n)
	for i := range boxes {
		boxes[i] = sim.Box{ID: i + 1, Kind: kinds[i]}
	}
	if err := sim.History(data, boxes, now, 89, 5*time.Minute); err != nil {
		b.Fatal(err)
	}
	for at := now.Truncate(24 * time.Hour); at.Before(now); at = at.Add(5 * time.Minute) {
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
	out := filepath.Join(b.TempDir(), "site")
	var before, after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := site.Build(site.Options{Data: data, Now: now, Out: out}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	cpu := func(r syscall.Rusage) float64 {
		return float64(r.Utime.Sec+r.Stime.Sec) + float64(r.Utime.Usec+r.Stime.Usec)/1e6
	}
	// CPU time says what the build costs when other work shares the machine.
	b.ReportMetric((cpu(after)-cpu(before))/float64(b.N), "cpu-s/op")
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
