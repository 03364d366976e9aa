package probe

import (
	"context"
	"crypto/x509"
	"errors"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/testpki"
	"github.com/google/go-cmp/cmp"
)

func runOne(t *testing.T, opts Options, tg Target) Result {
	t.Helper()
	run := New(opts).Run(context.Background(), []Target{tg})
	if len(run.Results) != 1 {
		t.Fatalf("got %d results, want 1", len(run.Results))
	}
	return run.Results[0]
}

func TestVerdicts(t *testing.T) {
	l := newLab(t)
	other, err := testpki.New(testpki.Options{Name: "AUTRE-IGC", Now: labNow})
	if err != nil {
		t.Fatal(err)
	}
	inTen := labNow.AddDate(0, 0, 10)
	cases := []struct {
		name    string
		cert    certSpec
		handler http.Handler
		slow    time.Duration
		want    Verdict
		reasons []string
		pacs    []string // expected PACS states in order
	}{
		{name: "healthy", handler: statusJSON(healthyReport), want: Up, pacs: []string{"up", "up"}},
		{name: "no status endpoint", handler: http.NotFoundHandler(), want: Up, pacs: []string{NotReported, NotReported}},
		{name: "PACS down", handler: statusJSON(`{"version":"1","pacs":[{"id":"pacs-1","state":"down","detail":"DICOM association refused"},{"id":"pacs-2","state":"up"}]}`),
			want: Degraded, reasons: []string{ReasonPACSDown}, pacs: []string{"down", "up"}},
		{name: "PACS missing from report", handler: statusJSON(`{"version":"1","pacs":[{"id":"pacs-1","state":"up"}]}`),
			want: Up, pacs: []string{"up", NotReported}},
		{name: "slow", handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(300 * time.Millisecond)
			statusJSON(healthyReport).ServeHTTP(w, r)
		}), slow: 50 * time.Millisecond, want: Degraded, reasons: []string{ReasonSlow}, pacs: []string{"up", "up"}},
		{name: "certificate expiring", cert: certSpec{notAfter: inTen}, handler: statusJSON(healthyReport),
			want: Degraded, reasons: []string{ReasonCertExpiring}, pacs: []string{"up", "up"}},
		{name: "DN mismatch", cert: certSpec{subject: "CN=db1.test.example,OU=399999999999999,O=AUTRE CABINET,C=FR"}, handler: statusJSON(healthyReport),
			want: Degraded, reasons: []string{ReasonDNMismatch}, pacs: []string{"up", "up"}},
		{name: "invalid status report", handler: statusJSON(`{"version":"1","pacs":[{"id":"pacs-1","state":"on fire"}]}`),
			want: Degraded, reasons: []string{ReasonStatusInvalid}, pacs: []string{NotReported, NotReported}},
		{name: "expired certificate", cert: certSpec{notAfter: labNow.AddDate(0, 0, -3)}, handler: statusJSON(healthyReport),
			want: Down, reasons: []string{ReasonDBDown, ReasonCertExpired}, pacs: []string{NotReported, NotReported}},
		{name: "untrusted chain", cert: certSpec{pki: other}, handler: statusJSON(healthyReport),
			want: Down, reasons: []string{ReasonDBDown, ReasonCertUntrusted}, pacs: []string{NotReported, NotReported}},
		{name: "certificate for another name", cert: certSpec{names: []string{"db999.test.example"}}, handler: statusJSON(healthyReport),
			want: Down, reasons: []string{ReasonDBDown, ReasonCertName}, pacs: []string{NotReported, NotReported}},
		{name: "server error", handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", http.StatusServiceUnavailable) }),
			want: Down, reasons: []string{ReasonDBDown, ReasonHTTPStatus}, pacs: []string{NotReported, NotReported}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := 100 + i
			if tc.cert.notAfter.IsZero() {
				tc.cert.notAfter = labNow.AddDate(1, 0, 0)
			}
			l.serve(id, tc.cert, tc.handler)
			opts := l.options()
			if tc.slow > 0 {
				opts.SlowAfter = tc.slow
			}
			got := runOne(t, opts, target(id, "pacs-1", "pacs-2"))
			if got.Verdict != tc.want {
				t.Errorf("verdict = %s, want %s (db: %+v)", got.Verdict, tc.want, got.DB)
			}
			if diff := cmp.Diff(tc.reasons, got.Reasons); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
			var states []string
			for _, p := range got.PACS {
				states = append(states, p.State)
			}
			if diff := cmp.Diff(tc.pacs, states); diff != "" {
				t.Errorf("PACS states (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAddressGuard(t *testing.T) {
	l := newLab(t)
	srv := l.serve(300, certSpec{notAfter: labNow.AddDate(1, 0, 0)}, statusJSON(healthyReport))
	loop := netip.MustParseAddrPort(srv.Listener.Addr().String())
	cases := []struct {
		name    string
		answer  []netip.Addr
		allow   []netip.Prefix
		want    Verdict
		reasons []string
	}{
		{name: "private", answer: []netip.Addr{netip.MustParseAddr("10.20.30.40")}, want: Down, reasons: []string{ReasonDBDown, ReasonAddress}},
		{name: "loopback", answer: []netip.Addr{netip.MustParseAddr("127.0.0.1")}, want: Down, reasons: []string{ReasonDBDown, ReasonAddress}},
		{name: "link-local", answer: []netip.Addr{netip.MustParseAddr("169.254.169.254")}, want: Down, reasons: []string{ReasonDBDown, ReasonAddress}},
		{name: "mapped private", answer: []netip.Addr{netip.MustParseAddr("::ffff:192.168.1.1")}, want: Down, reasons: []string{ReasonDBDown, ReasonAddress}},
		{name: "public then private", answer: []netip.Addr{netip.MustParseAddr("8.8.8.8"), netip.MustParseAddr("192.168.0.1")}, want: Down, reasons: []string{ReasonDBDown, ReasonAddress}},
		{name: "unspecified", answer: []netip.Addr{netip.MustParseAddr("::")}, want: Down, reasons: []string{ReasonDBDown, ReasonAddress}},
		{name: "multicast", answer: []netip.Addr{netip.MustParseAddr("224.0.0.1")}, want: Down, reasons: []string{ReasonDBDown, ReasonAddress}},
		{name: "loopback on the allow-list", answer: []netip.Addr{netip.MustParseAddr("127.0.0.1")}, allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, want: Up},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := l.options()
			opts.Resolve = nil
			opts.Resolver = fixedDNS(tc.answer)
			opts.Allow = tc.allow
			opts.Port = int(loop.Port())
			opts.Retries = 0
			tg := target(300, "pacs-1")
			tg.VI = ""
			got := runOne(t, opts, tg)
			if got.Verdict != tc.want {
				t.Errorf("verdict = %s, want %s (db: %+v)", got.Verdict, tc.want, got.DB)
			}
			if diff := cmp.Diff(tc.reasons, got.Reasons); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBadHostNameIsNeverRequested(t *testing.T) {
	l := newLab(t)
	opts := l.options()
	opts.Resolver = fixedDNS{netip.MustParseAddr("127.0.0.1")}
	for _, host := range []string{"db1.test.example/../admin", "db1.test.example:8080", "db1 .test.example", "db1.test.example@evil.example", ""} {
		got := runOne(t, opts, Target{ID: 1, DB: host})
		if got.Verdict != Down || got.DB.Reason != ReasonBadName {
			t.Errorf("%q: verdict %s reason %q, want down with %q", host, got.Verdict, got.DB.Reason, ReasonBadName)
		}
	}
}

func TestRetryRecovers(t *testing.T) {
	l := newLab(t)
	var calls atomic.Int64
	l.serve(400, certSpec{notAfter: labNow.AddDate(1, 0, 0)}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			http.Error(w, "starting", http.StatusServiceUnavailable)
			return
		}
		statusJSON(healthyReport).ServeHTTP(w, r)
	}))
	tg := target(400, "pacs-1")
	tg.VI = ""
	got := runOne(t, l.options(), tg)
	if got.Verdict != Up || got.DB.Attempts != 2 {
		t.Errorf("verdict %s after %d attempts, want up after 2", got.Verdict, got.DB.Attempts)
	}
}

func TestViewerDown(t *testing.T) {
	l := newLab(t)
	l.serve(500, certSpec{notAfter: labNow.AddDate(1, 0, 0)}, statusJSON(healthyReport))
	l.resolve["vi500.test.example:443"] = closedAddr(t)
	got := runOne(t, l.options(), target(500, "pacs-1"))
	if got.Verdict != Degraded || !cmp.Equal(got.Reasons, []string{ReasonVIDown}) {
		t.Errorf("verdict %s %v, want degraded [vi-down]", got.Verdict, got.Reasons)
	}
}

func TestCanary(t *testing.T) {
	l := newLab(t)
	l.pin(600, closedAddr(t))
	up := silentListener(t)
	cases := []struct {
		name   string
		canary string
		want   Verdict
	}{
		{name: "canary answers: the DRIMbox is down", canary: up, want: Down},
		{name: "canary fails: unknown", canary: closedAddr(t), want: Unknown},
		{name: "no canary and nothing answered: unknown", canary: "", want: Unknown},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := l.options()
			opts.Canary = tc.canary
			got := runOne(t, opts, target(600))
			if got.Verdict != tc.want {
				t.Errorf("verdict = %s %v, want %s", got.Verdict, got.Reasons, tc.want)
			}
		})
	}
}

func TestNoCanaryButAnotherAnswered(t *testing.T) {
	l := newLab(t)
	l.serve(700, certSpec{notAfter: labNow.AddDate(1, 0, 0)}, statusJSON(healthyReport))
	l.pin(701, closedAddr(t))
	run := New(l.options()).Run(context.Background(), []Target{target(700), target(701)})
	if got := []Verdict{run.Results[0].Verdict, run.Results[1].Verdict}; !cmp.Equal(got, []Verdict{Up, Down}) {
		t.Errorf("verdicts %v, want [up down]", got)
	}
	if !run.NetworkOK || !run.Complete {
		t.Errorf("run: network ok %v, complete %v; want both", run.NetworkOK, run.Complete)
	}
}

func TestRunDeadlineLeavesUnknown(t *testing.T) {
	l := newLab(t)
	ln := silentListener(t)
	var targets []Target
	for i := 0; i < 4; i++ {
		l.pin(800+i, ln)
		targets = append(targets, target(800+i))
	}
	opts := l.options()
	opts.Concurrency = 1
	opts.Timeout = time.Minute
	opts.RunTimeout = 200 * time.Millisecond
	run := New(opts).Run(context.Background(), targets)
	if run.Complete {
		t.Error("run complete, want cut short")
	}
	for _, r := range run.Results {
		if r.Verdict != Unknown {
			t.Errorf("DRIMbox %d: %s %v, want unknown", r.ID, r.Verdict, r.Reasons)
		}
	}
}

func TestParseResolve(t *testing.T) {
	got, err := ParseResolve([]string{"db1.test.example:443:127.0.0.1", "vi1.test.example:443:127.0.0.1:8443", "*:443:[::1]"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"db1.test.example:443": "127.0.0.1", "vi1.test.example:443": "127.0.0.1:8443", "*:443": "::1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []string{"db1:443", "db1:x:127.0.0.1", "db1:443:not-an-ip", "a/b:443:127.0.0.1"} {
		if _, err := ParseResolve([]string{bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestMatchDN(t *testing.T) {
	l := newLab(t)
	registered := dnFor(1)
	for _, tc := range []struct {
		name, served string
		match        bool
	}{
		{"the registered name", registered, true},
		{"without ST", "CN=db1.test.example,OU=300000001831981,O=CABINET FICTIF,C=FR", false},
		{"another CN", "CN=db2.test.example,OU=300000001831981,O=CABINET FICTIF,ST=Côte-d'Or (21),C=FR", false},
		{"a second CN after the registered ones", registered + ",CN=db9.test.example", false},
		{"a second CN in a multi-valued RDN", "CN=db1.test.example+CN=db9.test.example,OU=300000001831981,O=CABINET FICTIF,ST=Côte-d'Or (21),C=FR", false},
		{"the same attributes in another order", "C=FR,ST=Côte-d'Or (21),O=CABINET FICTIF,OU=300000001831981,CN=db1.test.example", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := l.cert(1, certSpec{subject: tc.served, notAfter: labNow.AddDate(1, 0, 0)})
			leaf, err := x509.ParseCertificate(c.Certificate[0])
			if err != nil {
				t.Fatal(err)
			}
			subject, match := MatchDN(leaf, registered, "db1.test.example")
			if match != tc.match || subject != tc.served {
				t.Errorf("MatchDN = %q, %v; want %q, %v", subject, match, tc.served, tc.match)
			}
		})
	}
}

// countingDNS answers with fixed addresses and counts the lookups.
type countingDNS struct {
	addrs []netip.Addr
	n     atomic.Int64
}

func (c *countingDNS) LookupNetIP(context.Context, string, string) ([]netip.Addr, error) {
	c.n.Add(1)
	return c.addrs, nil
}

func TestResolvedOncePerRun(t *testing.T) {
	l := newLab(t)
	var calls atomic.Int64
	srv := l.serve(900, certSpec{notAfter: labNow.AddDate(1, 0, 0)}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		statusJSON(healthyReport).ServeHTTP(w, r)
	}))
	dns := &countingDNS{addrs: []netip.Addr{netip.MustParseAddr("127.0.0.1")}}
	opts := l.options()
	opts.Resolve, opts.Resolver = nil, dns
	opts.Allow = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	opts.Port = int(netip.MustParseAddrPort(srv.Listener.Addr().String()).Port())
	opts.Retries = 2
	tg := target(900)
	tg.VI = ""
	got := runOne(t, opts, tg)
	if got.Verdict != Up || got.DB.Attempts != 3 {
		t.Fatalf("verdict %s after %d attempts, want up after 3", got.Verdict, got.DB.Attempts)
	}
	if n := dns.n.Load(); n != 1 {
		t.Errorf("%d lookups for three attempts, want 1", n)
	}
}

// A chain verified once is not verified again in the run, but the name it
// is served for still is, and so is the time.
func TestVerifyChainReused(t *testing.T) {
	l := newLab(t)
	tc := l.cert(31, certSpec{names: []string{"db31." + zone}, notAfter: labNow.AddDate(0, 1, 0)})
	var served []*x509.Certificate
	for _, der := range tc.Certificate {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		served = append(served, c)
	}
	p := New(l.options())
	notAfter, err := p.verifyChain(served, "db31."+zone, labNow)
	if err != nil {
		t.Fatalf("first verification: %v", err)
	}
	if !notAfter.Equal(served[0].NotAfter) {
		t.Errorf("chain expiry %s, want the leaf's %s, the earliest", notAfter, served[0].NotAfter)
	}
	var host x509.HostnameError
	if _, err := p.verifyChain(served, "vi31."+zone, labNow); !errors.As(err, &host) {
		t.Errorf("same chain for a name it does not hold: %v, want a name error", err)
	}
	var inv x509.CertificateInvalidError
	if _, err := p.verifyChain(served, "db31."+zone, labNow.AddDate(0, 2, 0)); !errors.As(err, &inv) || inv.Reason != x509.Expired {
		t.Errorf("same chain after it expired: %v, want expired", err)
	}
	if _, err := New(Options{Roots: x509.NewCertPool()}).verifyChain(served, "db31."+zone, labNow); err == nil {
		t.Error("a chain to another root was accepted")
	}
}

// The targets marked First are probed before the others.
func TestFirstTargetsFirst(t *testing.T) {
	l := newLab(t)
	var mu sync.Mutex
	var order []string
	for _, id := range []int{41, 42, 43} {
		l.serve(id, certSpec{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			order = append(order, r.Host)
			mu.Unlock()
			w.WriteHeader(http.StatusNotFound)
		}))
	}
	opts := l.options()
	opts.Concurrency = 1
	targets := []Target{target(41), target(42), target(43)}
	for i := range targets {
		targets[i].VI = ""
	}
	targets[2].First = true
	run := New(opts).Run(context.Background(), targets)
	want := []string{"db43." + zone, "db41." + zone, "db42." + zone}
	if diff := cmp.Diff(want, order); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	for i, r := range run.Results {
		if r.ID != targets[i].ID {
			t.Errorf("result %d is DRIMbox %d, want %d: results keep the order given", i, r.ID, targets[i].ID)
		}
	}
}

func TestProbeOrder(t *testing.T) {
	targets := make([]Target, 10)
	targets[7].First, targets[9].First = true, true
	// 8 others for 2 first: two others after each first, the first ones
	// within the first half.
	want := []int{7, 0, 1, 9, 2, 3, 4, 5, 6, 8}
	if diff := cmp.Diff(want, probeOrder(targets)); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	targets[7].First, targets[9].First = false, false
	if diff := cmp.Diff([]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, probeOrder(targets)); diff != "" {
		t.Errorf("order with no First (-want +got):\n%s", diff)
	}
}
