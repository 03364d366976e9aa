package cli

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/mattn/go-isatty"
)

// Env is everything a command takes from the world around it. Commands read
// and write only through it, so tests can run them with buffers, a fixed
// clock and a fake repository root.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// StdoutTTY and StderrTTY say whether the streams are terminals.
	StdoutTTY bool
	StderrTTY bool
	// Now is the clock.
	Now func() time.Time
	// HTTP is the client used for every network call but probes.
	HTTP *http.Client
	// Getenv reads the environment (PINs, GitHub variables).
	Getenv func(string) string
	// CacheDir holds drimm's caches; empty disables them.
	CacheDir string
	// Version identifies this build, so caches written by another build are ignored.
	Version string
	// Root is the repository root: the folder holding registry/, schemas/,
	// whitelist/ and status/. Defaults to the working directory.
	Root string
}

// OSEnv returns the Env of a real process.
func OSEnv() *Env {
	wd, err := os.Getwd()
	if err != nil {
		wd = "."
	}
	cacheDir, version := "", ""
	if base, err := os.UserCacheDir(); err == nil && os.Getenv("DRIMM_NO_CACHE") == "" {
		cacheDir = filepath.Join(base, "drimm")
	}
	if exe, err := os.Executable(); err == nil {
		if st, err := os.Stat(exe); err == nil {
			version = fmt.Sprintf("%s/%d/%d", exe, st.Size(), st.ModTime().UnixNano())
		}
	}
	return &Env{
		CacheDir:  cacheDir,
		Version:   version,
		Stdin:     os.Stdin,
		Stdout:    os.Stdout,
		Stderr:    os.Stderr,
		StdoutTTY: isatty.IsTerminal(os.Stdout.Fd()),
		StderrTTY: isatty.IsTerminal(os.Stderr.Fd()),
		Now:       func() time.Time { return time.Now().UTC() },
		HTTP:      &http.Client{Timeout: 30 * time.Second},
		Getenv:    os.Getenv,
		Root:      wd,
	}
}
