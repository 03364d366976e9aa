package cli

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/status"
	"github.com/drim-m/trust-space/tool/internal/validation"
)

// loadRegistry reads a registry folder, turning a missing or unreadable
// folder into an environment error.
func loadRegistry(env *Env, dir string) (*registry.Registry, []registry.Finding, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		if err == nil || errors.Is(err, fs.ErrNotExist) {
			return nil, nil, usageError("run drimm from the repository root or pass --registry DIR", "no registry folder at %s", dir)
		}
		return nil, nil, envError("check the folder's permissions", err)
	}
	files, err := registry.ReadDir(dir)
	if err != nil {
		return nil, nil, envError("check that every file of the registry is readable", err)
	}
	cache := openCache(env, dir)
	r, findings, err := registry.FromFilesCached(displayPath(env, dir), files, cache)
	if err != nil {
		return nil, nil, envError("", err)
	}
	if cache != nil {
		if err := cache.Save(); err != nil {
			fmt.Fprintf(env.Stderr, "drimm: warning: cache not saved: %v\n", err)
		}
	}
	return r, findings, nil
}

// openCache opens the record cache of a registry folder, or returns nil
// when caching is off or this build cannot identify itself.
func openCache(env *Env, dir string) *registry.Cache {
	if env.CacheDir == "" || env.Version == nil {
		return nil
	}
	version := env.Version()
	if version == "" {
		return nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil
	}
	name := fmt.Sprintf("registry-%x.gob", sha256.Sum256([]byte(abs)))
	return registry.OpenCache(filepath.Join(env.CacheDir, name), version)
}

// displayPath shows paths relative to the repository root when they are
// inside it, as editors and CI annotations expect.
func displayPath(env *Env, p string) string {
	if !filepath.IsAbs(p) {
		return filepath.ToSlash(p)
	}
	if rel, err := filepath.Rel(env.Root, p); err == nil && filepath.IsLocal(rel) {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(p)
}

func validateTree(opts *validateOptions, dir string) ([]registry.Finding, error) {
	r, findings, err := loadRegistry(opts.env, dir)
	if err != nil {
		return nil, err
	}
	findings = append(findings, validation.Check(r)...)
	findings = append(findings, validation.Handover(r, opts.env.Now(), nil)...)
	findings = append(findings, codeownersTreeFindings(opts.env, r, dir)...)
	notices, err := validateNotices(opts.env, dir, r)
	if err != nil {
		return nil, err
	}
	return append(findings, notices...), nil
}

// validateNotices checks the incident and maintenance notices kept beside
// the registry, in status/notices, against the registry's DRIMboxes.
func validateNotices(env *Env, regDir string, r *registry.Registry) ([]registry.Finding, error) {
	dir := filepath.Join(filepath.Dir(regDir), "status", "notices")
	known := func(id int) bool { return r.DRIMbox(id) != nil }
	fs, err := status.ValidateNotices(dir, displayPath(env, dir), known)
	if err != nil {
		return nil, envError("check that status/notices is readable", err)
	}
	return fs, nil
}
