package github

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/drim-m/trust-space/tool/internal/testpki"
)

// pagesServer serves a Pages artifact over HTTPS on loopback as GitHub
// Pages does: files under their paths, an ETag, 304 on a match.
type pagesServer struct {
	mu   sync.Mutex
	site string
}

func (s *pagesServer) deploy(site string) { s.mu.Lock(); s.site = site; s.mu.Unlock() }

func (s *pagesServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	site := s.site
	s.mu.Unlock()
	data, err := os.ReadFile(filepath.Join(site, filepath.FromSlash(strings.TrimPrefix(r.URL.Path, "/"))))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	sum := sha256.Sum256(data)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "max-age=600")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(data)
}

// exclusionReachesDRIMbox plays what the manual's latency budget counts:
// a DRIMbox fetching from the Pages site holds DRIMbox 1; the ANS merges
// its exclusion; publish signs and deploys; the DRIMbox's next fetch
// refuses it. The time of the publish run here is logged: on GitHub, the
// runner's queue and the Pages deployment add to it.
func exclusionReachesDRIMbox(f *fixture, r *runner, pki *testpki.PKI, published time.Time) {
	t := f.t
	t.Helper()
	drimm := filepath.Join(f.dir, "drimbox-bin", "drimm")
	build := exec.Command("go", "build", "-o", drimm, "./tool/cmd/drimm")
	build.Dir, build.Env = repoRoot(t), f.env
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	box := filepath.Join(f.dir, "drimbox")
	for name, data := range map[string][]byte{"root.pem": pki.Root.CertPEM(), "org-ca.pem": pki.OrgCA.CertPEM()} {
		os.MkdirAll(box, 0o755)
		os.WriteFile(filepath.Join(box, name), data, 0o644)
	}
	tlsCert, err := pki.IssueServer(testpki.ServerRequest{DNSNames: []string{"listeblanche.mesimagesmedicales.fr"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	pages := &pagesServer{}
	pages.deploy(r.pages[len(r.pages)-1])
	srv := httptest.NewUnstartedServer(pages)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{tlsCert.TLS()}}
	srv.StartTLS()
	defer srv.Close()
	fetch := func(at time.Time) []int {
		t.Helper()
		crl, err := pki.RevocationList(at.Add(-time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(box, "crl.der"), crl, 0o644)
		cmd := exec.Command(drimm, "whitelist", "fetch", "--url", srv.URL+"/whitelist/LISTEBLANCHE_DRIM-M.xml",
			"--out", filepath.Join(box, "liste-blanche"), "--tls-ca", filepath.Join(box, "root.pem"),
			"--trust-anchor", filepath.Join(box, "root.pem"), "--ca", filepath.Join(box, "org-ca.pem"), "--crl", filepath.Join(box, "crl.der"))
		cmd.Env = append(append([]string(nil), f.env...), "DRIMM_TEST_NOW="+at.Format(time.RFC3339), "XDG_CACHE_HOME="+filepath.Join(box, "cache"))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("fetch at %s: %v\n%s", at, err, out)
		}
		data, err := os.ReadFile(filepath.Join(box, "liste-blanche", "entries.json"))
		if err != nil {
			t.Fatal(err)
		}
		var held struct {
			Entries []struct {
				ID int `json:"identifiant"`
			} `json:"entries"`
		}
		if err := json.Unmarshal(data, &held); err != nil {
			t.Fatal(err)
		}
		var ids []int
		for _, e := range held.Entries {
			ids = append(ids, e.ID)
		}
		return ids
	}
	listed := func(ids []int, id int) bool {
		for _, x := range ids {
			if x == id {
				return true
			}
		}
		return false
	}
	if ids := fetch(published.Add(5 * time.Minute)); !listed(ids, 1) {
		t.Fatalf("before the exclusion the DRIMbox holds %v, without DRIMbox 1", ids)
	}

	// The ANS merges the exclusion of DRIMbox 1.
	box1 := "registry/operators/alpha-imagerie/drimboxes/1.yaml"
	f.git(f.seed, "fetch", "-q", "origin")
	f.git(f.seed, "checkout", "-q", "-B", "main", "origin/main")
	f.edit(box1, "status: operational", "status: excluded")
	p := filepath.Join(f.seed, box1)
	data, _ := os.ReadFile(p)
	os.WriteFile(p, append(data, []byte("exclusion:\n  on: "+published.Format(time.DateOnly)+"\n  reason: Certificat serveur révoqué\n")...), 0o644)
	f.git(f.seed, "commit", "-q", "-am", "Exclusion of DRIMbox 1")
	f.git(f.seed, "push", "-q", "origin", "main")

	merged := published.Add(6 * time.Hour)
	r.env = append(r.env, "DRIMM_TEST_NOW="+merged.Format(time.RFC3339))
	start := time.Now()
	res := r.run("publish.yml")
	took := time.Since(start)
	expect(t, res, map[string]string{"publish": "success", "pages": "success"})
	pages.deploy(r.pages[len(r.pages)-1])
	// The next timer tick: at most 5 minutes 30 seconds later.
	ids := fetch(merged.Add(5*time.Minute + 30*time.Second))
	if listed(ids, 1) || len(ids) == 0 {
		t.Fatalf("after the exclusion was published the DRIMbox holds %v", ids)
	}
	load, _ := os.ReadFile("/proc/loadavg")
	t.Logf("exclusion: publish run %s here (load %s); budget = publish and Pages runs + 10 min Pages cache + 5 min 30 s timer",
		took.Round(time.Second), strings.Join(strings.Fields(string(load))[:3], " "))
}
