// Package sim runs simulated DRIMboxes on loopback: each one a TLS server
// with a certificate from a throwaway IGC Santé-shaped PKI, serving the
// status endpoint, healthy or broken in one of the ways the weather page
// must show. The demo and the benchmarks probe them; nothing leaves the
// machine.
package sim

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/drim-m/trust-space/tool/internal/testpki"
)

// Kind is how a simulated DRIMbox behaves.
type Kind string

// Kinds of simulated DRIMbox.
const (
	Healthy    Kind = "healthy"     // answers at once, every PACS up
	Slow       Kind = "slow"        // answers after Options.SlowDelay
	Down       Kind = "down"        // nothing listens: connections are refused
	Expiring   Kind = "expiring"    // certificate expires in 10 days
	PACSDown   Kind = "pacs-down"   // one PACS reported down
	NoStatus   Kind = "no-status"   // no status endpoint (404)
	DNMismatch Kind = "dn-mismatch" // certificate subject differs from the registered DN
)

// Options shape a fleet.
type Options struct {
	// Kinds gives each DRIMbox's kind; DRIMbox i+1 gets Kinds[i].
	Kinds []Kind
	// Zone is the DNS zone of the national names (default test.mesimagesmedicales.fr).
	Zone string
	// SlowDelay is how long a slow DRIMbox waits before answering (default 1.5 s).
	SlowDelay time.Duration
	// IPSAN adds 127.0.0.1 to the certificates, for probers that can only
	// be pointed at an address (the blackbox_exporter comparison).
	IPSAN bool
	// Now is the clock the certificates are issued against; required, so
	// that they are valid at the clock of whoever probes the fleet.
	Now time.Time
	// IDs are the Identifiants, in the order of Kinds (default 1, 2, …).
	IDs []int
	// Subjects override the registered DN of some DRIMboxes.
	Subjects map[int]string
	// PACS override the PACS of some DRIMboxes (default pacs-1, pacs-2).
	PACS map[int][]string
}

// Box is one simulated DRIMbox.
type Box struct {
	ID   int
	Kind Kind
	// Addr is where its db and vi names lead, 127.0.0.1:port.
	Addr string
	DN   string
	PACS []string
}

// Fleet is a set of running simulated DRIMboxes.
type Fleet struct {
	Zone  string
	PKI   *testpki.PKI
	Boxes []Box
	// Canary is a loopback address that accepts connections.
	Canary string

	servers []*http.Server
	lns     []net.Listener
}

// PACS are the PACS every simulated DRIMbox has.
var PACS = []string{"pacs-1", "pacs-2"}

// Start issues the certificates and starts one TLS server per DRIMbox.
func Start(opts Options) (*Fleet, error) {
	if opts.Zone == "" {
		opts.Zone = "test.mesimagesmedicales.fr"
	}
	if opts.SlowDelay <= 0 {
		opts.SlowDelay = 1500 * time.Millisecond
	}
	if opts.Now.IsZero() {
		return nil, fmt.Errorf("sim: Options.Now is required: pass the clock the probe checks certificates against")
	}
	pki, err := testpki.New(testpki.Options{Now: opts.Now, Name: "IGC-SIMULEE"})
	if err != nil {
		return nil, err
	}
	// One key for every leaf keeps startup fast with thousands of
	// DRIMboxes; RSA-2048, as the IGC Santé issues to servers, so that each
	// handshake costs the server what it costs a real DRIMbox.
	leafKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	f := &Fleet{Zone: opts.Zone, PKI: pki, Boxes: make([]Box, len(opts.Kinds))}
	certs := make([]tls.Certificate, len(opts.Kinds))
	if err := parallel(len(opts.Kinds), func(i int) error {
		id := i + 1
		if i < len(opts.IDs) {
			id = opts.IDs[i]
		}
		b := Box{ID: id, Kind: opts.Kinds[i], DN: DN(id, opts.Zone), PACS: PACS}
		if dn, ok := opts.Subjects[id]; ok {
			b.DN = dn
		}
		if p, ok := opts.PACS[id]; ok {
			b.PACS = p
		}
		f.Boxes[i] = b
		c, err := f.leaf(b, opts, leafKey)
		certs[i] = c
		return err
	}); err != nil {
		return nil, err
	}
	quiet := log.New(io.Discard, "", 0)
	// Down DRIMboxes' ports stay held until every listener is open, so
	// that no other server of the fleet gets one of them.
	var held []net.Listener
	defer func() {
		for _, ln := range held {
			ln.Close()
		}
	}()
	for i := range f.Boxes {
		b := &f.Boxes[i]
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("listening for DRIMbox %d: %w", b.ID, err)
		}
		b.Addr = ln.Addr().String()
		if b.Kind == Down {
			held = append(held, ln) // closed at the end: connections are refused
			continue
		}
		tln := tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{certs[i]}, MinVersion: tls.VersionTLS12})
		srv := &http.Server{Handler: handler(*b, opts.SlowDelay), ErrorLog: quiet, ReadHeaderTimeout: 10 * time.Second}
		f.servers = append(f.servers, srv)
		f.lns = append(f.lns, tln)
		go srv.Serve(tln)
	}
	canary, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		f.Close()
		return nil, err
	}
	f.lns = append(f.lns, canary)
	f.Canary = canary.Addr().String()
	go func() {
		for {
			c, err := canary.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return f, nil
}

// DN is the registered subject of simulated DRIMbox id.
func DN(id int, zone string) string {
	return "CN=db" + strconv.Itoa(id) + "." + zone + ",OU=300000001831981,O=CABINET DE RADIOLOGIE FICTIF,ST=Côte-d'Or (21),C=FR"
}

// handler serves the status endpoint as a DRIMbox of its kind would.
func handler(b Box, slow time.Duration) http.Handler {
	type pacs struct {
		ID     string `json:"id"`
		State  string `json:"state"`
		Detail string `json:"detail,omitempty"`
	}
	report := struct {
		Version string `json:"version"`
		PACS    []pacs `json:"pacs"`
	}{Version: "1", PACS: []pacs{}}
	for i, id := range b.PACS {
		p := pacs{ID: id, State: "up"}
		if b.Kind == PACSDown && i == len(b.PACS)-1 {
			p.State, p.Detail = "down", "Le PACS ne répond pas aux requêtes C-FIND"
		}
		report.PACS = append(report.PACS, p)
	}
	body, _ := json.Marshal(report)
	mux := http.NewServeMux()
	mux.HandleFunc(probe.DefaultPath, func(w http.ResponseWriter, r *http.Request) {
		if b.Kind == Slow {
			select {
			case <-time.After(slow):
			case <-r.Context().Done():
				return
			}
		}
		if b.Kind == NoStatus {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
	return mux
}

// DBName and VIName are the national names of DRIMbox id in the fleet's zone.
func (f *Fleet) DBName(id int) string { return "db" + strconv.Itoa(id) + "." + f.Zone }

// VIName is the viewer access point's name.
func (f *Fleet) VIName(id int) string { return "vi" + strconv.Itoa(id) + "." + f.Zone }

// Targets returns what the prober needs to probe the fleet.
func (f *Fleet) Targets() []probe.Target {
	out := make([]probe.Target, len(f.Boxes))
	for i, b := range f.Boxes {
		out[i] = probe.Target{ID: b.ID, DB: f.DBName(b.ID), VI: f.VIName(b.ID), DN: b.DN, PACS: b.PACS}
	}
	return out
}

// Resolve pins every national name of the fleet to its loopback server,
// as --resolve would.
func (f *Fleet) Resolve() map[string]string {
	out := make(map[string]string, 2*len(f.Boxes))
	for _, b := range f.Boxes {
		out[f.DBName(b.ID)+":443"] = b.Addr
		out[f.VIName(b.ID)+":443"] = b.Addr
	}
	return out
}

// Roots is the pool holding the fleet's root certificate.
func (f *Fleet) Roots() *x509.CertPool { return f.PKI.RootPool() }

// Close stops every server.
func (f *Fleet) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, s := range f.servers {
		s.Shutdown(ctx)
	}
	for _, l := range f.lns {
		l.Close()
	}
}
