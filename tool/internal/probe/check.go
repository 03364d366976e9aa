package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/netip"
	"net/url"
	"strconv"
	"sync"
	"time"
)

// attempt is one try at one access point.
type attempt struct {
	p        *Prober
	host     string
	dn       string
	wantBody bool

	mu      sync.Mutex
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

// checkOnce probes host once. body is the status endpoint's body when
// wantBody is set and the endpoint answered 200.
func (p *Prober) checkOnce(ctx context.Context, host, dn string, wantBody bool) (c Check, body []byte) {
	c.Host = host
	ctx, cancel := context.WithTimeout(ctx, p.opts.Timeout)
	defer cancel()
	a := &attempt{p: p, host: host, dn: dn, wantBody: wantBody, start: time.Now()}
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

	resp, err := a.do(ctx, addr)
	a.mu.Lock()
	c.Timings = a.timings(c.Timings.DNS)
	c.Cert = a.cert
	tlsWhy, tlsFail, shook := a.tlsWhy, a.tlsFail, !a.tlsD.IsZero()
	a.mu.Unlock()
	if err != nil {
		c.Reason, c.Error = classify(ctx, err, tlsWhy, tlsFail, shook)
		return c, nil
	}
	defer resp.Body.Close()
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
	if err == nil && ctx.Err() != nil {
		// A body cut by the deadline may end without an error.
		err = ctx.Err()
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

func (a *attempt) do(ctx context.Context, addr netip.AddrPort) (*http.Response, error) {
	tr := &http.Transport{
		Proxy: nil, // never a proxy from the environment
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "tcp", addr.String())
		},
		TLSClientConfig: &tls.Config{
			ServerName: a.host,
			MinVersion: tls.VersionTLS12,
			// Verification is done in VerifyConnection, against the
			// trust anchors, so that what failed can be recorded.
			InsecureSkipVerify: true,
			VerifyConnection:   a.verify,
		},
		DisableKeepAlives:      true,
		DisableCompression:     true,
		MaxResponseHeaderBytes: 16 << 10,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	u := url.URL{Scheme: "https", Host: a.host, Path: a.p.opts.Path}
	if a.p.opts.Port != 443 {
		u.Host = net.JoinHostPort(a.host, strconv.Itoa(a.p.opts.Port))
	}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, a.trace()), http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "drimm-probe/1")
	req.Header.Set("Accept", "application/json")
	return client.Do(req)
}

func (a *attempt) trace() *httptrace.ClientTrace {
	at := func(t *time.Time) func() {
		return func() { a.mu.Lock(); *t = time.Now(); a.mu.Unlock() }
	}
	return &httptrace.ClientTrace{
		ConnectStart:         func(string, string) { at(&a.connS)() },
		ConnectDone:          func(string, string, error) { at(&a.connD)() },
		TLSHandshakeStart:    at(&a.tlsS),
		TLSHandshakeDone:     func(tls.ConnectionState, error) { at(&a.tlsD)() },
		WroteRequest:         func(httptrace.WroteRequestInfo) { at(&a.wrote)() },
		GotFirstResponseByte: at(&a.first),
	}
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

// verify checks the served chain against the trust anchors and records
// the certificate. It aborts the handshake when the chain is not valid for
// the host: nothing is sent to an endpoint a peer DRIMbox would refuse.
func (a *attempt) verify(cs tls.ConnectionState) error {
	if len(cs.PeerCertificates) == 0 {
		return errors.New("no certificate served")
	}
	leaf := cs.PeerCertificates[0]
	inter := x509.NewCertPool()
	for _, c := range cs.PeerCertificates[1:] {
		inter.AddCert(c)
	}
	now := a.p.opts.Now()
	cert := &Cert{
		Subject:       leaf.Subject.String(),
		Issuer:        leaf.Issuer.String(),
		NotAfter:      leaf.NotAfter.UTC(),
		ChainNotAfter: leaf.NotAfter.UTC(),
		DNMatch:       a.dn == "" || SameDN(leaf.Subject.String(), a.dn),
	}
	chains, err := leaf.Verify(x509.VerifyOptions{
		Roots:         a.p.opts.Roots,
		Intermediates: inter,
		DNSName:       a.host,
		CurrentTime:   now,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	if err == nil {
		cert.Trusted = true
		for _, c := range chains[0] {
			if c.NotAfter.Before(cert.ChainNotAfter) {
				cert.ChainNotAfter = c.NotAfter.UTC()
			}
		}
	}
	cert.DaysLeft = int(cert.ChainNotAfter.Sub(now).Hours() / 24)
	if cert.ChainNotAfter.Before(now) {
		cert.DaysLeft = -1 - int(now.Sub(cert.ChainNotAfter).Hours()/24)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.cert = cert
	if err == nil {
		return nil
	}
	var inv x509.CertificateInvalidError
	var host x509.HostnameError
	var unknown x509.UnknownAuthorityError
	switch {
	case errors.As(err, &inv) && inv.Reason == x509.Expired:
		a.tlsWhy = ReasonCertExpired
	case errors.As(err, &host):
		a.tlsWhy = ReasonCertName
	case errors.As(err, &unknown):
		a.tlsWhy = ReasonCertUntrusted
	default:
		a.tlsWhy = ReasonCertUntrusted
	}
	a.tlsFail = err
	return err
}

// classify maps a failed attempt to a reason code and words. shook tells
// whether the TLS handshake had completed.
func classify(ctx context.Context, err error, tlsWhy string, tlsFail error, shook bool) (string, string) {
	switch {
	case tlsWhy != "":
		return tlsWhy, tlsFail.Error()
	case ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded):
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
