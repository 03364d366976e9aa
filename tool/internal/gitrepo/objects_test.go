package gitrepo

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/objfile"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"

	"github.com/drim-m/trust-space/tool/internal/registry"

	"github.com/drim-m/trust-space/tool/internal/hugemem"
)

// alikeRepo makes a repository of records written alike, over three
// commits, so that git gc stores most of them as deltas of one another,
// two and more deep; one file is over registry.MaxFileSize, one is empty.
func alikeRepo(t *testing.T, files int) string {
	t.Helper()
	root := t.TempDir()
	run(t, root, "init", "-q", "-b", "main", ".")
	run(t, root, "config", "gc.auto", "0")
	m := map[string]string{
		"big.bin":   strings.Repeat("drimm ", registry.MaxFileSize/6+10),
		"empty.txt": "",
	}
	for round := range 3 {
		for i := range files {
			m[fmt.Sprintf("registry/operators/op-%d/drimboxes/%d.yaml", i%7, i)] = fmt.Sprintf(
				"identifiant: %d\nstatus: declared\nendpoints:\n  db: db-%d.example\n  vi: vi-%d.example\n%s",
				i, i, i, strings.Repeat(fmt.Sprintf("    COND-%02d: {operator: conforme}\n", round), 40+i%5))
		}
		write(t, root, m)
		run(t, root, "add", "-A")
		run(t, root, "commit", "-q", "-m", fmt.Sprintf("round %d", round))
	}
	return root
}

// blobHashes lists every blob of every commit.
func blobHashes(t *testing.T, root string) []plumbing.Hash {
	t.Helper()
	var out []plumbing.Hash
	for _, line := range strings.Split(run(t, root, "cat-file", "--batch-all-objects", "--batch-check"), "\n") {
		f := strings.Fields(line)
		if len(f) == 3 && f[1] == "blob" {
			out = append(out, plumbing.NewHash(f[0]))
		}
	}
	if len(out) < 100 {
		t.Fatalf("only %d blobs", len(out))
	}
	return out
}

// sameAsGoGit reads every blob through the object store and through
// go-git, and requires the same bytes and size; the store must read every
// one (a store that declined everything would pass otherwise).
func sameAsGoGit(t *testing.T, root string) {
	t.Helper()
	r, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range blobHashes(t, root) {
		want, err := readBlob(r.repo, treeEntry{name: h.String(), hash: h})
		if err != nil {
			t.Fatal(err)
		}
		data, size, ok := r.objects.blob(h, registry.MaxFileSize)
		if !ok {
			t.Fatalf("%s: the object store declined a blob git wrote", h)
		}
		if size != want.size || !bytes.Equal(data, want.data) || (data == nil) != (want.data == nil) {
			t.Fatalf("%s: %d bytes (size %d), go-git reads %d (size %d)", h, len(data), size, len(want.data), want.size)
		}
	}
}

// TestObjectStoreSameAsGoGit: loose, packed with offset deltas, packed
// with deltas naming their base, in several packs, and read object by
// object rather than whole, each blob reads as go-git reads it.
func TestObjectStoreSameAsGoGit(t *testing.T) {
	root := alikeRepo(t, 300)
	t.Run("loose", func(t *testing.T) { sameAsGoGit(t, root) })
	run(t, root, "gc", "-q")
	if v := run(t, root, "verify-pack", "-s", filepath.Join(root, ".git/objects/pack", packName(t, root))); !strings.Contains(v, "chain length = 2") {
		t.Fatalf("git gc made no delta chains:\n%s", v)
	}
	t.Run("packed", func(t *testing.T) { sameAsGoGit(t, root) })
	t.Run("packed, small base budget", func(t *testing.T) {
		defer func(b int) { baseBudget = b }(baseBudget)
		baseBudget = 4096
		sameAsGoGit(t, root)
	})
	t.Run("packed, read object by object", func(t *testing.T) {
		defer func(w int64) { wholePack = w }(wholePack)
		wholePack = 0
		sameAsGoGit(t, root)
	})
	run(t, root, "-c", "repack.useDeltaBaseOffset=false", "repack", "-q", "-a", "-d", "-f")
	t.Run("packed, bases named", func(t *testing.T) { sameAsGoGit(t, root) })
	write(t, root, map[string]string{"registry/new.yaml": "identifiant: 1\n"})
	run(t, root, "add", "-A")
	run(t, root, "commit", "-q", "-m", "one more")
	run(t, root, "repack", "-q")
	t.Run("two packs", func(t *testing.T) { sameAsGoGit(t, root) })
}

func packName(t *testing.T, root string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(root, ".git/objects/pack/*.idx"))
	if len(m) != 1 {
		t.Fatalf("%d packs", len(m))
	}
	return filepath.Base(m[0])
}

// TestObjectStoreDeclines: a loose object git would not have written (a
// stream with bytes after it, a size that does not match, a header of
// another form) is declined, and the change then reads through go-git
// exactly as it did before the store existed.
func TestObjectStoreDeclines(t *testing.T) {
	root := alikeRepo(t, 40)
	r, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	h := plumbing.NewHash(run(t, root, "rev-parse", "HEAD:registry/operators/op-0/drimboxes/0.yaml"))
	file := filepath.Join(root, ".git/objects", h.String()[:2], h.String()[2:])
	want, err := readBlob(r.repo, treeEntry{hash: h})
	if err != nil {
		t.Fatal(err)
	}
	zip := func(s string) []byte {
		var b bytes.Buffer
		w := zlib.NewWriter(&b)
		w.Write([]byte(s))
		w.Close()
		return b.Bytes()
	}
	good := zip(fmt.Sprintf("blob %d\x00%s", len(want.data), want.data))
	if _, _, ok := inflateLoose(good, registry.MaxFileSize, nil); !ok {
		t.Fatal("the object as git writes it is declined")
	}
	for name, raw := range map[string][]byte{
		"bytes after the stream": append(bytes.Clone(good), 'x'),
		"size too large":         zip(fmt.Sprintf("blob %d\x00%s", len(want.data)+1, want.data)),
		"size with a zero":       zip(fmt.Sprintf("blob 0%d\x00%s", len(want.data), want.data)),
		"not a blob":             zip(fmt.Sprintf("tree %d\x00%s", len(want.data), want.data)),
		"no header end":          zip("blob 12345678901234567890123456789"),
		"truncated stream":       good[:len(good)-3],
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, ok := inflateLoose(raw, registry.MaxFileSize, nil); ok {
				t.Fatal("accepted")
			}
			if err := os.Chmod(file, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, raw, 0o444); err != nil {
				t.Fatal(err)
			}
			r, err := Open(root)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, ok := r.objects.blob(h, registry.MaxFileSize); ok {
				t.Fatal("the store read it")
			}
			gotErr := ""
			got, err := r.readBlobs([]treeEntry{{name: "f", hash: h}})
			if err != nil {
				gotErr = err.Error()
			}
			fresh, _ := Open(root)
			wantBlob, err := readBlob(fresh.repo, treeEntry{name: "f", hash: h})
			wantErr := ""
			if err != nil {
				wantErr = err.Error()
			}
			if gotErr != wantErr || (gotErr == "" && !bytes.Equal(got[h].data, wantBlob.data)) {
				t.Fatalf("read %q, error %q; go-git reads %q, error %q", got[h].data, gotErr, wantBlob.data, wantErr)
			}
		})
	}
}

// fuzzArena serves the fuzz targets' blobs as the store's arena does.
var fuzzArena hugemem.Arena

// FuzzPatch holds the delta reader to go-git's: whatever delta it
// applies, it applies as go-git's PatchDelta does.
func FuzzPatch(f *testing.F) {
	f.Add([]byte("identifiant: 1\nstatus: declared\n"), []byte("\x20\x21\x90\x0e\x13status: operational\n"))
	f.Add([]byte("abc"), []byte("\x03\x03\x91\x00\x03"))
	f.Add([]byte("abc"), []byte("\x03\x06\x90\x03\x03xyz"))
	f.Add([]byte("a"), []byte("\x01\x00"))
	f.Add([]byte("abc"), []byte("\x03\x02\x80\x00"))
	f.Fuzz(func(t *testing.T, base, delta []byte) {
		got, ok := patch(base, delta, &fuzzArena)
		if !ok {
			return
		}
		want, err := packfile.PatchDelta(base, delta)
		if err != nil {
			t.Fatalf("patch applies what go-git refuses (%v)", err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("patch gives %q, go-git %q", got, want)
		}
	})
}

// FuzzLooseObject holds the loose object reader to go-git's: whatever
// file it reads, go-git reads as the same blob.
func FuzzLooseObject(f *testing.F) {
	for _, s := range []string{"blob 0\x00", "blob 5\x00hello", "blob 05\x00hello", "tree 0\x00", "blob 3\x00hello"} {
		var b bytes.Buffer
		w := zlib.NewWriter(&b)
		w.Write([]byte(s))
		w.Close()
		f.Add(b.Bytes())
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, size, ok := inflateLoose(raw, 64, &fuzzArena)
		if !ok {
			return
		}
		r, err := objfile.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("go-git refuses what is read (%v)", err)
		}
		typ, wantSize, err := r.Header()
		if err != nil || typ != plumbing.BlobObject || wantSize != size {
			t.Fatalf("go-git reads %v of %d (%v), the store a blob of %d", typ, wantSize, err, size)
		}
		var want bytes.Buffer
		if _, err := want.ReadFrom(r); err != nil {
			t.Fatalf("go-git fails to read what is read (%v)", err)
		}
		if int64(want.Len()) != size || (size <= 64 && !bytes.Equal(got, want.Bytes())) {
			t.Fatalf("the store reads %q (size %d), go-git %q", got, size, want.Bytes())
		}
	})
}
