package cli

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/testpki"
	"github.com/drim-m/trust-space/tool/internal/whitelist"
	"github.com/drim-m/trust-space/tool/listeblanche/xades"
)

// A shell integration asks whether a peer is listed, from the entries a
// fetch wrote: by the DN as the ANS writes it, and by the name called.
func TestWhitelistPeer(t *testing.T) {
	t0 := time.Date(2026, 6, 19, 18, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	p, err := testpki.New(testpki.Options{Now: t0.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	files, err := p.WriteFiles(filepath.Join(dir, "pki"))
	if err != nil {
		t.Fatal(err)
	}
	crlDER, err := p.RevocationList(t0.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	crlFile := filepath.Join(dir, "pki", "crl.der")
	os.WriteFile(crlFile, crlDER, 0o644)
	tlsCert, err := p.IssueServer(testpki.ServerRequest{DNSNames: []string{"listeblanche.test.mesimagesmedicales.fr"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	ls := &listServer{}
	srv := httptest.NewUnstartedServer(ls)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{tlsCert.TLS()}}
	srv.StartTLS()
	defer srv.Close()

	dn := func(id string) string {
		return "CN=db" + id + ".test.mesimagesmedicales.fr,OU=0002 999999999,O=CENTRE FICTIF " + id + ",L=Paris,C=FR"
	}
	l := &whitelist.List{Namespace: whitelist.DefaultNamespace, VersionFormat: whitelist.VersionFormat, Generated: t0}
	for _, id := range []int{11, 12} {
		s := []string{"", "11", "12"}[id-10]
		l.Domains = append(l.Domains, whitelist.Domain{ID: id, DB: "db" + s + ".test.mesimagesmedicales.fr", VI: "vi" + s + ".test.mesimagesmedicales.fr",
			Denomination: "OPERATEUR FICTIF", CertDN: dn(s), SupportContact: "support@operateur.example", Updated: t0})
	}
	data, err := whitelist.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := xades.Sign(data, xades.SignOptions{Key: p.Signer.Key, Chain: []*x509.Certificate{p.Signer.Cert, p.OrgCA.Cert}, Time: t0})
	if err != nil {
		t.Fatal(err)
	}
	ls.serve(signed)
	out := filepath.Join(dir, "lb")
	run := func(now time.Time, args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		env := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
			Now: func() time.Time { return now }, Getenv: func(string) string { return "" }, Root: dir}
		return Run(context.Background(), env, args), stdout.String(), stderr.String()
	}
	if code, _, stderr := run(t0.Add(time.Hour), "whitelist", "fetch", "--url", srv.URL+"/LISTEBLANCHE_DRIM-M.xml", "--out", out,
		"--tls-ca", files.Root, "--trust-anchor", files.Root, "--crl", crlFile); code != ExitOK {
		t.Fatalf("fetch: exit %d\n%s", code, stderr)
	}

	// Peers' certificates: two listed, one whose subject differs by an
	// attribute's order, one the list does not name.
	peer := func(name, subject string) string {
		c, err := p.IssueServer(testpki.ServerRequest{DNSNames: []string{"db.test.mesimagesmedicales.fr"}, SubjectDN: subject})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name+".pem")
		os.WriteFile(path, c.CertPEM(), 0o644)
		return path
	}
	p11, p12 := peer("p11", dn("11")), peer("p12", dn("12"))
	reordered := peer("reordered", "CN=db11.test.mesimagesmedicales.fr,O=CENTRE FICTIF 11,OU=0002 999999999,L=Paris,C=FR")
	stranger := peer("stranger", dn("99"))
	at := t0.Add(2 * time.Hour)
	for _, tt := range []struct {
		name string
		args []string
		code int
		says string
	}{
		{"listed, by its db name", []string{"--cert", p11, "--host", "db11.test.mesimagesmedicales.fr"}, ExitOK, "listed: Identifiant 11, db11.test.mesimagesmedicales.fr (OPERATEUR FICTIF)"},
		{"listed, by its vi name", []string{"--cert", p12, "--host", "VI12.test.mesimagesmedicales.fr."}, ExitOK, "listed: Identifiant 12"},
		{"listed, a peer that called", []string{"--cert", p12}, ExitOK, "listed: Identifiant 12"},
		{"listed under another name", []string{"--cert", p11, "--host", "db12.test.mesimagesmedicales.fr"}, ExitFindings, "the entry of db12.test.mesimagesmedicales.fr names another certificate subject"},
		{"a name not in the list", []string{"--cert", p11, "--host", "db13.test.mesimagesmedicales.fr"}, ExitFindings, "no entry has the name db13.test.mesimagesmedicales.fr"},
		{"attributes in another order", []string{"--cert", reordered}, ExitFindings, "drimm: error: listeblanche: the peer is not in the Liste Blanche"},
		{"a stranger", []string{"--cert", stranger}, ExitFindings, "drimm: hint: refuse this peer"},
		{"no certificate", nil, ExitUsage, "--cert is required"},
		{"an unreadable certificate", []string{"--cert", filepath.Join(dir, "none.pem")}, ExitEnv, "drimm: hint: --cert must be a PEM or DER certificate"},
		{"no list", []string{"--cert", p11, "--list", filepath.Join(dir, "pki")}, ExitEnv, "drimm: hint: --list names the folder drimm whitelist fetch keeps"},
	} {
		args := append([]string{"whitelist", "peer", "--list", out}, tt.args...)
		code, stdout, stderr := run(at, args...)
		if code != tt.code || !strings.Contains(stdout+stderr, tt.says) {
			t.Errorf("%s: exit %d, want %d saying %q:\n%s%s", tt.name, code, tt.code, tt.says, stdout, stderr)
		}
	}

	// The entries file named directly, as JSON.
	code, stdout, _ := run(at, "whitelist", "peer", "--list", filepath.Join(out, "entries.json"), "--cert", p11, "--format", "json")
	var got struct {
		Listed bool `json:"listed"`
		Entry  struct {
			ID int    `json:"identifiant"`
			DN string `json:"dn_certificat_operateur"`
		} `json:"entry"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); code != ExitOK || err != nil || !got.Listed || got.Entry.ID != 11 || got.Entry.DN != dn("11") {
		t.Errorf("JSON: exit %d, %q: %v", code, stdout, err)
	}

	// A list past max_age trusts no one.
	if code, _, stderr := run(t0.Add(73*time.Hour), "whitelist", "peer", "--list", out, "--cert", p11); code != ExitStopTrusting || !strings.Contains(stderr, "more than 72h0m0s ago") {
		t.Errorf("a list past max_age: exit %d\n%s", code, stderr)
	}
}
