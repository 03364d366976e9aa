package cli

import (
	"bytes"
	"context"
	"errors"
	"path"

	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/drim-m/trust-space/tool/internal/gitrepo"
	"github.com/drim-m/trust-space/tool/internal/lifecycle"
	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/status"
	"github.com/drim-m/trust-space/tool/internal/validation"
)

// gitChange is a pull request's change read from the git object store:
// the registry at the merge-base of base and head (what the head's branch
// forked from, as `git diff base...head` compares) and at the head, and
// every path that differs between the two; and the authority (reviewers,
// maintainers, rules) as the base revision itself has it, main as it is
// now, never the merge-base, which the author picks.
type gitChange struct {
	repo *gitrepo.Repo
	// rel is the registry folder's path in the repository.
	rel string
	// base is the merge-base, head the head commit, tip the base
	// revision as given.
	base, head, tip *object.Commit
	change          *lifecycle.Change
	// findings are the head registry's own (layout, YAML, schema).
	findings []registry.Finding
}

// revisionError turns a failure to resolve a revision into the error a
// person can act on.
func revisionError(err error) error {
	switch {
	case errors.Is(err, gitrepo.ErrAmbiguous):
		return usageError("give a full 40-character SHA or an unambiguous ref such as origin/main or refs/heads/main", "%v", err)
	case errors.Is(err, gitrepo.ErrNoMergeBase):
		return envError("rebase the branch on its base (git rebase origin/main) and push it again", err)
	}
	return envError("fetch the revision first (git fetch) or check its name", err)
}

// loadChange reads the registry at the merge-base of two revisions and at
// the head from the git object store.
func loadChange(env *Env, dir, baseRev, headRev, author string) (*gitChange, error) {
	repo, err := gitrepo.Open(dir)
	if err != nil {
		return nil, envError("run drimm inside a git clone of the registry repository", err)
	}
	rel, err := repo.RelPath(dir)
	if err != nil {
		return nil, usageError("pass a --registry folder inside the repository", "%v", err)
	}
	base, head, err := repo.Range(baseRev, headRev)
	if err != nil {
		return nil, revisionError(err)
	}
	if err := checkTrees(repo, base, head, rel); err != nil {
		return nil, err
	}
	tip, err := repo.Commit(baseRev)
	if err != nil {
		return nil, revisionError(err)
	}
	// Both revisions are read together: a file the change leaves alone is
	// read once, and its record only for the index the cross-record rules
	// need (see registry.FromChange).
	baseFiles, headFiles, err := repo.FilesPair(base, head, rel)
	if err != nil {
		return nil, envError("check the repository's integrity (git fsck)", err)
	}
	baseReg, headReg, findings, err := registry.FromChange(rel, baseFiles, headFiles)
	if err != nil {
		return nil, envError("", err)
	}
	diff, err := repo.Diff(base, head)
	if err != nil {
		return nil, envError("check the repository's integrity (git fsck)", err)
	}
	authority, err := loadAuthority(repo, tip, rel)
	if err != nil {
		return nil, err
	}
	judgeBy(authority, baseReg, headReg, baseFiles, headFiles)
	ch := &lifecycle.Change{Base: baseReg, Head: headReg, Authority: authority, BaseFiles: baseFiles, HeadFiles: headFiles, Author: author, Now: env.Now(), RegistryDir: rel}
	for _, d := range diff {
		ch.Paths = append(ch.Paths, lifecycle.PathChange{Path: d.Path, Old: d.Old, New: d.New})
	}
	return &gitChange{repo: repo, rel: rel, base: base, head: head, tip: tip, change: ch, findings: findings}, nil
}

// loadAuthority reads, at the base revision's tip, the records that say
// who may do what and by which rules (registry.AuthorityPatterns), and
// only those. Their own findings are main's, not the pull request's: a
// record main cannot read grants nothing, which refuses rather than
// admits.
func loadAuthority(repo *gitrepo.Repo, tip *object.Commit, rel string) (*registry.Registry, error) {
	files, err := repo.FilesMatching(tip, rel, registry.AuthorityPatterns)
	if err != nil {
		return nil, envError("check the repository's integrity (git fsck)", err)
	}
	r, _, err := registry.FromFiles(rel, files)
	if err != nil {
		return nil, envError("", err)
	}
	return r, nil
}

// judgeBy gives the change the rules of the base tip: where the change
// leaves trust-space.yaml or conditions.yaml as the merge-base had them,
// both sides take main's current settings and catalogue (a condition
// versioned on main after the branch was cut applies to the pull request,
// as it will after the merge); where the change edits one (an ANS
// reviewer's pull request), its own version is what is judged.
func judgeBy(authority, base, head *registry.Registry, baseFiles, headFiles []registry.File) {
	if authority.TrustSpaceSource() == nil || authority.ConditionsSource() == nil {
		// A tip without its settings judges nothing: the merge-base's
		// stay, and the tip's missing reviewers refuse every authority.
		return
	}
	unchanged := func(name string) bool {
		b, inBase := fileBytes(baseFiles, name)
		h, inHead := fileBytes(headFiles, name)
		return inBase == inHead && bytes.Equal(b, h)
	}
	if unchanged("trust-space.yaml") {
		base.AdoptTrustSpace(authority)
		head.AdoptTrustSpace(authority)
	}
	if unchanged("conditions.yaml") {
		base.AdoptConditions(authority)
		head.AdoptConditions(authority)
	}
}

func fileBytes(files []registry.File, name string) ([]byte, bool) {
	for _, f := range files {
		if f.Path == name {
			return f.Data, true
		}
	}
	return nil, false
}

// paths lists the repository paths the change touches.
func (g *gitChange) paths() []string {
	out := make([]string, len(g.change.Paths))
	for i, p := range g.change.Paths {
		out[i] = p.Path
	}
	return out
}

func validateChange(_ context.Context, opts *validateOptions, dir string) ([]registry.Finding, error) {
	g, err := loadChange(opts.env, dir, opts.base, opts.head, opts.author)
	var bad *badTrees
	if errors.As(err, &bad) {
		return bad.findings, nil
	}
	if err != nil {
		return nil, err
	}
	return checkChange(g)
}

// checkChange applies every rule to a change read from git.
func checkChange(g *gitChange) ([]registry.Finding, error) {
	ch := g.change
	findings := append([]registry.Finding(nil), g.findings...)
	findings = append(findings, validation.Check(ch.Head)...)
	findings = append(findings, ch.Check()...)
	// The rule of the day applies to the DRIMboxes the change touches:
	// a deadline passing elsewhere does not block other operators.
	touched := map[*registry.DRIMbox]bool{}
	for _, bc := range ch.Boxes() {
		touched[bc.Head] = bc.Head != nil
	}
	findings = append(findings, validation.Handover(ch.Head, ch.Now, func(d *registry.DRIMbox) bool { return touched[d] })...)
	owners, err := codeownersChangeFindings(g)
	if err != nil {
		return nil, err
	}
	findings = append(findings, owners...)
	notices, err := changeNotices(g)
	if err != nil {
		return nil, err
	}
	return append(findings, notices...), nil
}

// changeNotices checks the incident and maintenance notices as the head
// revision has them (never the working tree, which need not be the head),
// and binds those the change adds, modifies or removes to its author.
func changeNotices(g *gitChange) ([]registry.Finding, error) {
	dir := path.Join(path.Dir(g.rel), "status", status.NoticesDir)
	read := func(c *object.Commit) ([]registry.File, error) {
		files, err := g.repo.Files(c, dir)
		if err != nil {
			return nil, envError("check the repository's integrity (git fsck)", err)
		}
		return files, nil
	}
	headFiles, err := read(g.head)
	if err != nil {
		return nil, err
	}
	head := g.change.Head
	_, findings := status.NoticesFromFiles(dir, headFiles, func(id int) bool { return head.DRIMbox(id) != nil })
	var changed []string
	for _, p := range g.change.Paths {
		if lifecycle.OwnerOf(p.Path, g.rel) == lifecycle.OwnerNotices {
			changed = append(changed, p.Path)
		}
	}
	if len(changed) == 0 {
		return findings, nil
	}
	baseFiles, err := read(g.base)
	if err != nil {
		return nil, err
	}
	parse := func(files []registry.File, p string) *status.Notice {
		for _, f := range files {
			if path.Join(dir, f.Path) == p && !f.Symlink && !f.Submodule && !f.TooLarge {
				return status.ParseNotice(p, f.Data)
			}
		}
		return nil
	}
	var ncs []lifecycle.NoticeChange
	for _, p := range changed {
		ncs = append(ncs, lifecycle.NoticeChange{Path: p, Base: parse(baseFiles, p), Head: parse(headFiles, p)})
	}
	return append(findings, g.change.CheckNotices(ncs)...), nil
}
