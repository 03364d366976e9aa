package probe

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"time"
)

// attempt is one try at one access point. Its fields are written by the
// goroutine that makes the attempt only (VerifyConnection runs inside the
// handshake, on that goroutine).
type attempt struct {
	p        *Prober
	host     string
	dn       string
	db       string // the DRIMbox's db name, which the served CN must be
	wantBody bool

	start   time.Time
	connS   time.Time
	connD   time.Time
	tlsS    time.Time
	tlsD    time.Time
	wrote   time.Time
	first   time.Time
	cert    *Cert
	tlsWhy  string
	tlsFail error
}

// checkOnce probes host once, expecting the certificate whose subject is
// dn (naming db), when dn is set. body is the status endpoint's body when
// wantBody is set and the endpoint answered 200.
func (p *Prober) checkOnce(ctx context.Context, host, dn, db string, wantBody bool) (c Check, body []byte) {
	c.Host = host
	ctx, cancel := context.WithTimeout(ctx, p.opts.Timeout)
	defer cancel()
	a := &attempt{p: p, host: host, dn: dn, db: db, wantBody: wantBody, start: time.Now()}
	if !validHost(host) {
		c.Reason, c.Error = ReasonBadName, fmt.Sprintf("%q is not a valid host name", host)
		return c, nil
	}
	addr, why, err := p.resolve(ctx, host)
	c.Timings.DNS = time.Since(a.start)
	if err != nil {
		c.Reason, c.Error = why, err.Error()
		if ctx.Err() != nil {
			c.Reason = ReasonTimeout
		}
		return c, nil
	}
	c.Addr = addr.String()

	conn, resp, err := a.do(ctx, addr)
	c.Timings = a.timings(c.Timings.DNS)
	c.Cert = a.cert
	if err != nil {
		c.Reason, c.Error = classify(ctx, err, a.tlsWhy, a.tlsFail, !a.tlsD.IsZero())
		return c, nil
	}
	defer conn.Close()
	c.HTTP = resp.StatusCode
	switch {
	case resp.StatusCode == http.StatusOK:
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone || resp.StatusCode == http.StatusNotImplemented:
		c.OK, c.Endpoint = true, "absent"
		return c, nil
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		c.Reason, c.Error = ReasonRedirect, fmt.Sprintf("HTTP %d: redirects are not followed", resp.StatusCode)
		return c, nil
	default:
		c.Reason, c.Error = ReasonHTTPStatus, fmt.Sprintf("HTTP %d", resp.StatusCode)
		return c, nil
	}
	if !wantBody {
		c.OK = true
		return c, nil
	}
	// Read one byte past the limit to tell a full body from a cut one,
	// and never more: the connection is closed with the rest unread.
	body, err = io.ReadAll(io.LimitReader(resp.Body, p.opts.BodyLimit+1))
	if err == nil && expired(ctx) {
		// A body cut by the deadline may end without an error.
		err = context.DeadlineExceeded
	}
	if err != nil {
		c.Reason, c.Error = classify(ctx, err, "", nil, true)
		return c, nil
	}
	c.OK = true
	if int64(len(body)) > p.opts.BodyLimit {
		c.Endpoint = "invalid"
		c.Error = fmt.Sprintf("status body larger than %d bytes", p.opts.BodyLimit)
		return c, nil
	}
	return c, body
}

// tlsCurves leaves out the post-quantum hybrid key exchange Go offers
// first by default: it protects secrets recorded today against a future
// quantum computer, the probe sends none and reads a public status, and it
// costs each DRIMbox about as much as the rest of the key exchange.
var tlsCurves = []tls.CurveID{tls.X25519, tls.CurveP256, tls.CurveP384, tls.CurveP521}

// maxHeaderBytes bounds the response head the prober reads.
const maxHeaderBytes = 16 << 10

// do connects to addr, shakes hands, sends one GET of the status path
// over HTTP/1.1 and reads the response head, no more than maxHeaderBytes
// of it. The caller closes conn.
func (a *attempt) do(ctx context.Context, addr netip.AddrPort) (io.Closer, *http.Response, error) {
	a.connS = time.Now()
	d := net.Dialer{KeepAlive: -1} // one request, then the connection closes
	raw, err := d.DialContext(ctx, "tcp", addr.String())
	if err != nil {
		return nil, nil, err
	}
	a.connD = time.Now()
	// The attempt's deadline bounds every read and write; the end of the
	// run closes the connection.
	if dl, ok := ctx.Deadline(); ok {
		raw.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { raw.Close() })
	c := &closer{Conn: raw, stop: stop}
	conn := tls.Client(raw, &tls.Config{
		ServerName: a.host,
		MinVersion: tls.VersionTLS12,
		// Verification is done in VerifyConnection, against the trust
		// anchors, so that what failed can be recorded.
		InsecureSkipVerify: true,
		VerifyConnection:   a.verify,
		CurvePreferences:   tlsCurves,
	})
	a.tlsS = time.Now()
	if err := conn.HandshakeContext(ctx); err != nil {
		c.Close()
		return nil, nil, err
	}
	a.tlsD = time.Now()
	host := a.host
	if a.p.opts.Port != 443 {
		host = net.JoinHostPort(a.host, strconv.Itoa(a.p.opts.Port))
	}
	// The host is a checked DNS name and the path is the prober's own
	// option: nothing a record holds enters the request.
	req := "GET " + a.p.opts.Path + " HTTP/1.1\r\nHost: " + host +
		"\r\nUser-Agent: drimm-probe/1\r\nAccept: application/json\r\nConnection: close\r\n\r\n"
	if _, err := io.WriteString(conn, req); err != nil {
		c.Close()
		return nil, nil, err
	}
	a.wrote = time.Now()
	in := &limitedReader{r: conn, left: maxHeaderBytes, first: &a.first}
	resp, err := http.ReadResponse(bufio.NewReader(in), nil)
	if err != nil {
		if in.left <= 0 {
			err = fmt.Errorf("response head larger than %d bytes", maxHeaderBytes)
		}
		c.Close()
		return nil, nil, err
	}
	// The body may take BodyLimit bytes more, and one to tell it was cut.
	in.left += a.p.opts.BodyLimit + 1
	return c, resp, nil
}

// limitedReader reads at most left bytes and notes when the first came.
type limitedReader struct {
	r     io.Reader
	left  int64
	first *time.Time
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, io.ErrUnexpectedEOF
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	if n > 0 && l.first.IsZero() {
		*l.first = time.Now()
	}
	l.left -= int64(n)
	return n, err
}

// closer closes a connection and drops its cancellation hook.
type closer struct {
	net.Conn
	stop func() bool
}

func (c *closer) Close() error {
	c.stop()
	return c.Conn.Close()
}

// timings turns the recorded instants into phase durations; a phase that
// did not complete is zero.
func (a *attempt) timings(dns time.Duration) Timings {
	t := Timings{DNS: dns}
	span := func(s, e time.Time) time.Duration {
		if s.IsZero() || e.IsZero() || e.Before(s) {
			return 0
		}
		return e.Sub(s)
	}
	t.Connect = span(a.connS, a.connD)
	t.TLS = span(a.tlsS, a.tlsD)
	t.FirstByte = span(a.wrote, a.first)
	t.Total = span(a.start, a.first)
	return t
}

// expired tells whether ctx has ended or its deadline has passed: a read
// cut by the connection's deadline may return before ctx says it is done,
// with what came before as if it were complete.
func expired(ctx context.Context) bool {
	dl, ok := ctx.Deadline()
	return ctx.Err() != nil || ok && !time.Now().Before(dl)
}

// classify maps a failed attempt to a reason code and words. shook tells
// whether the TLS handshake had completed.
func classify(ctx context.Context, err error, tlsWhy string, tlsFail error, shook bool) (string, string) {
	switch {
	case tlsWhy != "":
		return tlsWhy, tlsFail.Error()
	case expired(ctx) || errors.Is(err, context.DeadlineExceeded):
		return ReasonTimeout, "no complete answer before the deadline"
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return ReasonConnect, op.Err.Error()
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if shook {
		return ReasonProtocol, err.Error()
	}
	return ReasonTLS, err.Error()
}
