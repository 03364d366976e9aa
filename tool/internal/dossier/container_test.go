package dossier

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

const recordPath = "testdata/registry/operators/alpha-imagerie/drimboxes/1.yaml"

func loadFixture(t *testing.T) (*registry.Registry, *registry.DRIMbox) {
	t.Helper()
	r, fs, err := registry.Load("testdata/registry")
	if err != nil || len(fs) > 0 {
		t.Fatalf("loading the fixture registry: %v %v", err, fs)
	}
	return r, r.DRIMbox(1)
}

// copyContainer copies the good container into a temporary folder the
// test may change.
func copyContainer(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir("testdata/zed/good", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, d.Name()), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// where renders findings as "path:line:RULE" with the container shown as
// "zed", sorted.
func where(fs []registry.Finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s:%03d:%s", f.Path, f.Line, f.Rule))
	}
	slices.Sort(out)
	return out
}

func TestVerifyGoodContainer(t *testing.T) {
	r, d := loadFixture(t)
	rep, err := Verify(context.Background(), r, d, "testdata/zed/good", "zed")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) > 0 {
		t.Errorf("findings on the good container: %v", rep.Findings)
	}
	if len(rep.Files) != 5 {
		t.Errorf("verified %d files, want 5: %+v", len(rep.Files), rep.Files)
	}
	templates := 0
	for _, f := range rep.Files {
		if !f.Match {
			t.Errorf("%s does not match", f.Name)
		}
		if f.Template != "" {
			templates++
		}
	}
	if templates != 3 {
		t.Errorf("checked %d templates, want 3", templates)
	}
}

func TestVerifyBadContainers(t *testing.T) {
	const pas = "COND-03_plan-assurance-securite.pdf"
	rec := recordPath
	tests := []struct {
		name   string
		change func(t *testing.T, dir string, d *registry.DRIMbox)
		want   []string
		msg    string // a finding's message contains it
	}{
		{"missing document", func(t *testing.T, dir string, _ *registry.DRIMbox) {
			must(t, os.Remove(filepath.Join(dir, pas)))
		}, []string{rec + ":028:ZED-MISSING"}, "is not in the container; add it"},
		{"other version", func(t *testing.T, dir string, _ *registry.DRIMbox) {
			appendTo(t, filepath.Join(dir, pas), "edited\n")
		}, []string{rec + ":028:ZED-DIGEST"}, "another version"},
		{"unlisted file", func(t *testing.T, dir string, _ *registry.DRIMbox) {
			must(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("brouillon\n"), 0o644))
		}, []string{"zed/notes.txt:001:ZED-UNLISTED"}, "does not list this file"},
		{"document replaced by a link", func(t *testing.T, dir string, _ *registry.DRIMbox) {
			must(t, os.Rename(filepath.Join(dir, pas), filepath.Join(dir, "pas.pdf")))
			must(t, os.Symlink("pas.pdf", filepath.Join(dir, pas)))
		}, []string{rec + ":028:ZED-MISSING", "zed/" + pas + ":001:ZED-SYMLINK", "zed/pas.pdf:001:ZED-UNLISTED"}, "symbolic link of that name"},
		{"link escaping the container", func(t *testing.T, dir string, _ *registry.DRIMbox) {
			must(t, os.Symlink("../../../../etc/passwd", filepath.Join(dir, "annexe.pdf")))
		}, []string{"zed/annexe.pdf:001:ZED-SYMLINK"}, "outside the container"},
		{"linked folder", func(t *testing.T, dir string, _ *registry.DRIMbox) {
			outside := t.TempDir()
			must(t, os.WriteFile(filepath.Join(outside, "secret.pdf"), []byte("x"), 0o644))
			must(t, os.Symlink(outside, filepath.Join(dir, "annexes")))
		}, []string{"zed/annexes:001:ZED-SYMLINK"}, "outside the container"},
		{"record name escaping", func(t *testing.T, _ string, d *registry.DRIMbox) {
			d.Dossier.Documents[1].Name = "../" + pas
		}, []string{rec + ":028:ZED-PATH", "zed/" + pas + ":001:ZED-UNLISTED"}, "not a plain file name"},
		{"named pipe", func(t *testing.T, dir string, _ *registry.DRIMbox) {
			must(t, syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644))
		}, []string{"zed/pipe:001:ZED-FILETYPE"}, "not a regular file"},
		{"name differs in case", func(t *testing.T, dir string, _ *registry.DRIMbox) {
			must(t, os.Rename(filepath.Join(dir, pas), filepath.Join(dir, strings.ToLower(pas))))
		}, []string{rec + ":028:ZED-MISSING", "zed/" + strings.ToLower(pas) + ":001:ZED-UNLISTED"}, "differs only in case"},
		{"document in a folder", func(t *testing.T, dir string, _ *registry.DRIMbox) {
			must(t, os.Mkdir(filepath.Join(dir, "COND-03"), 0o755))
			must(t, os.Rename(filepath.Join(dir, pas), filepath.Join(dir, "COND-03", pas)))
		}, []string{}, ""},
		{"document twice in folders", func(t *testing.T, dir string, _ *registry.DRIMbox) {
			data, err := os.ReadFile(filepath.Join(dir, pas))
			must(t, err)
			for _, sub := range []string{"a", "b"} {
				must(t, os.Mkdir(filepath.Join(dir, sub), 0o755))
				must(t, os.WriteFile(filepath.Join(dir, sub, pas), data, 0o644))
			}
			must(t, os.Remove(filepath.Join(dir, pas)))
		}, []string{rec + ":028:ZED-AMBIGUOUS"}, "appears 2 times"},
		{"template breaking its rules", func(t *testing.T, dir string, _ *registry.DRIMbox) {
			data, err := os.ReadFile("testdata/templates/raci-rules.csv")
			must(t, err)
			must(t, os.WriteFile(filepath.Join(dir, "COND-01_matrice-raci.csv"), data, 0o644))
		}, []string{
			rec + ":027:ZED-DIGEST",
			"zed/COND-01_matrice-raci.csv:001:RACI-PARTY", "zed/COND-01_matrice-raci.csv:002:RACI-ACCOUNTABLE",
			"zed/COND-01_matrice-raci.csv:002:RACI-RESPONSIBLE", "zed/COND-01_matrice-raci.csv:003:RACI-RESPONSIBLE",
			"zed/COND-01_matrice-raci.csv:004:RACI-LETTER", "zed/COND-01_matrice-raci.csv:005:RACI-ACTIVITY",
			"zed/COND-01_matrice-raci.csv:006:RACI-ACTIVITY",
		}, "Approbateur"},
		{"attestation not signed", func(t *testing.T, dir string, d *registry.DRIMbox) {
			unsigned := []byte("%PDF-1.7\n% Attestation d engagement, imprimee sans signature\n%%EOF\n")
			must(t, os.WriteFile(filepath.Join(dir, "COND-02_attestation-engagement.pdf"), unsigned, 0o644))
			d.Dossier.Attestations[0].SHA256 = fmt.Sprintf("%x", sha256.Sum256(unsigned))
		}, []string{"zed/COND-02_attestation-engagement.pdf:001:ZED-UNSIGNED"}, "carries no electronic signature"},
		{"attestation whose text only names a signature", func(t *testing.T, dir string, d *registry.DRIMbox) {
			words := []byte("%PDF-1.7\n1 0 obj\n<< /Length 90 >>\nstream\nBT (Signe : /Type /Sig /SubFilter /ETSI.CAdES.detached /ByteRange [0 1 2 3] /Contents <3082>) Tj ET\nendstream\nendobj\n%%EOF\n")
			must(t, os.WriteFile(filepath.Join(dir, "COND-02_attestation-engagement.pdf"), words, 0o644))
			d.Dossier.Attestations[0].SHA256 = fmt.Sprintf("%x", sha256.Sum256(words))
		}, []string{"zed/COND-02_attestation-engagement.pdf:001:ZED-UNSIGNED"}, "no signature dictionary"},
		{"attestation changed after it was signed", func(t *testing.T, dir string, d *registry.DRIMbox) {
			p := filepath.Join(dir, "COND-02_attestation-engagement.pdf")
			signed, err := os.ReadFile(p)
			must(t, err)
			changed := append(signed, "% une page ajoutée après la signature\n"...)
			must(t, os.WriteFile(p, changed, 0o644))
			d.Dossier.Attestations[0].SHA256 = fmt.Sprintf("%x", sha256.Sum256(changed))
		}, []string{"zed/COND-02_attestation-engagement.pdf:001:ZED-UNSIGNED"}, "changed after it was signed"},
		{"VA absent", func(t *testing.T, _ string, d *registry.DRIMbox) {
			d.Dossier.VA = &registry.VA{Variant: registry.VASegurIntegration, Document: "VA_1.pdf", SHA256: strings.Repeat("a", 64), IssuedOn: "2026-03-01"}
		}, []string{}, ""},
		{"VA of another version", func(t *testing.T, dir string, d *registry.DRIMbox) {
			d.Dossier.VA = &registry.VA{Variant: registry.VASegurIntegration, Document: "VA_1.pdf", SHA256: strings.Repeat("a", 64), IssuedOn: "2026-03-01"}
			must(t, os.WriteFile(filepath.Join(dir, "VA_1.pdf"), []byte("%PDF-1.4 VA fictive\n"), 0o644))
		}, []string{rec + ":016:ZED-DIGEST"}, "Validation d'Aptitude"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, d := loadFixture(t)
			dir := copyContainer(t)
			tt.change(t, dir, d)
			rep, err := Verify(context.Background(), r, d, dir, "zed")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, where(rep.Findings)); diff != "" {
				t.Errorf("findings (-want +got):\n%s\n%v", diff, rep.Findings)
			}
			if tt.msg != "" && !slices.ContainsFunc(rep.Findings, func(f registry.Finding) bool { return strings.Contains(f.Msg, tt.msg) }) {
				t.Errorf("no finding says %q: %v", tt.msg, rep.Findings)
			}
		})
	}
}

func TestVerifyRefusesMissingFolder(t *testing.T) {
	r, d := loadFixture(t)
	if _, err := Verify(context.Background(), r, d, filepath.Join(t.TempDir(), "absent"), "absent"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("verifying a missing folder: got %v, want a missing-folder error", err)
	}
}

func TestVerifyStopsWhenCancelled(t *testing.T) {
	r, d := loadFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Verify(ctx, r, d, "testdata/zed/good", "zed"); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled verification: got %v, want context.Canceled", err)
	}
}

// A 2 GiB document is streamed through the digest: the verification
// allocates a small fixed amount whatever the file's size. The file is
// sparse, so it costs no disk.
func TestVerifyStreamsLargeFile(t *testing.T) {
	const size = 2 << 30
	r, d := loadFixture(t)
	dir := copyContainer(t)
	big := filepath.Join(dir, "COND-03_annexe-volumineuse.bin")
	f, err := os.Create(big)
	must(t, err)
	must(t, f.Close())
	must(t, os.Truncate(big, size))

	h := sha256.New()
	zeros := make([]byte, 1<<20)
	for range size / len(zeros) {
		h.Write(zeros)
	}
	want := hex.EncodeToString(h.Sum(nil))
	d.Dossier.Documents = append(d.Dossier.Documents, registry.Document{Condition: "COND-03", Kind: "annexe", Name: filepath.Base(big), SHA256: want})

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	rep, err := Verify(context.Background(), r, d, dir, "zed")
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) > 0 {
		t.Errorf("findings: %v", rep.Findings)
	}
	i := slices.IndexFunc(rep.Files, func(f File) bool { return f.Name == filepath.Base(big) })
	if i < 0 || rep.Files[i].Size != size || rep.Files[i].SHA256 != want {
		t.Fatalf("large file not verified: %+v", rep.Files)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("verifying the container with a 2 GiB document allocated %d KiB", alloc>>10)
	if alloc > 32<<20 {
		t.Errorf("verifying a 2 GiB file allocated %d MiB; the digest must be streamed", alloc>>20)
	}
}

// BenchmarkDigest reports the digest throughput on a sparse 2 GiB file
// (run with -bench Digest -benchtime 1x).
func BenchmarkDigest(b *testing.B) {
	const size = 2 << 30
	dir := b.TempDir()
	p := filepath.Join(dir, "big.bin")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	f.Close()
	if err := os.Truncate(p, size); err != nil {
		b.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer root.Close()
	dg := newDigester(root)
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		if _, err := dg.digest(context.Background(), "big.bin", 0); err != nil {
			b.Fatal(err)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func appendTo(t *testing.T, p, s string) {
	t.Helper()
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	must(t, err)
	_, err = f.WriteString(s)
	must(t, err)
	must(t, f.Close())
}
