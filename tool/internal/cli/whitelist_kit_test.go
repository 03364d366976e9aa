package cli

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"encoding/xml"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/testpki"
	"github.com/drim-m/trust-space/tool/internal/whitelist/fetch"
)

// The homologation kit a vendor receives, played through what a DRIMbox
// runs: fetch keeps the valid list and writes exactly its signed entries
// as entries.json; every list the kit says to refuse leaves entries.json
// as it was; and 'whitelist peer' lists the peer of each entry, by its DN
// and its names, and no one else.
func TestHomologationKitThroughFetchAndPeer(t *testing.T) {
	at := time.Date(2026, 6, 19, 18, 6, 52, 0, time.UTC)
	dir := t.TempDir()
	kit := filepath.Join(dir, "kit")
	run := func(now time.Time, args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		env := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
			Now: func() time.Time { return now }, Getenv: func(string) string { return "" }, Root: dir}
		return Run(context.Background(), env, args), stdout.String(), stderr.String()
	}
	reg, err := filepath.Abs(sampleRegistry)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(at, "whitelist", "testvectors", "--registry", reg, "--out", kit, "--at", at.Format(time.RFC3339)); code != ExitOK {
		t.Fatalf("testvectors: exit %d\n%s", code, stderr)
	}
	var vectors struct {
		Vectors []struct{ File, Expect, CRL string } `json:"vectors"`
	}
	b, err := os.ReadFile(filepath.Join(kit, "testvectors.json"))
	if err != nil || json.Unmarshal(b, &vectors) != nil {
		t.Fatalf("testvectors.json: %v", err)
	}

	// The list server, with a TLS certificate of its own PKI.
	tlsPKI, err := testpki.New(testpki.Options{Now: at.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	tlsFiles, err := tlsPKI.WriteFiles(filepath.Join(dir, "tls"))
	if err != nil {
		t.Fatal(err)
	}
	tlsCert, err := tlsPKI.IssueServer(testpki.ServerRequest{DNSNames: []string{"listeblanche.test.mesimagesmedicales.fr"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	ls := &listServer{}
	srv := httptest.NewUnstartedServer(ls)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{tlsCert.TLS()}}
	srv.StartTLS()
	defer srv.Close()
	out := filepath.Join(dir, "lb")
	fetchAt := func(file, crl string) (int, string) {
		body, err := os.ReadFile(filepath.Join(kit, file))
		if err != nil {
			t.Fatal(err)
		}
		ls.serve(body)
		code, _, stderr := run(at, "whitelist", "fetch", "--url", srv.URL+"/LISTEBLANCHE_DRIM-M.xml", "--out", out,
			"--tls-ca", tlsFiles.Root, "--trust-anchor", filepath.Join(kit, "root.pem"), "--crl", filepath.Join(kit, crl))
		return code, stderr
	}

	if code, stderr := fetchAt("valid.xml", "crl.der"); code != ExitOK {
		t.Fatalf("the kit's valid list: exit %d\n%s", code, stderr)
	}
	kept, err := os.ReadFile(filepath.Join(out, fetch.EntriesFile))
	if err != nil {
		t.Fatal(err)
	}
	var got fetch.Entries
	if err := json.Unmarshal(kept, &got); err != nil {
		t.Fatal(err)
	}
	// The valid list is signed whole: its entries, as an ordinary parser
	// reads them, are what entries.json must hold.
	var doc struct {
		Domaines []struct {
			ID      int    `xml:"Identifiant"`
			DB      string `xml:"db"`
			VI      string `xml:"vi"`
			Denom   string `xml:"Denomination"`
			DN      string `xml:"DNCertificatOperateur"`
			Support string `xml:"SupportContact"`
		} `xml:"ListeDomaines>Domaine"`
	}
	valid, _ := os.ReadFile(filepath.Join(kit, "valid.xml"))
	if err := xml.Unmarshal(valid, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Domaines) == 0 || len(got.Entries) != len(doc.Domaines) {
		t.Fatalf("entries.json holds %d entries, the signed list %d", len(got.Entries), len(doc.Domaines))
	}
	for i, d := range doc.Domaines {
		e := got.Entries[i]
		if e.ID != d.ID || e.DB != d.DB || e.VI != d.VI || e.Denomination != d.Denom || e.CertDN != d.DN || e.SupportContact != d.Support {
			t.Errorf("entry %d: entries.json %+v, the signed list %+v", i, e, d)
		}
	}

	// Every list the kit says to refuse leaves entries.json as it was.
	refused := 0
	for _, v := range vectors.Vectors {
		if v.Expect != "refuse" || v.CRL != "crl.der" {
			continue
		}
		code, stderr := fetchAt(v.File, v.CRL)
		now, err := os.ReadFile(filepath.Join(out, fetch.EntriesFile))
		if code == ExitOK || err != nil || !bytes.Equal(now, kept) {
			t.Errorf("%s: exit %d, entries.json changed: %v\n%s", v.File, code, !bytes.Equal(now, kept), stderr)
		}
		refused++
	}
	if refused < 15 {
		t.Errorf("only %d of the kit's lists to refuse were played", refused)
	}

	// Each entry's peer is listed, by its DN and its db and vi names; the
	// same DN with another CN is not.
	for i, e := range got.Entries {
		for _, host := range []string{e.DB, e.VI} {
			if host == "" {
				continue
			}
			cert := issueWithSubject(t, tlsPKI, dir, "peer"+strconv.Itoa(i), e.CertDN)
			code, stdout, stderr := run(at.Add(time.Minute), "whitelist", "peer", "--list", out, "--cert", cert, "--host", host)
			if code != ExitOK || !strings.Contains(stdout, "listed: Identifiant "+strconv.Itoa(e.ID)) {
				t.Errorf("entry %d at %s: exit %d\n%s%s", e.ID, host, code, stdout, stderr)
			}
		}
		other := strings.Replace(e.CertDN, "CN="+e.DB, "CN=db999."+strings.SplitN(e.DB, ".", 2)[1], 1)
		cert := issueWithSubject(t, tlsPKI, dir, "other"+strconv.Itoa(i), other)
		if code, stdout, _ := run(at.Add(time.Minute), "whitelist", "peer", "--list", out, "--cert", cert); code != ExitFindings {
			t.Errorf("entry %d: a certificate of another name is listed (exit %d)\n%s", e.ID, code, stdout)
		}
	}
}

func issueWithSubject(t *testing.T, p *testpki.PKI, dir, name, subject string) string {
	t.Helper()
	c, err := p.IssueServer(testpki.ServerRequest{DNSNames: []string{"db.test.mesimagesmedicales.fr"}, SubjectDN: subject})
	if err != nil {
		t.Fatalf("issuing %s: %v", subject, err)
	}
	path := filepath.Join(dir, name+".pem")
	if err := os.WriteFile(path, c.CertPEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
