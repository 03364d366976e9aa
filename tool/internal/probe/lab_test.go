package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/testpki"
)

const zone = "test.example"

// lab is a test PKI plus the loopback servers standing for DRIMboxes.
type lab struct {
	t       *testing.T
	pki     *testpki.PKI
	resolve map[string]string
}

var (
	pkiOnce sync.Once
	pkiVal  *testpki.PKI
	pkiErr  error
)

// labNow is the lab's clock: the PKI, the certificates and the probe's
// validity checks all read it, so the tests pass on any date.
var labNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// sharedPKI is generated once per test binary: RSA keys are slow to make.
func sharedPKI(t *testing.T) *testpki.PKI {
	t.Helper()
	pkiOnce.Do(func() { pkiVal, pkiErr = testpki.New(testpki.Options{Now: labNow}) })
	if pkiErr != nil {
		t.Fatal(pkiErr)
	}
	return pkiVal
}

func newLab(t *testing.T) *lab {
	t.Helper()
	return &lab{t: t, pki: sharedPKI(t), resolve: map[string]string{}}
}

func dnFor(id int) string {
	return fmt.Sprintf("CN=db%d.%s,OU=300000001831981,O=CABINET FICTIF,ST=Côte-d'Or (21),C=FR", id, zone)
}

// certSpec shapes the certificate a lab server serves.
type certSpec struct {
	subject  string    // default dnFor(id)
	names    []string  // default db<id> and vi<id>
	notAfter time.Time // default in a year
	pki      *testpki.PKI
}

func (l *lab) cert(id int, s certSpec) tls.Certificate {
	l.t.Helper()
	if s.subject == "" {
		s.subject = dnFor(id)
	}
	if s.names == nil {
		s.names = []string{fmt.Sprintf("db%d.%s", id, zone), fmt.Sprintf("vi%d.%s", id, zone)}
	}
	p := s.pki
	if p == nil {
		p = l.pki
	}
	c, err := p.IssueServer(testpki.ServerRequest{
		DNSNames: s.names, SubjectDN: s.subject,
		NotBefore: labNow.AddDate(-1, 0, 0), NotAfter: s.notAfter,
	})
	if err != nil {
		l.t.Fatal(err)
	}
	return c.TLS()
}

// serve starts a TLS server for DRIMbox id with handler h and pins its
// db and vi names to it.
func (l *lab) serve(id int, s certSpec, h http.Handler) *httptest.Server {
	l.t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{l.cert(id, s)}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	l.t.Cleanup(srv.Close)
	l.pin(id, srv.Listener.Addr().String())
	return srv
}

func (l *lab) pin(id int, addr string) {
	l.resolve[fmt.Sprintf("db%d.%s:443", id, zone)] = addr
	l.resolve[fmt.Sprintf("vi%d.%s:443", id, zone)] = addr
}

func target(id int, pacs ...string) Target {
	return Target{ID: id, DB: fmt.Sprintf("db%d.%s", id, zone), VI: fmt.Sprintf("vi%d.%s", id, zone), DN: dnFor(id), PACS: pacs}
}

// options returns probe options for the lab: fast retries, its pins, its
// roots, no canary.
func (l *lab) options() Options {
	roots := x509.NewCertPool()
	roots.AddCert(l.pki.Root.Cert)
	return Options{
		Roots: roots, Resolve: l.resolve, Resolver: noDNS{},
		Timeout: 5 * time.Second, RetryDelay: 10 * time.Millisecond, Retries: 1,
		SlowAfter: time.Minute, Canary: silentListener(l.t),
		Now: func() time.Time { return labNow },
	}
}

// closedAddr returns a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// noDNS fails every lookup: tests never query real DNS.
type noDNS struct{}

func (noDNS) LookupNetIP(context.Context, string, string) ([]netip.Addr, error) {
	return nil, fmt.Errorf("no DNS in tests")
}

// fixedDNS answers every lookup with the same addresses.
type fixedDNS []netip.Addr

func (f fixedDNS) LookupNetIP(context.Context, string, string) ([]netip.Addr, error) {
	return f, nil
}

// statusJSON serves a status report on the default path and 404 elsewhere.
func statusJSON(body string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(DefaultPath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, body)
	})
	return mux
}

const healthyReport = `{"version":"1","pacs":[{"id":"pacs-1","state":"up"},{"id":"pacs-2","state":"up"}]}`
