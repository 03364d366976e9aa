package cli

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/testpki"
	"github.com/drim-m/trust-space/tool/internal/whitelist"
	"github.com/drim-m/trust-space/tool/listeblanche/xades"
)

const drimboxManual = "../../docs/manual/liste-blanche-for-drimboxes.md"

// manualBlocks returns the manual's indented shell blocks (continuation
// lines joined) and its fenced blocks of lang.
func manualBlocks(t *testing.T, lang string) (shell []string, fenced []string) {
	t.Helper()
	data, err := os.ReadFile(drimboxManual)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, m := range regexp.MustCompile("(?s)```"+lang+"\n(.*?)```").FindAllStringSubmatch(text, -1) {
		fenced = append(fenced, m[1])
	}
	text = regexp.MustCompile("(?s)```.*?```").ReplaceAllString(text, "")
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			shell = append(shell, strings.ReplaceAll(strings.Join(cur, "\n"), "\\\n", " "))
		}
		cur = nil
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "    ") && !strings.HasPrefix(strings.TrimSpace(line), "- ") {
			cur = append(cur, strings.TrimPrefix(line, "    "))
			continue
		}
		if strings.TrimSpace(line) == "" && len(cur) > 0 {
			continue
		}
		flush()
	}
	flush()
	return shell, fenced
}

// The DRIMbox manual's drimm commands, run as written against a loopback
// list server and a test PKI whose CRLs are served on loopback too: only
// the host of the list and the folders' roots are the test's. Then the
// manual's Python reads the entries.json they wrote.
func TestDRIMboxManualAsWritten(t *testing.T) {
	requireTool(t, "python3", "python3")
	t0 := time.Date(2026, 6, 19, 18, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	crls := map[string][]byte{}
	crlSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		der, ok := crls[r.URL.Path]
		if !ok {
			t.Errorf("the CRL server was asked for %s", r.URL.Path)
			http.NotFound(w, r)
			return
		}
		w.Write(der)
	}))
	defer crlSrv.Close()
	p, err := testpki.New(testpki.Options{Now: t0.Add(-time.Hour), CRLBaseURL: crlSrv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if crls["/org-ca.crl"], err = p.RevocationList(t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if crls["/root.crl"], err = p.RootRevocationList(t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	files, err := p.WriteFiles(filepath.Join(dir, "pki"))
	if err != nil {
		t.Fatal(err)
	}
	etc := filepath.Join(dir, "etc", "drimbox")
	os.MkdirAll(etc, 0o755)
	for src, dst := range map[string]string{files.Root: "igc-sante-root.pem", files.OrgCA: "igc-sante-org-ca.pem"} {
		data, _ := os.ReadFile(src)
		os.WriteFile(filepath.Join(etc, dst), data, 0o644)
	}

	// The list as the ANS signs it: the signer alone in KeyInfo.
	peerDN := "CN=db12.mesimagesmedicales.fr,OU=0002 999999999,O=CENTRE FICTIF,L=Paris,C=FR"
	l := &whitelist.List{Namespace: whitelist.DefaultNamespace, VersionFormat: whitelist.VersionFormat, Generated: t0,
		Domains: []whitelist.Domain{{ID: 12, DB: "db12.mesimagesmedicales.fr", Denomination: "OPERATEUR FICTIF", CertDN: peerDN,
			SupportContact: "support@operateur.example", Updated: t0}}}
	data, err := whitelist.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := xades.Sign(data, xades.SignOptions{Key: p.Signer.Key, Chain: []*x509.Certificate{p.Signer.Cert}, Time: t0})
	if err != nil {
		t.Fatal(err)
	}
	tlsCert, err := p.IssueServer(testpki.ServerRequest{DNSNames: []string{"listeblanche.mesimagesmedicales.fr"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/whitelist/LISTEBLANCHE_DRIM-M.xml", func(w http.ResponseWriter, r *http.Request) { w.Write(signed) })
	srv := httptest.NewUnstartedServer(mux)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{tlsCert.TLS()}}
	srv.StartTLS()
	defer srv.Close()
	peer, err := p.IssueServer(testpki.ServerRequest{DNSNames: []string{"db12.mesimagesmedicales.fr"}, SubjectDN: peerDN})
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "peer.pem"), peer.CertPEM(), 0o644)

	// Where the manual's commands meet the test: the list's host, the
	// folders' roots, the peer's file.
	local := strings.NewReplacer(
		"https://listeblanche.mesimagesmedicales.fr/", srv.URL+"/",
		"/etc/drimbox/", etc+"/",
		"/var/lib/drimbox/", filepath.Join(dir, "var", "lib", "drimbox")+"/",
		"/var/cache/drimbox/", filepath.Join(dir, "var", "cache", "drimbox")+"/",
		"/tmp/peer.pem", filepath.Join(dir, "peer.pem"),
	)
	bin := buildDrimm(t)
	env := append(os.Environ(), "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"), "HOME="+dir,
		"XDG_CACHE_HOME="+filepath.Join(dir, "cache"), "DRIMM_TEST_NOW="+t0.Add(time.Hour).Format(time.RFC3339),
		// The loopback server's certificate chains to the test root, as
		// the real one chains to a root in the system's store.
		"SSL_CERT_FILE="+files.Root)
	shell, python := manualBlocks(t, "python")
	ran := 0
	for _, block := range shell {
		if !strings.HasPrefix(block, "drimm ") {
			continue
		}
		cmd := exec.Command("sh", "-c", local.Replace(block))
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("the manual's\n%s\nfailed: %v\n%s", block, err, out)
		}
		ran++
	}
	if ran < 2 {
		t.Fatalf("%d drimm commands found in the manual, want the fetch and the peer check", ran)
	}
	entries := filepath.Join(dir, "var", "lib", "drimbox", "liste-blanche", "entries.json")
	if _, err := os.Stat(entries); err != nil {
		t.Fatalf("the manual's fetch wrote no entries.json: %v", err)
	}

	// The manual's Python, imported as written, at the test's clock.
	if len(python) != 1 {
		t.Fatalf("%d Python blocks in the manual, want 1", len(python))
	}
	py := filepath.Join(dir, "py")
	os.MkdirAll(py, 0o755)
	os.WriteFile(filepath.Join(py, "liste_blanche.py"), []byte(python[0]), 0o644)
	driver := `import datetime, json, sys, liste_blanche as m
path, dn, at = sys.argv[1], sys.argv[2], datetime.datetime.fromisoformat(sys.argv[3])
lb = m.load(path, at)
print(json.dumps([m.peer(lb, dn, "DB12.mesimagesmedicales.fr")["identifiant"], m.peer(lb, dn, "db13.mesimagesmedicales.fr"), m.peer(lb, dn.replace("CENTRE", "AUTRE"))]))
try:
    m.load(path, at + datetime.timedelta(hours=73))
    print("stale list accepted")
except ValueError as e:
    print(e)
`
	cmd := exec.Command("python3", "-c", driver, entries, peerDN, t0.Add(time.Hour).Format("2006-01-02T15:04:05+00:00"))
	cmd.Dir = py
	out, err := cmd.CombinedOutput()
	want := "[12, null, null]\nstop trusting: the list held is too old or its signer expired\n"
	if err != nil || string(out) != want {
		t.Fatalf("the manual's Python: %v\n%s\nwant:\n%s", err, out, want)
	}
}
