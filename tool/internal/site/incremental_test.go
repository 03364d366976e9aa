package site

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/buildid"

	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/drim-m/trust-space/tool/internal/status"
)

// TestIncrementalBuild builds the fixture, then builds again after one
// more run: only what changed is written, a DRIMbox whose state changed
// gets its new page, files no longer produced are removed, and the result
// is byte for byte what a full build makes.
func TestIncrementalBuild(t *testing.T) {
	data := fixture(t)
	out := filepath.Join(t.TempDir(), "site")
	opts := Options{Data: data, Notices: fixtureNotices(), Infos: fixtureInfos(), Now: buildTime, Days: 7, Out: out}
	full, err := BuildCount(opts)
	if err != nil {
		t.Fatal(err)
	}
	again, err := BuildCount(opts)
	if err != nil {
		t.Fatal(err)
	}
	if again != 0 {
		t.Errorf("an unchanged build wrote %d files, want 0", again)
	}

	// DRIMbox 1 goes down; DRIMbox 4 changes operator.
	at := buildTime.Add(time.Hour)
	run := &probe.Run{Start: at, End: at.Add(10 * time.Second), NetworkOK: true, Complete: true}
	for id := 1; id <= 4; id++ {
		r := probe.Result{ID: id, Verdict: probe.Up, DB: &probe.Check{Host: dbName(id), OK: true, HTTP: 200, Timings: probe.Timings{Total: 50 * time.Millisecond}}}
		if id == 1 {
			r.Verdict, r.Reasons, r.DB = probe.Down, []string{probe.ReasonDBDown, probe.ReasonTimeout}, &probe.Check{Host: dbName(id), Reason: probe.ReasonTimeout}
		}
		run.Results = append(run.Results, r)
	}
	if err := status.Apply(data, run, 2*time.Hour); err != nil {
		t.Fatal(err)
	}
	infos := fixtureInfos()
	infos[4] = Info{OperatorID: "delta-imagerie", Operator: "Delta Imagerie"}
	opts.Now, opts.Infos = at.Add(time.Minute), infos
	before, _ := os.ReadFile(filepath.Join(out, "drimbox", "1.html"))
	next, err := BuildCount(opts)
	if err != nil {
		t.Fatal(err)
	}
	if next == 0 || next >= full {
		t.Errorf("the build after one run wrote %d files (a full one writes %d)", next, full)
	}
	after, _ := os.ReadFile(filepath.Join(out, "drimbox", "1.html"))
	if string(before) == string(after) || !strings.Contains(string(after), "délai de réponse dépassé") {
		t.Errorf("DRIMbox 1's page was not rebuilt with its new state")
	}
	if _, err := os.Stat(filepath.Join(out, "operateur", "gamma-infogerance.html")); err == nil {
		t.Errorf("the page of an operator without DRIMbox is still there")
	}

	fresh := filepath.Join(t.TempDir(), "site")
	opts.Out = fresh
	if _, err := BuildCount(opts); err != nil {
		t.Fatal(err)
	}
	compareTrees(t, fresh, out)

	// A folder another drimm built is rebuilt whole: it may render any
	// file differently.
	opts.Out = out
	manifest := filepath.Join(out, manifestName)
	written, err := os.ReadFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	first, rest, _ := bytes.Cut(written, []byte("\n"))
	if string(first) != "drimm "+buildid.Digest() || buildid.Digest() == "" {
		t.Fatalf("the manifest starts with %q, want the running drimm's digest", first)
	}
	other := append([]byte("drimm 0123456789abcdef\n"), rest...)
	if err := os.WriteFile(manifest, other, 0o644); err != nil {
		t.Fatal(err)
	}
	if n, err := BuildCount(opts); err != nil || n < full {
		t.Errorf("a build over another drimm's folder wrote %d files (%v), want every one (%d or more)", n, err, full)
	}

	// Without its manifest the folder is rebuilt whole.
	if err := os.Remove(manifest); err != nil {
		t.Fatal(err)
	}
	n, err := BuildCount(opts)
	if err != nil {
		t.Fatal(err)
	}
	if n < full {
		t.Errorf("a build without manifest wrote %d files, want every one (%d or more)", n, full)
	}
}

// compareTrees fails unless a and b hold the same files with the same bytes.
func compareTrees(t *testing.T, a, b string) {
	t.Helper()
	files := func(root string) map[string]string {
		out := map[string]string{}
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(root, p)
			out[filepath.ToSlash(rel)] = string(data)
			return nil
		})
		return out
	}
	fa, fb := files(a), files(b)
	for name, data := range fa {
		if name == manifestName {
			continue
		}
		if other, ok := fb[name]; !ok {
			t.Errorf("%s: only in the full build", name)
		} else if other != data {
			t.Errorf("%s differs between the full and the incremental build", name)
		}
	}
	for name := range fb {
		if _, ok := fa[name]; !ok {
			t.Errorf("%s: only in the incremental build", name)
		}
	}
}
