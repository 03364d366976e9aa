package probe

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// errAddress is a refusal by the address guard.
var errAddress = errors.New("address refused")

// specialPrefixes are ranges that are never a DRIMbox on the Internet,
// beyond what netip's predicates already cover.
var specialPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // shared address space (CGNAT)
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, broadcast
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("fc00::/7"),        // unique local
}

// refusal says why addr may not be probed, or "" when it may.
func refusal(addr netip.Addr) string {
	addr = addr.Unmap()
	switch {
	case !addr.IsValid():
		return "invalid"
	case addr.IsUnspecified():
		return "unspecified"
	case addr.IsLoopback():
		return "loopback"
	case addr.IsPrivate():
		return "private"
	case addr.IsLinkLocalUnicast():
		return "link-local"
	case addr.IsMulticast(), addr.IsLinkLocalMulticast(), addr.IsInterfaceLocalMulticast():
		return "multicast"
	}
	for _, p := range specialPrefixes {
		if p.Contains(addr) {
			return "special-purpose"
		}
	}
	return ""
}

// validHost tells whether h is a plain DNS name the prober may put in a URL:
// letters, digits, hyphens and dots only, so nothing a record holds can
// change the request's meaning.
func validHost(h string) bool {
	if len(h) == 0 || len(h) > 253 || strings.HasSuffix(h, ".") {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// pinned returns the address --resolve gives for host, if any.
func (p *Prober) pinned(host string) (netip.AddrPort, bool, error) {
	port := strconv.Itoa(p.opts.Port)
	v, ok := p.opts.Resolve[host+":"+port]
	if !ok {
		v, ok = p.opts.Resolve["*:"+port]
	}
	if !ok {
		return netip.AddrPort{}, false, nil
	}
	if ap, err := netip.ParseAddrPort(v); err == nil {
		return ap, true, nil
	}
	a, err := netip.ParseAddr(v)
	if err != nil {
		return netip.AddrPort{}, true, fmt.Errorf("resolve entry for %s: %q is not an address", host, v)
	}
	return netip.AddrPortFrom(a, uint16(p.opts.Port)), true, nil
}

// resolve turns host into the one address the attempts of a run connect
// to: pinned by --resolve, or looked up once per run and checked by the
// guard, so that a name cannot point elsewhere between the check and the
// connection or between retries. Failed lookups are not kept: a retry
// looks the name up again.
func (p *Prober) resolve(ctx context.Context, host string) (netip.AddrPort, string, error) {
	if ap, ok, err := p.pinned(host); ok || err != nil {
		return ap, ReasonDNS, err
	}
	if v, ok := p.resolved.Load(host); ok {
		return v.(netip.AddrPort), "", nil
	}
	ap, why, err := p.lookup(ctx, host)
	if err == nil {
		p.resolved.Store(host, ap)
	}
	return ap, why, err
}

func (p *Prober) lookup(ctx context.Context, host string) (netip.AddrPort, string, error) {
	addrs, err := p.opts.Resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return netip.AddrPort{}, ReasonDNS, fmt.Errorf("resolving %s: %w", host, err)
	}
	if len(addrs) == 0 {
		return netip.AddrPort{}, ReasonDNS, fmt.Errorf("resolving %s: no address", host)
	}
	// Every address must pass: a name mixing public and private addresses
	// is a rebinding attempt as much as one with only private ones.
	for _, a := range addrs {
		if why := refusal(a); why != "" && !p.allowed(a) {
			return netip.AddrPort{}, ReasonAddress, fmt.Errorf("%w: %s resolves to %s (%s)", errAddress, host, a.Unmap(), why)
		}
	}
	return netip.AddrPortFrom(addrs[0].Unmap(), uint16(p.opts.Port)), "", nil
}

func (p *Prober) allowed(a netip.Addr) bool {
	a = a.Unmap()
	for _, pr := range p.opts.Allow {
		if pr.Contains(a) {
			return true
		}
	}
	return false
}

// ParseResolve reads curl-style HOST:PORT:ADDR entries into Options.Resolve.
// ADDR may carry its own port (127.0.0.1:8443, [::1]:8443) to reach a
// listener on another port than PORT.
func ParseResolve(entries []string) (map[string]string, error) {
	out := make(map[string]string, len(entries))
	for _, e := range entries {
		host, rest, ok := strings.Cut(e, ":")
		port, addr, ok2 := strings.Cut(rest, ":")
		if !ok || !ok2 || host == "" || addr == "" {
			return nil, fmt.Errorf("--resolve %q: want HOST:PORT:ADDR", e)
		}
		if host != "*" && !validHost(host) {
			return nil, fmt.Errorf("--resolve %q: %q is not a host name", e, host)
		}
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("--resolve %q: %q is not a port", e, port)
		}
		if _, err := netip.ParseAddrPort(addr); err != nil {
			if _, err := netip.ParseAddr(strings.Trim(addr, "[]")); err != nil {
				return nil, fmt.Errorf("--resolve %q: %q is not an address", e, addr)
			}
			addr = strings.Trim(addr, "[]")
		}
		out[strings.ToLower(host)+":"+port] = addr
	}
	return out, nil
}
