package listeblanchetest

import (
	"context"
	"crypto/x509"
	"errors"
	. "github.com/drim-m/trust-space/tool/listeblanche"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/testpki"
	"github.com/drim-m/trust-space/tool/internal/whitelist"
	"github.com/drim-m/trust-space/tool/listeblanche/xades"
)

// Revocation for real: the certificates name CRLs on a loopback HTTP
// server, whose CA revokes one signer; the CRLs are fetched, cached, and
// missed when the server is down.
func TestRevocationFetched(t *testing.T) {
	at := time.Date(2026, 6, 19, 18, 0, 0, 0, time.UTC)
	var orgCRL, rootCRL atomic.Value
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/org-ca.crl":
			w.Write(orgCRL.Load().([]byte))
		case "/root.crl":
			w.Write(rootCRL.Load().([]byte))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	p, err := testpki.New(testpki.Options{Now: at.Add(-time.Hour), CRLBaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	revoked, err := p.IssueSigner(testpki.SignerRequest{Subject: testpki.SignerSubject})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		v   *atomic.Value
		der func(time.Time, ...*x509.Certificate) ([]byte, error)
		rev []*x509.Certificate
	}{{&orgCRL, p.RevocationList, []*x509.Certificate{revoked.Cert}}, {&rootCRL, p.RootRevocationList, nil}} {
		der, err := c.der(at.Add(-time.Hour), c.rev...)
		if err != nil {
			t.Fatal(err)
		}
		c.v.Store(der)
	}
	sign := func(c *testpki.Cert) []byte {
		l := &whitelist.List{Namespace: whitelist.DefaultNamespace, VersionFormat: whitelist.VersionFormat, Generated: at,
			Domains: []whitelist.Domain{{ID: 1, DB: "db1.test.mesimagesmedicales.fr", Denomination: "OPERATEUR FICTIF",
				CertDN: "CN=db1.test.mesimagesmedicales.fr,C=FR", SupportContact: "support@operateur.example", Updated: at}}}
		data, err := whitelist.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		signed, err := xades.Sign(data, xades.SignOptions{Key: c.Key, Chain: append([]*x509.Certificate{c.Cert}, c.Chain...), Time: at})
		if err != nil {
			t.Fatal(err)
		}
		return signed
	}
	good, bad := sign(p.Signer), sign(revoked)
	cache := t.TempDir()
	opts := Options{Roots: []*x509.Certificate{p.Root.Cert}, Now: at.Add(time.Hour), FetchCRLs: &CRLFetcher{CacheDir: cache}}

	if _, err := Verify(context.Background(), good, opts); err != nil {
		t.Fatalf("a signer the CA does not revoke: %v", err)
	}
	if n := hits.Load(); n != 2 {
		t.Errorf("%d requests, want the CA's and the root's CRL", n)
	}
	_, err = Verify(context.Background(), bad, opts)
	var refused *Error
	if !errors.As(err, &refused) || refused.Check != CheckRevocation || !errors.Is(err, xades.ErrRevoked) {
		t.Fatalf("a revoked signer: got %v", err)
	}
	if n := hits.Load(); n != 2 {
		t.Errorf("%d requests, want 2: the cached CRLs were not used", n)
	}

	// The server down and nothing cached: refused, or accepted with a
	// warning when the caller chose so.
	srv.Close()
	opts.FetchCRLs = &CRLFetcher{CacheDir: t.TempDir()}
	_, err = Verify(context.Background(), good, opts)
	if !errors.As(err, &refused) || refused.Check != CheckRevocation || !errors.Is(err, xades.ErrNoCRL) {
		t.Fatalf("no CRL to be had: got %v", err)
	}
	opts.Revocation = RevocationSoftFail
	got, err := Verify(context.Background(), good, opts)
	if err != nil || len(got.Warnings) == 0 || !strings.Contains(got.Warnings[0], "revocation not checked") {
		t.Fatalf("soft-fail: %v, warnings %q", err, got.Warnings)
	}
}
