package fetch

import (
	"context"
	"crypto/x509"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/testpki"
	"github.com/drim-m/trust-space/tool/listeblanche/crl"
	"github.com/drim-m/trust-space/tool/listeblanche/xades"
)

// held holds each answer of the list server until released, and says when
// a request has arrived: the run that sent it holds the folder.
type held struct {
	arrived chan struct{}
	release chan struct{}
}

func (h *held) wait() {
	h.arrived <- struct{}{}
	<-h.release
}

// runAsync starts a run and returns its outcome on a channel.
func (fx *fixture) runAsync(now time.Time, change ...func(*Options)) chan error {
	done := make(chan error, 1)
	go func() {
		opts := fx.options(now)
		for _, c := range change {
			c(&opts)
		}
		_, err := Run(context.Background(), opts)
		done <- err
	}()
	return done
}

func TestFetchOneRunAtATimePerFolder(t *testing.T) {
	fx := newFixture(t)
	fx.srv.serve(fx.list(t, t0, 3, nil))
	h := &held{arrived: make(chan struct{}, 4), release: make(chan struct{})}
	fx.srv.mu.Lock()
	fx.srv.hold = h.wait
	fx.srv.mu.Unlock()

	// The first run holds the folder while its download waits; a second
	// that waits briefly is refused with ErrBusy, and writes nothing.
	first := fx.runAsync(t0.Add(time.Hour))
	<-h.arrived
	_, err := Run(context.Background(), func() Options {
		o := fx.options(t0.Add(time.Hour))
		o.LockWait = 100 * time.Millisecond
		return o
	}())
	if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), LockFile) {
		t.Fatalf("a second run on a held folder: %v, want ErrBusy naming %s", err, LockFile)
	}
	if len(h.arrived) != 0 {
		t.Fatal("the refused run reached the server")
	}

	// A second run that waits long enough runs after the first, and reads
	// what the first accepted: it asks conditionally and gets a 304.
	second := fx.runAsync(t0.Add(time.Hour), func(o *Options) { o.LockWait = time.Minute })
	close(h.release)
	if err := <-first; err != nil {
		t.Fatalf("first run: %v", err)
	}
	<-h.arrived
	if err := <-second; err != nil {
		t.Fatalf("second run: %v", err)
	}
	fx.srv.mu.Lock()
	answers := append([]int(nil), fx.srv.answers...)
	fx.srv.mu.Unlock()
	if len(answers) != 2 || answers[0] != http.StatusOK || answers[1] != http.StatusNotModified {
		t.Fatalf("the server answered %v, want [200 304]: the second run did not read the first one's state", answers)
	}
}

func TestFetchCRLsWithinTheRunsDeadline(t *testing.T) {
	// A CRL server that answers nothing until the client gives up.
	gaveUp := make(chan struct{}, 1)
	stop := make(chan struct{})
	crlSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
			gaveUp <- struct{}{}
		case <-stop:
		case <-time.After(time.Minute): // a fetcher that ignores the deadline fails, rather than hangs
		}
	}))
	t.Cleanup(crlSrv.Close)
	t.Cleanup(func() { close(stop) })

	fx := newFixture(t)
	p, err := testpki.New(testpki.Options{Now: t0.Add(-time.Hour), Name: "IGC-CRL-LENTE", CRLBaseURL: crlSrv.URL})
	if err != nil {
		t.Fatal(err)
	}
	fx.srv.serve(fx.list(t, t0, 2, p.Signer))
	// Each CRL fetch alone may take an hour: only the run's deadline can
	// end it.
	fetcher := &crl.Fetcher{Timeout: time.Hour, Now: func() time.Time { return t0.Add(time.Hour) }}
	opts := fx.options(t0.Add(time.Hour))
	opts.Verify.Signature.Roots = []*x509.Certificate{p.Root.Cert}
	opts.Verify.Signature.CRLs = nil
	opts.Timeout = 2 * time.Second
	opts.FetchCRLs = fetcher.CRLsContext
	res, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != Kept || !errors.Is(res.Err, xades.ErrNoCRL) || !strings.Contains(res.Err.Error(), context.DeadlineExceeded.Error()) {
		t.Fatalf("a CRL server slower than the run: %v %v, want the list refused for want of a CRL at the deadline", res.Status, res.Err)
	}
	// The server learns it from the closed connection, a little later.
	select {
	case <-gaveUp:
	case <-time.After(30 * time.Second):
		t.Fatal("the CRL server never saw the client give up")
	}
}
