package probe

import (
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestHostileEndpoints(t *testing.T) {
	l := newLab(t)
	var redirected atomic.Int64
	cases := []struct {
		name    string
		handler http.Handler
		raw     func(t *testing.T) string // a listener of its own, instead of a TLS server
		want    Verdict
		reason  string // reason after db-down, or the only one for degraded
	}{
		{name: "redirect", handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/elsewhere" {
				redirected.Add(1)
			}
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		}), want: Down, reason: ReasonRedirect},
		{name: "body of 1 GiB", handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.CopyN(w, zeros{}, 1<<30)
		}), want: Degraded, reason: ReasonStatusInvalid},
		{name: "one byte a second", handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(200)
			for i := 0; i < 60; i++ {
				if _, err := w.Write([]byte("{")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(time.Second):
				}
			}
		}), want: Down, reason: ReasonTimeout},
		{name: "headers one byte a second", raw: func(t *testing.T) string { return tricklingTLS(t, l, 203) }, want: Down, reason: ReasonTimeout},
		{name: "endless response head", raw: func(t *testing.T) string { return endlessHead(t, l, 204) }, want: Down, reason: ReasonProtocol},
		{name: "never answers", raw: silentListener, want: Down, reason: ReasonTimeout},
		{name: "connection refused", raw: func(t *testing.T) string { return closedAddr(t) }, want: Down, reason: ReasonConnect},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := 200 + i
			if tc.raw != nil {
				l.pin(id, tc.raw(t))
			} else {
				l.serve(id, certSpec{notAfter: labNow.AddDate(1, 0, 0)}, tc.handler)
			}
			opts := l.options()
			opts.Timeout = 1500 * time.Millisecond
			opts.Retries = 0
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			tg := target(id, "pacs-1")
			tg.VI = ""
			got := runOne(t, opts, tg)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if got.Verdict != tc.want {
				t.Errorf("verdict = %s, want %s (db: %+v)", got.Verdict, tc.want, got.DB)
			}
			want := []string{tc.reason}
			if tc.want == Down {
				want = []string{ReasonDBDown, tc.reason}
			}
			if diff := cmp.Diff(want, got.Reasons); diff != "" {
				t.Errorf("reasons (-want +got):\n%s\ndb: %+v", diff, got.DB)
			}
			if grown := after.TotalAlloc - before.TotalAlloc; grown > 64<<20 {
				t.Errorf("the probe allocated %d MiB", grown>>20)
			}
		})
	}
	if n := redirected.Load(); n != 0 {
		t.Errorf("the redirect was followed %d times", n)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// tricklingTLS completes the TLS handshake as DRIMbox id, then sends its
// response headers one byte a second.
func tricklingTLS(t *testing.T, l *lab, id int) string {
	return rawTLS(t, l, id, func(c net.Conn, done <-chan struct{}) {
		for _, b := range []byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{}") {
			if _, err := c.Write([]byte{b}); err != nil {
				return
			}
			select {
			case <-done:
				return
			case <-time.After(time.Second):
			}
		}
	})
}

// endlessHead completes the TLS handshake as DRIMbox id, then sends
// response header lines until the prober hangs up.
func endlessHead(t *testing.T, l *lab, id int) string {
	return rawTLS(t, l, id, func(c net.Conn, done <-chan struct{}) {
		line := []byte("X-Filler: " + strings.Repeat("a", 1000) + "\r\n")
		if _, err := c.Write([]byte("HTTP/1.1 200 OK\r\n")); err != nil {
			return
		}
		for i := 0; i < 1<<20; i++ {
			if _, err := c.Write(line); err != nil {
				return
			}
		}
	})
}

// rawTLS completes the TLS handshake as DRIMbox id, reads the request and
// lets answer write what it will.
func rawTLS(t *testing.T, l *lab, id int, answer func(c net.Conn, done <-chan struct{})) string {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{l.cert(id, certSpec{notAfter: labNow.AddDate(1, 0, 0)})}})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.Read(make([]byte, 4096))
				answer(c, done)
			}()
		}
	}()
	return ln.Addr().String()
}

// silentListener accepts connections and never writes a byte.
func silentListener(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { <-done; c.Close() }()
		}
	}()
	return ln.Addr().String()
}
