package crltest

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	. "github.com/drim-m/trust-space/tool/listeblanche/crl"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/testpki"
)

var testNow = time.Date(2026, 6, 19, 12, 0, 0, 0, time.UTC)

// crlServer serves body at /org-ca.crl and counts the requests.
type crlServer struct {
	*httptest.Server
	hits atomic.Int32
	body atomic.Value // []byte
}

func newCRLServer(t *testing.T) *crlServer {
	t.Helper()
	s := &crlServer{}
	s.body.Store([]byte(nil))
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		if r.URL.Path != "/org-ca.crl" {
			http.NotFound(w, r)
			return
		}
		w.Write(s.body.Load().([]byte))
	}))
	t.Cleanup(s.Close)
	return s
}

func newPKI(t *testing.T, base string) *testpki.PKI {
	t.Helper()
	p, err := testpki.New(testpki.Options{Now: testNow, CRLBaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFetchAndCache(t *testing.T) {
	srv := newCRLServer(t)
	p := newPKI(t, srv.URL)
	der, err := p.RevocationList(testNow.Add(-time.Hour), p.Signer.Cert)
	if err != nil {
		t.Fatal(err)
	}
	srv.body.Store(der)
	now := testNow
	f := &Fetcher{CacheDir: t.TempDir(), Now: func() time.Time { return now }}

	got, err := f.CRLs(p.Signer.Cert, p.OrgCA.Cert)
	if err != nil || len(got) != 1 || !bytes.Equal(got[0].Raw, der) {
		t.Fatalf("got %d CRLs, %v", len(got), err)
	}
	// Until its nextUpdate, the cached CRL answers.
	now = testNow.AddDate(0, 0, 5)
	if _, err := f.CRLs(p.Signer.Cert, p.OrgCA.Cert); err != nil {
		t.Fatal(err)
	}
	if n := srv.hits.Load(); n != 1 {
		t.Errorf("%d requests, want 1: the cache was not used", n)
	}
	// After it, the CA is asked again; a CRL it has not renewed comes back
	// stale, for the verifier to refuse, and is not cached.
	now = testNow.AddDate(0, 0, 8)
	got, err = f.CRLs(p.Signer.Cert, p.OrgCA.Cert)
	if err != nil || len(got) != 1 || !now.After(got[0].NextUpdate) {
		t.Fatalf("after nextUpdate: %d CRLs, %v", len(got), err)
	}
	if n := srv.hits.Load(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestFetchRefuses(t *testing.T) {
	srv := newCRLServer(t)
	p := newPKI(t, srv.URL)
	other := newPKI(t, srv.URL)
	foreign, err := other.RevocationList(testNow)
	if err != nil {
		t.Fatal(err)
	}
	down := newPKI(t, "http://127.0.0.1:1")
	tests := []struct {
		name string
		body []byte
		pki  *testpki.PKI
		max  int64
		says string
	}{
		{"not a CRL", []byte("<html>maintenance</html>"), p, 0, "is not a CRL"},
		{"signed by another CA", foreign, p, 0, "is not signed by"},
		{"larger than the cap", bytes.Repeat([]byte("x"), 2048), p, 1024, "larger than 1024 bytes"},
		{"server down", nil, down, 0, "connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.body.Store(tt.body)
			f := &Fetcher{Now: func() time.Time { return testNow }, MaxBytes: tt.max, Timeout: 5 * time.Second}
			_, err := f.CRLs(tt.pki.Signer.Cert, tt.pki.OrgCA.Cert)
			if err == nil || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("got %v, want an error saying %q", err, tt.says)
			}
		})
	}
	// A certificate without an HTTP distribution point.
	plain := newPKI(t, "")
	f := &Fetcher{Now: func() time.Time { return testNow }}
	if _, err := f.CRLs(plain.Signer.Cert, plain.OrgCA.Cert); err == nil || !strings.Contains(err.Error(), "names no HTTP CRL distribution point") {
		t.Errorf("no distribution point: got %v", err)
	}
}

// A CRL of the right CA that does not cover the certificate (a delta CRL,
// say, which a network can serve in place of the full one) is returned for
// the verifier to say why it proves nothing, but not cached: the full CRL
// the distribution point serves next is fetched, not hidden behind it
// until the delta's nextUpdate.
func TestFetchDoesNotCacheACRLThatDoesNotCover(t *testing.T) {
	srv := newCRLServer(t)
	p := newPKI(t, srv.URL)
	delta, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{
		Number: big.NewInt(3), ThisUpdate: testNow.Add(-time.Hour), NextUpdate: testNow.AddDate(0, 0, 7),
		ExtraExtensions: []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 27}, Critical: true, Value: []byte{0x02, 0x01, 0x02}}},
	}, p.OrgCA.Cert, p.OrgCA.Key)
	if err != nil {
		t.Fatal(err)
	}
	full, err := p.RevocationList(testNow.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	f := &Fetcher{CacheDir: t.TempDir(), Now: func() time.Time { return testNow }}
	srv.body.Store(delta)
	got, err := f.CRLs(p.Signer.Cert, p.OrgCA.Cert)
	if err != nil || len(got) != 1 || !bytes.Equal(got[0].Raw, delta) {
		t.Fatalf("the delta CRL: got %d CRLs, %v", len(got), err)
	}
	srv.body.Store(full)
	got, err = f.CRLs(p.Signer.Cert, p.OrgCA.Cert)
	if err != nil || len(got) != 1 || !bytes.Equal(got[0].Raw, full) {
		t.Fatalf("after the delta, the full CRL was not fetched: got %d CRLs (delta: %v), %v", len(got), len(got) == 1 && bytes.Equal(got[0].Raw, delta), err)
	}
}
