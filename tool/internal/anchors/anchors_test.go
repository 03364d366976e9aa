package anchors

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDir(t *testing.T) {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	with := t.TempDir()
	if err := os.WriteFile(filepath.Join(with, probe), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, env, dir string
		ok             bool
	}{
		{"default beside the repository", "", filepath.Join(root, "..", "shared", "anchors", "ans-liste-blanche"), dirHas(filepath.Join(root, "..", "shared", "anchors", "ans-liste-blanche"))},
		{"absolute", with, with, true},
		{"relative to the repository root", "tool/internal/anchors", filepath.Join(root, "tool", "internal", "anchors"), false},
		{"absent", filepath.Join(with, "nothing"), filepath.Join(with, "nothing"), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(Env, tt.env)
			dir, ok, err := Dir()
			if err != nil {
				t.Fatal(err)
			}
			if dir != tt.dir || ok != tt.ok {
				t.Errorf("Dir() = %s, %v; want %s, %v", dir, ok, tt.dir, tt.ok)
			}
		})
	}
}

func dirHas(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, probe))
	return err == nil
}

func TestRequired(t *testing.T) {
	for _, tt := range []struct {
		ci, interop string
		want        bool
	}{
		{"", "", false},
		{"true", "", true},
		{"true", "skip", false},
		{"false", "", false},
	} {
		t.Setenv("CI", tt.ci)
		t.Setenv("DRIMM_ANS_INTEROP", tt.interop)
		if got := required(); got != tt.want {
			t.Errorf("CI=%q DRIMM_ANS_INTEROP=%q: required() = %v, want %v", tt.ci, tt.interop, got, tt.want)
		}
	}
}
