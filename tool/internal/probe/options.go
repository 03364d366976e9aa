package probe

import (
	"context"
	"crypto/x509"
	"net"
	"net/netip"
	"time"
)

// Defaults for Options fields left zero.
const (
	DefaultConcurrency   = 64
	DefaultTimeout       = 10 * time.Second
	DefaultRunTimeout    = 4 * time.Minute
	DefaultRetries       = 2
	DefaultRetryDelay    = 2 * time.Second
	DefaultSlowAfter     = 2 * time.Second
	DefaultExpiryWarning = 30 * 24 * time.Hour
	DefaultBodyLimit     = 64 << 10
	DefaultPath          = "/.well-known/drimbox-status"
	DefaultPort          = 443
)

// Resolver looks host names up. *net.Resolver satisfies it; tests pass
// their own so that no real DNS is queried.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// CNAMEResolver looks up the canonical name of a host, following its
// CNAME records. *net.Resolver satisfies it.
type CNAMEResolver interface {
	LookupCNAME(ctx context.Context, host string) (string, error)
}

// Options configure a Prober. The zero value of every field but Roots
// selects the default.
type Options struct {
	// Roots are the trust anchors (IGC Santé roots) the chains must reach.
	Roots *x509.CertPool
	// Resolve pins host names to addresses, like curl's --resolve: the key
	// is "host:port" (or "*:port" for every host), the value "ip" or
	// "ip:port". Pinned addresses bypass DNS and the address guard.
	Resolve map[string]string
	// Allow lists address ranges the guard lets through although they are
	// not public. Tests use it for loopback; production leaves it empty.
	Allow []netip.Prefix
	// Resolver defaults to net.DefaultResolver.
	Resolver Resolver
	// CNAMEs checks the national names against Target.DBCNAME and
	// VICNAME; defaults to net.DefaultResolver. Names pinned by Resolve
	// are checked only when CNAMEs is given.
	CNAMEs CNAMEResolver
	// checkPinned is set when CNAMEs was given.
	checkPinned bool
	// Concurrency bounds the probes in flight.
	Concurrency int
	// Timeout bounds one attempt on one access point, body included.
	Timeout time.Duration
	// RunTimeout bounds the whole run; targets not probed by then are unknown.
	RunTimeout time.Duration
	// Retries is how many more passes failed access points get.
	Retries int
	// RetryDelay is the pause before each retry pass.
	RetryDelay time.Duration
	// SlowAfter marks a DRIMbox degraded when its first byte comes later.
	SlowAfter time.Duration
	// ExpiryWarning marks a DRIMbox degraded when a certificate of its
	// chain expires within it.
	ExpiryWarning time.Duration
	// BodyLimit is the most of a response body the prober reads.
	BodyLimit int64
	// Path is the status endpoint's path.
	Path string
	// Port is the HTTPS port of the access points.
	Port int
	// Canary is a "host:port" the prober connects to when some access
	// point failed, to tell a DRIMbox down from its own network down.
	// Empty: a run counts its network as working when at least one
	// access point answered.
	Canary string
	// Now is the clock used for certificate validity; defaults to time.Now.
	Now func() time.Time
	// Progress, when set, is called after each DRIMbox of the first pass.
	Progress func(done, total int)
}

func (o Options) withDefaults() Options {
	if o.Resolver == nil {
		o.Resolver = net.DefaultResolver
	}
	o.checkPinned = o.CNAMEs != nil
	if o.CNAMEs == nil {
		o.CNAMEs = net.DefaultResolver
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.RunTimeout <= 0 {
		o.RunTimeout = DefaultRunTimeout
	}
	if o.Retries < 0 {
		o.Retries = 0
	}
	if o.RetryDelay <= 0 {
		o.RetryDelay = DefaultRetryDelay
	}
	if o.SlowAfter <= 0 {
		o.SlowAfter = DefaultSlowAfter
	}
	if o.ExpiryWarning <= 0 {
		o.ExpiryWarning = DefaultExpiryWarning
	}
	if o.BodyLimit <= 0 {
		o.BodyLimit = DefaultBodyLimit
	}
	if o.Path == "" {
		o.Path = DefaultPath
	}
	if o.Port == 0 {
		o.Port = DefaultPort
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}
