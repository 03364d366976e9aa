package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/testpki"
	"github.com/drim-m/trust-space/tool/internal/whitelist"
	"github.com/drim-m/trust-space/tool/listeblanche/xades"
)

// listServer serves one file over HTTPS on loopback, with an ETag.
type listServer struct {
	mu   sync.Mutex
	body []byte
}

func (s *listServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	body := s.body
	s.mu.Unlock()
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(body)
}

func (s *listServer) serve(b []byte) { s.mu.Lock(); s.body = b; s.mu.Unlock() }

// The daily command of a DRIMbox, end to end against a loopback HTTPS
// server: its exit status and one line for each case.
func TestWhitelistFetch(t *testing.T) {
	t0 := time.Date(2026, 6, 19, 18, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	p, err := testpki.New(testpki.Options{Now: t0.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	files, err := p.WriteFiles(filepath.Join(dir, "pki"))
	if err != nil {
		t.Fatal(err)
	}
	crlDER, err := p.RevocationList(t0.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	crlFile := filepath.Join(dir, "pki", "crl.der")
	os.WriteFile(crlFile, crlDER, 0o644)
	tlsCert, err := p.IssueServer(testpki.ServerRequest{DNSNames: []string{"listeblanche.test.mesimagesmedicales.fr"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	ls := &listServer{}
	srv := httptest.NewUnstartedServer(ls)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{tlsCert.TLS()}}
	srv.StartTLS()
	defer srv.Close()

	sign := func(gen time.Time, n int) []byte {
		l := &whitelist.List{Namespace: whitelist.DefaultNamespace, VersionFormat: whitelist.VersionFormat, Generated: gen}
		for i := 1; i <= n; i++ {
			l.Domains = append(l.Domains, whitelist.Domain{ID: 10 + i, DB: "db" + strconv.Itoa(10+i) + ".test.mesimagesmedicales.fr",
				Denomination: "OPERATEUR FICTIF", CertDN: "CN=db.test.mesimagesmedicales.fr,C=FR", SupportContact: "support@operateur.example", Updated: gen})
		}
		data, err := whitelist.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		signed, err := xades.Sign(data, xades.SignOptions{Key: p.Signer.Key, Chain: []*x509.Certificate{p.Signer.Cert, p.OrgCA.Cert}, Time: gen})
		if err != nil {
			t.Fatal(err)
		}
		return signed
	}
	first, second := sign(t0, 2), sign(t0.Add(24*time.Hour), 3)
	out := filepath.Join(dir, "lb")
	fetchAt := func(now time.Time, extra ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		env := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
			Now: func() time.Time { return now }, Getenv: func(string) string { return "" }, Root: dir}
		args := append([]string{"whitelist", "fetch", "--url", srv.URL + "/LISTEBLANCHE_DRIM-M.xml", "--out", out,
			"--tls-ca", files.Root, "--trust-anchor", files.Root, "--crl", crlFile, "--attempts", "2", "--timeout", "20s"}, extra...)
		code := Run(context.Background(), env, args)
		return code, stdout.String(), stderr.String()
	}

	steps := []struct {
		name  string
		serve []byte
		at    time.Duration
		extra []string
		code  int
		says  string
		holds []byte
	}{
		{"a new list", first, time.Hour, nil, ExitOK, "drimm: new list accepted; trusted: the list held was generated 2026-06-19T18:00:00Z (2 DRIMbox(es), age 1h0m0s, max_age 72h0m0s)", first},
		{"not modified", first, 2 * time.Hour, nil, ExitOK, "drimm: not modified; trusted:", first},
		{"tampered", bytes.Replace(second, []byte("db11."), []byte("db12."), 1), 25 * time.Hour, nil, ExitFindings,
			"drimm: error: the list served was refused: the signed content was changed", first},
		{"the next list", second, 25 * time.Hour, nil, ExitOK, "new list accepted; trusted: the list held was generated 2026-06-20T18:00:00Z (3 DRIMbox(es)", second},
		{"the older list replayed", first, 26 * time.Hour, nil, ExitFindings, "refused: the list goes back in time", second},
		{"a list past the cap", sign(t0.Add(30*time.Hour), 9), 30 * time.Hour, []string{"--max-bytes", "2000"}, ExitFindings, "the list is larger than the download cap", second},
	}
	for _, s := range steps {
		ls.serve(s.serve)
		code, _, stderr := fetchAt(t0.Add(s.at), s.extra...)
		if code != s.code || !strings.Contains(stderr, s.says) {
			t.Errorf("%s: exit %d, want %d saying %q:\n%s", s.name, code, s.code, s.says, stderr)
		}
		if got, _ := os.ReadFile(filepath.Join(out, whitelist.CurrentFile)); !bytes.Equal(got, s.holds) {
			t.Errorf("%s: the folder does not hold the expected list", s.name)
		}
	}

	// The state file lost: the lists kept, verified again, stand for it.
	if err := os.Remove(filepath.Join(out, "state.json")); err != nil {
		t.Fatal(err)
	}
	ls.serve(first)
	if code, _, stderr := fetchAt(t0.Add(30 * time.Hour)); code != ExitFindings || !strings.Contains(stderr, "refused: the list goes back in time") {
		t.Errorf("the older list replayed without the state file: exit %d\n%s", code, stderr)
	}
	// In another folder, where nothing kept verifies: refused, until the
	// operator accepts it.
	kept := out
	out = filepath.Join(dir, "lb-lost")
	os.MkdirAll(out, 0o755)
	os.WriteFile(filepath.Join(out, whitelist.CurrentFile), []byte("<ListeBlancheDRIM-M/>"), 0o644)
	if code, _, stderr := fetchAt(t0.Add(30 * time.Hour)); code != ExitEnv ||
		!strings.Contains(stderr, "drimm: error: the anti-rollback state file is missing, and no list kept in the folder verifies again") ||
		!strings.Contains(stderr, "run once with --accept-lost-state") {
		t.Errorf("state lost, nothing kept verifies: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := fetchAt(t0.Add(30*time.Hour), "--accept-lost-state"); code != ExitOK {
		t.Errorf("--accept-lost-state: exit %d\n%s", code, stderr)
	}
	if got, _ := os.ReadFile(filepath.Join(out, whitelist.CurrentFile)); !bytes.Equal(got, first) {
		t.Error("--accept-lost-state: the list served was not kept")
	}
	out = kept

	// Another run holding the folder: an environment error once the run's
	// deadline passes, the folder untouched.
	lock, err := os.OpenFile(filepath.Join(out, "fetch.lock"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	ls.serve(sign(t0.Add(30*time.Hour), 4))
	if code, _, stderr := fetchAt(t0.Add(30*time.Hour), "--timeout", "1s"); code != ExitEnv ||
		!strings.Contains(stderr, "drimm: error: another drimm whitelist fetch is running on this folder") || !strings.Contains(stderr, "drimm: hint: wait for the other run") {
		t.Errorf("a folder held by another run: exit %d\n%s", code, stderr)
	}
	lock.Close()
	if got, _ := os.ReadFile(filepath.Join(out, whitelist.CurrentFile)); !bytes.Equal(got, second) {
		t.Error("a run refused the folder's lock changed the list")
	}

	// The server down: a warning while the list held is young, attention
	// past half of max_age, stop trusting past max_age.
	srv.Close()
	for _, s := range []struct {
		at   time.Duration
		code int
		says string
	}{
		{26 * time.Hour, ExitOK, "drimm: warning: fetching https://127.0.0.1:"},
		{24*time.Hour + 40*time.Hour, ExitFindings, "needs attention: the list held was generated 2026-06-20T18:00:00Z (3 DRIMbox(es), age 40h0m0s"},
		{24*time.Hour + 73*time.Hour, ExitStopTrusting, "stop trusting: the list held was generated 2026-06-20T18:00:00Z (3 DRIMbox(es), age 73h0m0s, max_age 72h0m0s)"},
	} {
		code, stdout, stderr := fetchAt(t0.Add(s.at), "--format", "json")
		if code != s.code || !strings.Contains(stderr, s.says) {
			t.Errorf("server down at +%s: exit %d, want %d saying %q:\n%s", s.at, code, s.code, s.says, stderr)
		}
		var got struct {
			Exit    int    `json:"exit"`
			Verdict string `json:"verdict"`
			Status  string `json:"status"`
		}
		if err := json.Unmarshal([]byte(stdout), &got); err != nil || got.Exit != s.code || got.Status != "kept" {
			t.Errorf("server down at +%s: JSON %q: %v", s.at, stdout, err)
		}
	}

	// Usage: https only, and an age limit always.
	if code, _, stderr := fetchAt(t0, "--max-age", "0"); code != ExitUsage || !strings.Contains(stderr, "--max-age 0 is for verifying archives") {
		t.Errorf("--max-age 0: exit %d\n%s", code, stderr)
	}
	var stderr bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &stderr, Now: func() time.Time { return t0 }, Getenv: func(string) string { return "" }, Root: dir}
	code := Run(context.Background(), env, []string{"whitelist", "fetch", "--url", "http://127.0.0.1/x.xml", "--out", out, "--trust-anchor", files.Root})
	if code != ExitUsage || !strings.Contains(stderr.String(), "is not an https:// URL") {
		t.Errorf("http URL: exit %d\n%s", code, stderr.String())
	}
}
