package cli

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/drim-m/trust-space/tool/internal/buildid"
	"github.com/mattn/go-isatty"
)

// Env is everything a command takes from the world around it. Commands read
// and write only through it, so tests can run them with buffers, a fixed
// clock and a fake repository root.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// StderrTTY says whether stderr is a terminal: progress is shown only
	// there.
	StderrTTY bool
	// Now is the clock.
	Now func() time.Time
	// HTTP is the client used for every network call but probes.
	HTTP *http.Client
	// Getenv reads the environment (PINs, GitHub variables).
	Getenv func(string) string
	// CacheDir holds drimm's caches; empty disables them.
	CacheDir string
	// Version identifies this build, so caches written by another build
	// are ignored; nil or "" disables caches.
	Version func() string
	// Root is the repository root: the folder holding registry/, schemas/,
	// whitelist/ and status/. Defaults to the working directory.
	Root string
}

// Path resolves a path given on the command line against the repository
// root; absolute paths are kept.
func (e *Env) Path(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(e.Root, p)
}

// OSEnv returns the Env of a real process.
func OSEnv() *Env {
	wd, err := os.Getwd()
	if err != nil {
		wd = "."
	}
	cacheDir := ""
	if base, err := os.UserCacheDir(); err == nil && os.Getenv("DRIMM_NO_CACHE") == "" {
		cacheDir = filepath.Join(base, "drimm")
	}
	now := func() time.Time { return time.Now().UTC() }
	if honorTestClock {
		if fixed, err := fixedClock(os.Getenv); err == nil && fixed != nil {
			now = fixed
		}
	}
	return &Env{
		CacheDir:  cacheDir,
		Version:   buildid.Digest,
		Stdin:     os.Stdin,
		Stdout:    os.Stdout,
		Stderr:    os.Stderr,
		StderrTTY: isatty.IsTerminal(os.Stderr.Fd()),
		Now:       now,
		HTTP:      &http.Client{Timeout: 30 * time.Second},
		Getenv:    os.Getenv,
		Root:      wd,
	}
}
