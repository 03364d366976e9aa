// Package probe checks DRIMboxes from the outside, as a peer or a visitor
// would reach them: each access point over HTTPS at its national name, with
// per-phase timings, the TLS chain to the trust anchors, the served
// certificate's subject against the registered DN, and the PACS states the
// DRIMbox reports on its status endpoint.
//
// The prober treats every endpoint as hostile: it follows no redirect, reads
// at most a small body, keeps a deadline per attempt and per run, bounds its
// concurrency, resolves each name once and refuses addresses that are not
// public unless they were named explicitly.
package probe

import (
	"encoding/json"
	"math"
	"time"
)

// Target is one DRIMbox to probe, independent of how the registry stores it.
type Target struct {
	// ID is the DRIMbox's permanent Identifiant.
	ID int
	// DB is the host name of the WADO-RS access point (db<N>.<zone>).
	DB string
	// VI is the host name of the viewer access point; empty when it has none.
	VI string
	// DN is the registered subject DN of the server certificate, written as
	// in the whitelist (CN=…,OU=…,O=…,ST=…,C=FR). Empty: not checked.
	DN string
	// PACS lists the identifiers of the PACS registered behind the DRIMbox.
	PACS []string
	// DBCNAME and VICNAME are the registered endpoints the national names
	// must be CNAMEs of, as the registry's zone export says; empty: not
	// checked.
	DBCNAME, VICNAME string
	// First asks for the DRIMbox to be probed early, in the first half of
	// the run: it was not up at the last run, and its retries then end
	// while the others are probed instead of prolonging the run.
	First bool
}

// Verdict is the state of a DRIMbox after a run.
type Verdict string

// Verdicts, from best to worst, plus unknown when the prober cannot tell.
const (
	Up       Verdict = "up"
	Degraded Verdict = "degraded"
	Down     Verdict = "down"
	Unknown  Verdict = "unknown"
)

// Reason codes explain a verdict. They are stable identifiers: the weather
// page translates them, tools may match on them.
const (
	ReasonSlow          = "slow"            // first byte later than the slow threshold
	ReasonCertExpiring  = "cert-expiring"   // certificate expires within the warning window
	ReasonDNMismatch    = "dn-mismatch"     // served subject differs from the registered DN
	ReasonPACSDown      = "pacs-down"       // a PACS reported down
	ReasonStatusInvalid = "status-invalid"  // the status endpoint answered outside its contract
	ReasonVIDown        = "vi-down"         // the viewer access point failed
	ReasonDBDown        = "db-down"         // the WADO-RS access point failed
	ReasonNetwork       = "prober-network"  // the canary failed: the prober's own network is in doubt
	ReasonRunDeadline   = "run-deadline"    // the run ended before the DRIMbox was probed
	ReasonBadName       = "bad-name"        // the host name is not a valid DNS name
	ReasonDNS           = "dns"             // the name did not resolve
	ReasonAddress       = "address-refused" // the name resolved to a non-public address
	ReasonConnect       = "connect"         // the TCP connection failed
	ReasonTLS           = "tls"             // the TLS handshake failed
	ReasonCertExpired   = "cert-expired"    // the certificate (or its chain) is expired or not yet valid
	ReasonCertUntrusted = "cert-untrusted"  // the chain does not lead to a trust anchor
	ReasonCertName      = "cert-name"       // the certificate is not valid for the host name
	ReasonTimeout       = "timeout"         // the attempt exceeded its deadline
	ReasonRedirect      = "redirect"        // the endpoint redirected; redirects are not followed
	ReasonHTTPStatus    = "http-status"     // the endpoint answered an error status
	ReasonProtocol      = "protocol"        // the HTTP exchange failed after the handshake
	ReasonSplit         = "vantage-split"   // vantage points disagree: some see it down, not a majority
	ReasonDNSMismatch   = "dns-mismatch"    // a national name does not resolve to the registered endpoint
)

// Result is what a run found about one DRIMbox.
type Result struct {
	ID      int      `json:"id"`
	Verdict Verdict  `json:"verdict"`
	Reasons []string `json:"reasons,omitempty"`
	DB      *Check   `json:"db,omitempty"`
	VI      *Check   `json:"vi,omitempty"`
	// PACS has one entry per registered PACS, in registry order.
	PACS []PACSState `json:"pacs,omitempty"`
}

// PACSState is the state of one PACS as its DRIMbox reported it.
type PACSState struct {
	ID string `json:"id"`
	// State is up, degraded, down, maintenance, or not-reported when the
	// DRIMbox has no status endpoint or did not list this PACS.
	State  string `json:"state"`
	Detail string `json:"detail,omitempty"`
}

// NotReported is the state of a PACS the DRIMbox says nothing about.
const NotReported = "not-reported"

// Check is the outcome of probing one access point, after retries.
type Check struct {
	Host     string `json:"host"`
	Addr     string `json:"addr,omitempty"`
	Attempts int    `json:"attempts"`
	OK       bool   `json:"ok"`
	// Reason is the failure reason code when OK is false.
	Reason string `json:"reason,omitempty"`
	// Error is the failure in words, for people reading logs.
	Error    string  `json:"error,omitempty"`
	Timings  Timings `json:"timings"`
	HTTP     int     `json:"http,omitempty"`
	Cert     *Cert   `json:"cert,omitempty"`
	Endpoint string  `json:"endpoint,omitempty"` // ok, absent or invalid
	// CNAME is what the name resolved to when it is not the registered
	// endpoint (a stale or hijacked record).
	CNAME string `json:"cname_mismatch,omitempty"`
}

// Timings are the durations of each phase of the last attempt. In JSON
// they are milliseconds.
type Timings struct {
	DNS     time.Duration
	Connect time.Duration
	TLS     time.Duration
	// FirstByte is from the request written to the first response byte.
	FirstByte time.Duration
	// Total is from the start of the attempt to the first response byte.
	Total time.Duration
}

// MarshalJSON writes the timings in milliseconds.
func (t Timings) MarshalJSON() ([]byte, error) {
	ms := func(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }
	return json.Marshal(map[string]float64{"dns_ms": ms(t.DNS), "connect_ms": ms(t.Connect), "tls_ms": ms(t.TLS),
		"first_byte_ms": ms(t.FirstByte), "total_ms": ms(t.Total)})
}

// UnmarshalJSON reads timings MarshalJSON wrote.
func (t *Timings) UnmarshalJSON(data []byte) error {
	var ms map[string]float64
	if err := json.Unmarshal(data, &ms); err != nil {
		return err
	}
	d := func(k string) time.Duration { return time.Duration(math.Round(ms[k] * 1e6)) }
	*t = Timings{DNS: d("dns_ms"), Connect: d("connect_ms"), TLS: d("tls_ms"), FirstByte: d("first_byte_ms"), Total: d("total_ms")}
	return nil
}

// Cert describes the certificate an access point served.
type Cert struct {
	Subject  string    `json:"subject"`
	Issuer   string    `json:"issuer"`
	NotAfter time.Time `json:"not_after"`
	// ChainNotAfter is the earliest expiry along the verified chain.
	ChainNotAfter time.Time `json:"chain_not_after"`
	DaysLeft      int       `json:"days_left"`
	Trusted       bool      `json:"trusted"`
	// DNMatch tells whether Subject equals the registered DN; true when no
	// DN is registered.
	DNMatch bool `json:"dn_match"`
}
