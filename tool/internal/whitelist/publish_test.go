package whitelist

import (
	"crypto/x509"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/drim-m/trust-space/tool/internal/testpki"
	"github.com/drim-m/trust-space/tool/listeblanche/xades"
)

func publishOptions(t *testing.T, dir string, l *List) PublishOptions {
	p := pki(t)
	return PublishOptions{
		Dir:    dir,
		List:   l,
		Sign:   xades.SignOptions{Key: p.Signer.Key, Chain: []*x509.Certificate{p.Signer.Cert, p.OrgCA.Cert, p.Root.Cert}, Time: l.Generated},
		Verify: testOptions(t, l.Generated),
	}
}

// snapshot reads every file under dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			out[p] = string(b)
		}
		return nil
	})
	return out
}

func TestPublish(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "whitelist")
	first := buildTestList(t)
	pub, err := Publish(publishOptions(t, dir, first))
	if err != nil {
		t.Fatal(err)
	}
	if pub.Entry.Sequence != 1 || pub.Entry.PreviousSHA256 != "" || pub.Entry.Entries != 2 {
		t.Errorf("first entry = %+v", pub.Entry)
	}
	xmllintValidate(t, pub.Signed)
	xmlsecVerify(t, pub.Current)

	second := buildTestList(t)
	second.Generated = first.Generated.Add(24 * time.Hour)
	second.Domains = second.Domains[:1]
	pub2, err := Publish(publishOptions(t, dir, second))
	if err != nil {
		t.Fatal(err)
	}
	if pub2.Entry.Sequence != 2 || pub2.Entry.PreviousSHA256 != pub.Entry.SHA256 {
		t.Errorf("second entry = %+v", pub2.Entry)
	}
	ix, err := ReadIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckIndex(dir, ix); err != nil {
		t.Errorf("the index does not check: %v", err)
	}
	hist, _ := os.ReadDir(filepath.Join(dir, HistoryDir))
	if len(hist) != 2 {
		t.Errorf("%d dated copies, want 2", len(hist))
	}
	if got := readFile(t, pub2.Current); string(got) != string(readFile(t, pub2.History)) {
		t.Error("the current list is not the last dated copy")
	}

	// Each refusal leaves the folder as it was.
	before := snapshot(t, dir)
	other, err := testpki.New(testpki.Options{Name: "AUTRE-IGC", Now: fixedAt})
	if err != nil {
		t.Fatal(err)
	}
	third := buildTestList(t)
	third.Generated = second.Generated.Add(time.Hour)
	refusals := map[string]func() PublishOptions{
		"same generation time":  func() PublishOptions { return publishOptions(t, dir, second) },
		"older generation time": func() PublishOptions { return publishOptions(t, dir, first) },
		"signature that does not verify": func() PublishOptions {
			o := publishOptions(t, dir, third)
			o.Verify.Signature.Roots = []*x509.Certificate{other.Root.Cert}
			return o
		},
		"key that does not match the certificate": func() PublishOptions {
			o := publishOptions(t, dir, third)
			o.Sign.Key = other.Signer.Key
			return o
		},
	}
	refusalSays := map[string]string{
		"same generation time":                    "the list goes back in time",
		"older generation time":                   "the list goes back in time",
		"signature that does not verify":          "does not chain to a pinned root",
		"key that does not match the certificate": "the key does not match the signer certificate",
	}
	for name, opts := range refusals {
		t.Run(name, func(t *testing.T) {
			_, err := Publish(opts())
			if err == nil {
				t.Fatal("published")
			}
			if !strings.Contains(err.Error(), refusalSays[name]) {
				t.Errorf("refused for another reason than %q: %v", refusalSays[name], err)
			}
			if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
				t.Errorf("the folder changed (-before +after):\n%s", diff)
			}
		})
	}
	t.Run("folder changed outside drimm", func(t *testing.T) {
		os.WriteFile(pub2.Current, []byte("edited"), 0o644)
		defer os.WriteFile(pub2.Current, []byte(before[pub2.Current]), 0o644)
		_, err := Publish(publishOptions(t, dir, third))
		if err == nil || !strings.Contains(err.Error(), "does not hold the published bytes") {
			t.Fatalf("publishing over a tampered folder: got %v", err)
		}
	})
}

func TestPublishUndoesAFailedWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "whitelist")
	if _, err := Publish(publishOptions(t, dir, buildTestList(t))); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	// The index cannot be replaced: it is now a folder holding a file.
	index := filepath.Join(dir, IndexFile)
	os.Rename(index, index+".saved")
	os.MkdirAll(filepath.Join(index, "x"), 0o755)
	p := &Published{
		Current: filepath.Join(dir, CurrentFile),
		History: filepath.Join(dir, HistoryDir, "LISTEBLANCHE_DRIM-M.later.xml"),
		Signed:  []byte("new"),
	}
	if err := writePublished(dir, p, []byte("{}")); err == nil {
		t.Fatal("writing succeeded")
	}
	os.RemoveAll(index)
	os.Rename(index+".saved", index)
	if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
		t.Errorf("a failed publish left changes (-before +after):\n%s", diff)
	}
	if _, err := os.Stat(p.History); !errors.Is(err, fs.ErrNotExist) {
		t.Error("the dated copy of a failed publish survives")
	}
}

// xmlsecVerify checks a published list with the independent xmlsec1.
func xmlsecVerify(t *testing.T, file string) {
	t.Helper()
	requireTool(t, "xmlsec1", "xmlsec1")
	files, err := pki(t).WriteFiles(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("xmlsec1", "--verify", "--trusted-pem", files.Root, "--untrusted-pem", files.OrgCA,
		"--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
		"--verification-time", fixedAt.Format("2006-01-02 15:04:05"), file).CombinedOutput()
	if err != nil {
		t.Errorf("xmlsec1 refuses %s: %v\n%s", file, err, out)
	}
}
