package whitelist

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/testpki"
)

// benchList is a list of n fictional entries.
func benchList(n int, at time.Time) *List {
	l := &List{Namespace: DefaultNamespace, VersionFormat: VersionFormat, Generated: at}
	for i := 1; i <= n; i++ {
		id := strconv.Itoa(i)
		l.Domains = append(l.Domains, Domain{
			ID: i, DB: "db" + id + ".test.mesimagesmedicales.fr", VI: "vi" + id + ".test.mesimagesmedicales.fr",
			Denomination:   fmt.Sprintf("OPERATEUR FICTIF %d", i%50),
			CertDN:         fmt.Sprintf("CN=db%d.test.mesimagesmedicales.fr,OU=3%014d,O=CENTRE D'IMAGERIE FICTIF %d,ST=Côte-d'Or (21),C=FR", i, i, i),
			SupportContact: fmt.Sprintf("support@operateur-%d.example", i%50),
			Updated:        at.Add(-time.Duration(i) * time.Minute),
		})
	}
	return l
}

// BenchmarkWhitelist10k signs a list of 10,000 entries through SoftHSM2
// and verifies it, each as a whole drimm process, side by side with
// xmlsec1 --sign (software key) and xmlsec1 --verify on the same document.
// It reports each in milliseconds and drimm's time over xmlsec1's.
//
//	go test -run '^$' -bench Whitelist10k -benchtime 5x ./tool/internal/whitelist/
func BenchmarkWhitelist10k(b *testing.B) {
	for _, tool := range [][2]string{{"go", "golang"}, {"xmlsec1", "xmlsec1"}, {"softhsm2-util", "softhsm2"}} {
		requireTool(b, tool[0], tool[1])
	}
	dir := b.TempDir()
	drimm := filepath.Join(dir, "drimm")
	if out, err := exec.Command("go", "build", "-o", drimm, filepath.Join(moduleRoot(b), "tool", "cmd", "drimm")).CombinedOutput(); err != nil {
		b.Fatalf("building drimm: %v\n%s", err, out)
	}
	// drimm and xmlsec1 run as whole processes on the real clock, so the
	// benchmark's certificates are issued at it.
	p, err := testpki.New(testpki.Options{Now: time.Now()})
	if err != nil {
		b.Fatal(err)
	}
	files, err := p.WriteFiles(filepath.Join(dir, "pki"))
	if err != nil {
		b.Fatal(err)
	}
	h, err := testpki.NewSoftHSM(filepath.Join(dir, "softhsm"))
	if err != nil {
		b.Fatal(err)
	}
	tok, err := h.CreateToken("drimm-bench", "135790", p.Signer, "liste-blanche")
	if err != nil {
		b.Fatal(err)
	}
	unsigned := filepath.Join(dir, "list.xml")
	data, err := Marshal(benchList(10000, p.Now()))
	if err != nil {
		b.Fatal(err)
	}
	os.WriteFile(unsigned, data, 0o644)
	env := append(os.Environ(), h.Env(), "DRIMM_PKCS11_PIN="+tok.PIN, "DRIMM_NO_CACHE=1")
	run := func(name string, args ...string) time.Duration {
		cmd := exec.Command(name, args...)
		cmd.Env = env
		cmd.Dir = dir
		start := time.Now()
		out, err := cmd.CombinedOutput()
		took := time.Since(start)
		if err != nil {
			b.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
		return took
	}

	signed := filepath.Join(dir, "signed.xml")
	drimmSign := []string{"whitelist", "sign", "--in", unsigned, "--out", signed, "--cert-chain", files.Chain,
		"--pkcs11-module", tok.Module, "--token-label", tok.Label, "--key-label", tok.KeyLabel}
	crlFile := filepath.Join(dir, "crl.der")
	crlDER, err := p.RevocationList(p.Now())
	if err != nil {
		b.Fatal(err)
	}
	os.WriteFile(crlFile, crlDER, 0o644)
	drimmVerify := []string{"whitelist", "verify", "--trust-anchor", files.Root, "--crl", crlFile, "--format", "json", signed}
	xmlsecVerify := []string{"--verify", "--trusted-pem", files.Root, "--untrusted-pem", files.OrgCA,
		"--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", signed}
	run(drimm, drimmSign...)
	// xmlsec1 signs a template of the same document: our signature with
	// the reference digests and the signature value emptied.
	template := filepath.Join(dir, "template.xml")
	os.WriteFile(template, emptySignature(b, readFile(b, signed)), 0o644)
	xmlsecSigned := filepath.Join(dir, "xmlsec-signed.xml")
	xmlsecSign := []string{"--sign", "--privkey-pem", files.SignerKey + "," + files.Signer,
		"--trusted-pem", files.Root, "--untrusted-pem", files.OrgCA,
		"--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", "--output", xmlsecSigned, template}
	run("xmlsec1", xmlsecSign...)
	if !bytes.Equal(readFile(b, xmlsecSigned)[:len(data)-30], readFile(b, signed)[:len(data)-30]) {
		b.Fatal("xmlsec1 and drimm did not sign the same document")
	}

	var ds, xs, dv, xv time.Duration
	b.ResetTimer()
	for range b.N {
		ds += run(drimm, drimmSign...)
		xs += run("xmlsec1", xmlsecSign...)
		dv += run(drimm, drimmVerify...)
		xv += run("xmlsec1", xmlsecVerify...)
	}
	n := float64(b.N)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / n }
	b.ReportMetric(ms(ds), "drimm-sign-ms")
	b.ReportMetric(ms(xs), "xmlsec1-sign-ms")
	b.ReportMetric(ms(dv), "drimm-verify-ms")
	b.ReportMetric(ms(xv), "xmlsec1-verify-ms")
	b.ReportMetric(float64(ds)/float64(xs), "sign-ratio")
	b.ReportMetric(float64(dv)/float64(xv), "verify-ratio")
}

// emptySignature blanks the reference digests and the signature value of a
// signed list, making the template xmlsec1 --sign fills in.
func emptySignature(b *testing.B, signed []byte) []byte {
	si := regexp.MustCompile(`<ds:SignedInfo>.*</ds:SignedInfo>`)
	loc := si.FindIndex(signed)
	if loc == nil {
		b.Fatal("no SignedInfo")
	}
	blanked := regexp.MustCompile(`<ds:DigestValue>[^<]*</ds:DigestValue>`).ReplaceAll(signed[loc[0]:loc[1]], []byte("<ds:DigestValue></ds:DigestValue>"))
	out := append(append(bytes.Clone(signed[:loc[0]]), blanked...), signed[loc[1]:]...)
	return regexp.MustCompile(`(<ds:SignatureValue [^>]*>)[^<]*<`).ReplaceAll(out, []byte("${1}<"))
}
