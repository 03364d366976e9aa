package cli

import (
	"context"
	"strings"

	"github.com/drim-m/trust-space/tool/internal/gitrepo"
	"github.com/drim-m/trust-space/tool/internal/lifecycle"
	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/validation"
)

// loadChange reads the registry at two revisions from the git object store.
func loadChange(env *Env, dir, baseRev, headRev, author string) (*lifecycle.Change, []registry.Finding, error) {
	repo, err := gitrepo.Open(dir)
	if err != nil {
		return nil, nil, envError("run drimm inside a git clone of the registry repository", err)
	}
	rel, err := repo.RelPath(dir)
	if err != nil {
		return nil, nil, usageError("pass a --registry folder inside the repository", "%v", err)
	}
	load := func(rev string) (*registry.Registry, []registry.File, []registry.Finding, error) {
		commit, err := repo.Commit(rev)
		if err != nil {
			return nil, nil, nil, envError("fetch the revision first (git fetch) or check its name", err)
		}
		files, err := repo.Files(commit, rel)
		if err != nil {
			return nil, nil, nil, envError("check the repository's integrity (git fsck)", err)
		}
		r, findings, err := registry.FromFiles(rel, files)
		if err != nil {
			return nil, nil, nil, envError("", err)
		}
		return r, files, findings, nil
	}
	base, baseFiles, _, err := load(baseRev)
	if err != nil {
		return nil, nil, err
	}
	head, headFiles, findings, err := load(headRev)
	if err != nil {
		return nil, nil, err
	}
	ch := &lifecycle.Change{Base: base, Head: head, BaseFiles: baseFiles, HeadFiles: headFiles, Author: author, Now: env.Now()}
	bc, _ := repo.Commit(baseRev)
	hc, _ := repo.Commit(headRev)
	changed, err := repo.ChangedPaths(bc, hc)
	if err != nil {
		return nil, nil, envError("check the repository's integrity (git fsck)", err)
	}
	for _, p := range changed {
		if p != rel && !strings.HasPrefix(p, rel+"/") {
			ch.Outside = append(ch.Outside, p)
		}
	}
	return ch, findings, nil
}

func validateChange(_ context.Context, opts *validateOptions, dir string) ([]registry.Finding, error) {
	ch, findings, err := loadChange(opts.env, dir, opts.base, opts.head, opts.author)
	if err != nil {
		return nil, err
	}
	findings = append(findings, validation.Check(ch.Head)...)
	findings = append(findings, ch.Check()...)
	// The rule of the day applies to the DRIMboxes the change touches:
	// a deadline passing elsewhere does not block other operators.
	touched := map[*registry.DRIMbox]bool{}
	for _, bc := range ch.Boxes() {
		touched[bc.Head] = bc.Head != nil
	}
	findings = append(findings, validation.Handover(ch.Head, ch.Now, func(d *registry.DRIMbox) bool { return touched[d] })...)
	owners, err := codeownersChangeFindings(dir, opts.head, ch.Head)
	if err != nil {
		return nil, err
	}
	findings = append(findings, owners...)
	notices, err := validateNotices(opts.env, dir, ch.Head)
	if err != nil {
		return nil, err
	}
	return append(findings, notices...), nil
}
