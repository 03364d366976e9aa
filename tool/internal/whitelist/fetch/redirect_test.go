package fetch

import (
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/testpki"
)

// A network that redirects the https download to plain http, where it can
// serve anything, gets nothing read: even a list that would verify is not
// fetched from there, and the folder is left as it was.
func TestFetchRefusesARedirectToHTTP(t *testing.T) {
	fx := newFixture(t)
	list := fx.list(t, t0.Add(-time.Hour), 2, nil)
	var plainGets atomic.Int32
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plainGets.Add(1)
		w.Write(list)
	}))
	t.Cleanup(plain.Close)
	tlsCert, err := fx.pki.IssueServer(testpki.ServerRequest{DNSNames: []string{"listeblanche.test.mesimagesmedicales.fr"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	redirector := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+"/LISTEBLANCHE_DRIM-M.xml", http.StatusFound)
	}))
	redirector.TLS = &tls.Config{Certificates: []tls.Certificate{tlsCert.TLS()}}
	redirector.StartTLS()
	t.Cleanup(redirector.Close)

	res := fx.run(t, t0, func(o *Options) { o.URL = redirector.URL + "/LISTEBLANCHE_DRIM-M.xml" })
	if res.Status != Kept || res.Err == nil || !strings.Contains(res.Err.Error(), "not https") {
		t.Fatalf("a redirect to http: status %s, err %v", res.Status, res.Err)
	}
	if res.Verdict != StopTrusting {
		t.Errorf("verdict %s with no list held, want %s", res.Verdict, StopTrusting)
	}
	if n := plainGets.Load(); n != 0 {
		t.Errorf("the http server was asked %d times", n)
	}
	if _, err := os.Stat(filepath.Join(fx.dir, EntriesFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("entries written from a redirect to http: %v", err)
	}
}
