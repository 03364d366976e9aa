package sim

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
)

// benchFleet is the fleet of the comparison: 10,000 DRIMboxes, 2 % down,
// 5 % slow (answering after 2.5 s), each reached on its db and vi names.
const (
	benchBoxes       = 10000
	benchConcurrency = 256 // the registry's probe.concurrency
	benchSlow        = 2500 * time.Millisecond
)

func raiseFileLimit(b *testing.B) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err == nil && lim.Cur < lim.Max {
		lim.Cur = lim.Max
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	}
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil || lim.Cur < benchBoxes+4*benchConcurrency+100 {
		b.Fatalf("open file limit %d is too low for %d DRIMboxes; raise it (ulimit -n)", lim.Cur, benchBoxes)
	}
}

// BenchmarkProbe10000 probes 10,000 simulated DRIMboxes on loopback (db
// and vi: 20,000 HTTPS probes) with drimm's prober, then has Prometheus
// blackbox_exporter probe the same 20,000 URLs at the same concurrency.
// conns/s counts every connection made, drimm's retries of the down
// DRIMboxes included (blackbox_exporter makes none); probes/s counts the
// 20,000 access points.
//
//	go test -run XXX -bench Probe10000 -benchtime 1x -timeout 30m ./tool/internal/sim
func BenchmarkProbe10000(b *testing.B) {
	raiseFileLimit(b)
	// blackbox_exporter checks certificates against the real clock: the
	// fleet's certificates are issued at it.
	fleet, err := Start(Options{Kinds: Mix(benchBoxes, 0.02, 0.05), SlowDelay: benchSlow, IPSAN: true, Now: time.Now()})
	if err != nil {
		b.Fatal(err)
	}
	defer fleet.Close()
	targets := fleet.Targets()

	// The first run knows nothing of the fleet; every later run probes
	// first the DRIMboxes that were not up at the one before, as drimm
	// probe does from status/.
	var last *probe.Run
	for _, name := range []string{"drimm-first-run", "drimm"} {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if last != nil {
					for k := range targets {
						targets[k].First = last.Results[k].Verdict != probe.Up
					}
				}
				p := probe.New(probe.Options{Roots: fleet.Roots(), Resolve: fleet.Resolve(), Canary: fleet.Canary,
					Concurrency: benchConcurrency, Retries: probe.DefaultRetries})
				start := time.Now()
				run := p.Run(context.Background(), targets)
				elapsed := time.Since(start).Seconds()
				last = run
				n := map[probe.Verdict]int{}
				conns := 0
				for _, r := range run.Results {
					n[r.Verdict]++
					for _, c := range []*probe.Check{r.DB, r.VI} {
						if c != nil {
							conns += c.Attempts
						}
					}
				}
				b.ReportMetric(elapsed, "s/run")
				b.ReportMetric(float64(conns)/elapsed, "conns/s")
				b.ReportMetric(2*benchBoxes/elapsed, "probes/s")
				b.Logf("%s; %d connections", run.Summary(), conns)
				// Slowness is timing: on a busy machine more DRIMboxes than
				// the slow ones may be judged slow, never fewer.
				if n[probe.Down] != benchBoxes*2/100 || n[probe.Degraded] < benchBoxes*5/100 {
					b.Errorf("verdicts %v, want %d down and at least %d degraded", n, benchBoxes*2/100, benchBoxes*5/100)
				}
			}
		})
	}

	b.Run("blackbox_exporter", func(b *testing.B) {
		addr := startBlackbox(b, fleet)
		var urls []string
		for _, box := range fleet.Boxes {
			u := "https://" + box.Addr + probe.DefaultPath
			urls = append(urls, u, u) // db and vi lead to the same server
		}
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchConcurrency, MaxConnsPerHost: benchConcurrency}}
		for i := 0; i < b.N; i++ {
			start := time.Now()
			var ok, failed atomic.Int64
			jobs := make(chan string)
			var wg sync.WaitGroup
			for w := 0; w < benchConcurrency; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for target := range jobs {
						if blackboxProbe(client, addr, target) {
							ok.Add(1)
						} else {
							failed.Add(1)
						}
					}
				}()
			}
			for _, u := range urls {
				jobs <- u
			}
			close(jobs)
			wg.Wait()
			elapsed := time.Since(start).Seconds()
			b.ReportMetric(elapsed, "s/run")
			b.ReportMetric(float64(len(urls))/elapsed, "conns/s")
			b.ReportMetric(float64(len(urls))/elapsed, "probes/s")
			b.Logf("blackbox_exporter: %d probes succeeded, %d failed", ok.Load(), failed.Load())
			if want := int64(2 * benchBoxes * 2 / 100); failed.Load() != want {
				b.Errorf("%d probes failed, want %d (the down DRIMboxes)", failed.Load(), want)
			}
		}
	})
}

func blackboxProbe(client *http.Client, addr, target string) bool {
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/probe?module=drimbox&target="+url.QueryEscape(target), nil)
	req.Header.Set("X-Prometheus-Scrape-Timeout-Seconds", "11")
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if sc.Text() == "probe_success 1" {
			return true
		}
	}
	return false
}

// startBlackbox runs prometheus-blackbox-exporter on loopback with a module
// equivalent to drimm's probe: HTTPS GET, chain to the fleet's root,
// 200 or 404 accepted, no redirects, 10 s timeout.
func startBlackbox(b *testing.B, fleet *Fleet) string {
	b.Helper()
	bin, err := exec.LookPath("prometheus-blackbox-exporter")
	if err != nil {
		b.Fatalf("prometheus-blackbox-exporter not found: install prometheus-blackbox-exporter")
	}
	dir := b.TempDir()
	root := filepath.Join(dir, "root.pem")
	if err := os.WriteFile(root, fleet.PKI.Root.CertPEM(), 0o644); err != nil {
		b.Fatal(err)
	}
	cfg := fmt.Sprintf(`modules:
  drimbox:
    prober: http
    timeout: 10s
    http:
      method: GET
      valid_status_codes: [200, 404]
      no_follow_redirects: true
      fail_if_not_ssl: true
      preferred_ip_protocol: ip4
      ip_protocol_fallback: false
      tls_config:
        ca_file: %s
`, root)
	cfgFile := filepath.Join(dir, "blackbox.yml")
	if err := os.WriteFile(cfgFile, []byte(cfg), 0o644); err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "--config.file="+cfgFile, "--web.listen-address="+addr, "--log.level=error")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for i := 0; i < 100; i++ {
		if resp, err := http.Get("http://" + addr + "/-/healthy"); err == nil {
			resp.Body.Close()
			return addr
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.Fatalf("blackbox_exporter did not start:\n%s", stderr.String())
	return ""
}
