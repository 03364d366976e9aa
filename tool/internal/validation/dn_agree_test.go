package validation

import (
	"bufio"
	"crypto/x509"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/testpki"
	"github.com/drim-m/trust-space/tool/internal/whitelist"
)

// TestDNReadersAgree: for each DN of package dn's table (benign and
// hostile), the registry rule, the list builder and the probe say the
// same: all accept it, or all refuse it. The probe is shown a certificate
// whose subject is encoded exactly as the DN is written (a repeated or
// multi-valued attribute included) and compares it with the DN as
// registered.
func TestDNReadersAgree(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	pki, err := testpki.New(testpki.Options{Now: at})
	if err != nil {
		t.Fatal(err)
	}
	const db1 = "db1.test.mesimagesmedicales.fr"
	b1 := "operators/operateur-001/drimboxes/1.yaml"
	dnLine := regexp.MustCompile(`(?m)^    dn: .*$`)
	for _, tc := range dnCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			// The table names db3; DRIMbox 1 is the sample's operational one.
			value := strings.NewReplacer("db3.", "db1.", "6462332e", "6462312e").Replace(tc.dn)
			dir := sample(t)
			p := filepath.Join(dir, b1)
			rec, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			rec = dnLine.ReplaceAll(rec, []byte("    dn: "+strconv.Quote(value)))
			if err := os.WriteFile(p, rec, 0o644); err != nil {
				t.Fatal(err)
			}
			r, fs, err := registry.LoadAs(dir, "registry")
			if err != nil || len(fs) > 0 {
				t.Fatalf("loading the registry: %v %v", err, fs)
			}
			if got := r.DRIMbox(1).Certificates.Server.DN; got != value {
				t.Fatalf("the record holds %q, not %q", got, value)
			}

			var ruleRefuses bool
			for _, f := range Check(r) {
				if f.Rule == "DN-FORMAT" || f.Rule == "DN-CN" {
					ruleRefuses = true
				}
			}
			_, buildErr := whitelist.Build(r, nil, at)

			c, err := pki.IssueServer(testpki.ServerRequest{DNSNames: []string{db1}, SubjectDN: value})
			if err != nil {
				// Not a name Go puts in a certificate: the probe is served
				// the right one and still compares it with what is
				// registered.
				c, err = pki.IssueServer(testpki.ServerRequest{DNSNames: []string{db1}, SubjectDN: "CN=" + db1 + ",OU=312345678900017,O=CENTRE FICTIF,C=FR"})
			}
			if err != nil {
				t.Fatal(err)
			}
			leaf, err := x509.ParseCertificate(c.TLS().Certificate[0])
			if err != nil {
				t.Fatal(err)
			}
			_, probeMatches := probe.MatchDN(leaf, value, db1)

			accept := tc.want == "ok"
			if ruleRefuses == accept || (buildErr == nil) != accept || probeMatches != accept {
				t.Fatalf("DN %q: want all to accept = %v; the rule refuses = %v, the builder says %v, the probe matches = %v", value, accept, ruleRefuses, buildErr, probeMatches)
			}
		})
	}
}

// dnCases reads package dn's table of server DNs.
func dnCases(t *testing.T) []struct{ name, dn, want string } {
	t.Helper()
	f, err := os.Open("../../listeblanche/dn/testdata/server-dns.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []struct{ name, dn, want string }
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "\t")
		if len(parts) != 3 {
			t.Fatalf("%q is not name, DN and outcome", line)
		}
		dn, err := strconv.Unquote(parts[1])
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, struct{ name, dn, want string }{parts[0], dn, parts[2]})
	}
	if len(out) == 0 {
		t.Fatal("no DN in the table")
	}
	return out
}
