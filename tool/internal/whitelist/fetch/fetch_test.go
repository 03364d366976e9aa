package fetch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/testpki"
	"github.com/drim-m/trust-space/tool/internal/whitelist"
	"github.com/drim-m/trust-space/tool/listeblanche/xades"
)

var t0 = time.Date(2026, 6, 19, 18, 0, 0, 0, time.UTC)

// server is a loopback HTTPS server of the list, answering conditional
// requests as a web server does.
type server struct {
	*httptest.Server
	mu      sync.Mutex
	body    []byte
	status  int // when not zero, answered instead of the list
	fails   int // this many 503 answers before the list
	gets    atomic.Int32
	answers []int
	// hold, when not nil, is called before each answer, outside mu.
	hold func()
}

func (s *server) serve(body []byte) {
	s.mu.Lock()
	s.body, s.status, s.fails = body, 0, 0
	s.mu.Unlock()
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	hold := s.hold
	s.mu.Unlock()
	if hold != nil {
		hold()
	}
	s.gets.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	code := http.StatusOK
	sum := sha256.Sum256(s.body)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	switch {
	case s.fails > 0:
		s.fails--
		code = http.StatusServiceUnavailable
	case s.status != 0:
		code = s.status
	case r.Header.Get("If-None-Match") == etag:
		code = http.StatusNotModified
	}
	s.answers = append(s.answers, code)
	w.Header().Set("ETag", etag)
	w.WriteHeader(code)
	if code == http.StatusOK {
		w.Write(s.body)
	}
}

type fixture struct {
	pki    *testpki.PKI
	srv    *server
	client *http.Client
	dir    string
	crl    *x509.RevocationList
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	p, err := testpki.New(testpki.Options{Now: t0.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	tlsCert, err := p.IssueServer(testpki.ServerRequest{DNSNames: []string{"listeblanche.test.mesimagesmedicales.fr"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	fx := &fixture{pki: p, srv: &server{}, dir: t.TempDir()}
	fx.srv.Server = httptest.NewUnstartedServer(fx.srv)
	fx.srv.TLS = &tls.Config{Certificates: []tls.Certificate{tlsCert.TLS()}}
	fx.srv.StartTLS()
	t.Cleanup(fx.srv.Close)
	fx.client = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: p.RootPool(), Time: func() time.Time { return t0 }}}}
	der, err := p.RevocationList(t0.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if fx.crl, err = x509.ParseRevocationList(der); err != nil {
		t.Fatal(err)
	}
	return fx
}

// list is a signed list of n entries generated at gen and signed by c.
func (fx *fixture) list(t *testing.T, gen time.Time, n int, c *testpki.Cert) []byte {
	t.Helper()
	l := &whitelist.List{Namespace: whitelist.DefaultNamespace, VersionFormat: whitelist.VersionFormat, Generated: gen}
	for i := 1; i <= n; i++ {
		id := strconv.Itoa(i)
		l.Domains = append(l.Domains, whitelist.Domain{ID: i, DB: "db" + id + ".test.mesimagesmedicales.fr",
			Denomination: "OPERATEUR FICTIF " + id, CertDN: "CN=db" + id + ".test.mesimagesmedicales.fr,C=FR",
			SupportContact: "support@operateur.example", Updated: gen})
	}
	data, err := whitelist.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	if c == nil {
		c = fx.pki.Signer
	}
	signed, err := xades.Sign(data, xades.SignOptions{Key: c.Key, Chain: append([]*x509.Certificate{c.Cert}, c.Chain...), Time: gen})
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

// options are a run's at now, trusting fx's PKI and its CRL.
func (fx *fixture) options(now time.Time) Options {
	return Options{
		URL: fx.srv.URL + "/LISTEBLANCHE_DRIM-M.xml", Dir: fx.dir, Client: fx.client,
		Backoff: time.Millisecond, Timeout: 10 * time.Second,
		Verify: whitelist.VerifyOptions{Signature: xades.VerifyOptions{
			Roots: []*x509.Certificate{fx.pki.Root.Cert}, CRLs: []*x509.RevocationList{fx.crl},
			SignerCN: whitelist.SignerCN, SignerOU: whitelist.SignerOU, SignerO: whitelist.SignerO, Now: now,
		}},
	}
}

// run fetches at now.
func (fx *fixture) run(t *testing.T, now time.Time, change ...func(*Options)) *Result {
	t.Helper()
	opts := fx.options(now)
	for _, c := range change {
		c(&opts)
	}
	res, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func (fx *fixture) current(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fx.dir, CurrentFile))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFetchEndToEnd(t *testing.T) {
	fx := newFixture(t)
	first := fx.list(t, t0, 3, nil)
	second := fx.list(t, t0.Add(24*time.Hour), 4, nil)

	// A new list.
	fx.srv.serve(first)
	res := fx.run(t, t0.Add(time.Hour))
	if res.Status != Updated || res.Verdict != Trusted || res.Held.Entries != 3 {
		t.Fatalf("first fetch: %+v", res)
	}
	if !bytes.Equal(fx.current(t), first) {
		t.Fatal("the list written is not the one served")
	}
	st, err := whitelist.ReadState(filepath.Join(fx.dir, "state.json"))
	if err != nil || !st.Generated.Equal(t0) {
		t.Fatalf("state %+v, %v", st, err)
	}

	// Not modified: a 304, nothing verified or written.
	res = fx.run(t, t0.Add(2*time.Hour))
	if res.Status != NotModified || res.Verdict != Trusted {
		t.Fatalf("304: %+v", res)
	}
	if got := fx.srv.answers[len(fx.srv.answers)-1]; got != http.StatusNotModified {
		t.Errorf("the server answered %d, want 304: no conditional request was made", got)
	}

	// A tampered list: refused, the good one kept, attention asked.
	fx.srv.serve(bytes.Replace(second, []byte("OPERATEUR FICTIF"), []byte("OPERATEUR PIRATE"), 1))
	res = fx.run(t, t0.Add(25*time.Hour))
	if res.Status != Kept || res.Verdict != Attention || !errors.Is(res.Err, xades.ErrDigest) {
		t.Fatalf("tampered: %+v", res)
	}
	if !bytes.Equal(fx.current(t), first) {
		t.Fatal("the good list was not kept")
	}

	// The next list; the first becomes the previous one.
	fx.srv.serve(second)
	res = fx.run(t, t0.Add(25*time.Hour))
	if res.Status != Updated || res.Held.Entries != 4 {
		t.Fatalf("second list: %+v", res)
	}
	prev, err := os.ReadFile(filepath.Join(fx.dir, PreviousFile))
	if err != nil || !bytes.Equal(prev, first) {
		t.Fatalf("previous list: %v", err)
	}

	// The older list replayed: refused as going back in time.
	fx.srv.serve(first)
	res = fx.run(t, t0.Add(26*time.Hour))
	if res.Status != Kept || res.Verdict != Attention || !errors.Is(res.Err, whitelist.ErrRollback) {
		t.Fatalf("replay: %+v", res)
	}
	if !bytes.Equal(fx.current(t), second) {
		t.Fatal("the replayed list replaced the current one")
	}

	// Without its state file, the list held still forbids going back.
	if err := os.Remove(filepath.Join(fx.dir, "state.json")); err != nil {
		t.Fatal(err)
	}
	res = fx.run(t, t0.Add(26*time.Hour))
	if res.Status != Kept || !errors.Is(res.Err, whitelist.ErrRollback) {
		t.Fatalf("replay without the state file: %+v", res)
	}

	// A list that grew past the cap.
	fx.srv.serve(fx.list(t, t0.Add(48*time.Hour), 40, nil))
	res = fx.run(t, t0.Add(48*time.Hour), func(o *Options) { o.MaxBytes = int64(len(second)) + 100 })
	if res.Status != Kept || !errors.Is(res.Err, ErrTooLarge) || res.Verdict != Attention {
		t.Fatalf("too large: %+v", res)
	}

	// The server down: retried, then the list kept; trusted while young,
	// attention past half of max_age, stop trusting past max_age.
	fx.srv.serve(second)
	fx.srv.Close()
	for _, tt := range []struct {
		at   time.Duration
		want Verdict
	}{{26 * time.Hour, Trusted}, {24*time.Hour + 40*time.Hour, Attention}, {24*time.Hour + 73*time.Hour, StopTrusting}} {
		res = fx.run(t, t0.Add(tt.at), func(o *Options) { o.Attempts = 2 })
		if res.Status != Kept || res.Verdict != tt.want || !strings.Contains(res.Err.Error(), "attempt 2 of 2") {
			t.Errorf("server down at t0+%s: %v %v %v, want %v", tt.at, res.Status, res.Verdict, res.Err, tt.want)
		}
	}
	if !bytes.Equal(fx.current(t), second) {
		t.Fatal("the good list was not kept")
	}
}

func TestFetchRetriesAndRefuses(t *testing.T) {
	fx := newFixture(t)
	fx.srv.serve(fx.list(t, t0, 2, nil))
	fx.srv.fails = 2
	res := fx.run(t, t0.Add(time.Hour))
	if res.Status != Updated || fx.srv.gets.Load() != 3 {
		t.Fatalf("after two 503s: %+v, %d requests", res, fx.srv.gets.Load())
	}

	// Nothing held and nothing to be had: stop trusting.
	empty := newFixture(t)
	empty.srv.serve(nil)
	empty.srv.status = http.StatusNotFound
	res = empty.run(t, t0.Add(time.Hour))
	if res.Status != Kept || res.Verdict != StopTrusting || !strings.Contains(res.Err.Error(), "404") || empty.srv.gets.Load() != 1 {
		t.Fatalf("404 with nothing held: %+v", res)
	}

	// A server whose certificate does not chain to the client's roots is
	// not retried.
	other, err := testpki.New(testpki.Options{Now: t0, Name: "AUTRE-IGC"})
	if err != nil {
		t.Fatal(err)
	}
	fx.client = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: other.RootPool(), Time: func() time.Time { return t0 }}}}
	res = fx.run(t, t0.Add(2*time.Hour))
	if res.Status != Kept || !strings.Contains(res.Err.Error(), "attempt 1 of 4") || !strings.Contains(res.Err.Error(), "certificate signed by unknown authority") {
		t.Fatalf("unknown server certificate: %+v", res)
	}

	// An http:// URL is refused before any request.
	_, err = Run(context.Background(), Options{URL: "http://127.0.0.1/x.xml", Dir: t.TempDir(), Verify: whitelist.VerifyOptions{Signature: xades.VerifyOptions{Now: t0}}})
	if err == nil || !strings.Contains(err.Error(), "is not an https:// URL") {
		t.Fatalf("http URL: %v", err)
	}
}
