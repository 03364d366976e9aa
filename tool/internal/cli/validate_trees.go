package cli

import (
	"fmt"
	"path"

	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/drim-m/trust-space/tool/internal/gitrepo"
	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/status"
)

// badTrees is a change whose head holds trees git refuses: what a
// checkout of them holds is not certainly what drimm would read, so
// nothing under them is read and their findings are the change's.
type badTrees struct {
	findings []registry.Finding
}

func (b *badTrees) Error() string {
	return fmt.Sprintf("%d tree(s) of the head are refused by git fsck: %s", len(b.findings), b.findings[0].String())
}

// checkTrees checks the trees the change brings and those drimm reads
// (the registry, the notices, .github) as git fsck does.
func checkTrees(repo *gitrepo.Repo, base, head *object.Commit, rel string) error {
	read := []string{rel, path.Join(path.Dir(rel), "status", status.NoticesDir), ".github"}
	problems, err := repo.CheckTrees(base, head, read)
	if err != nil {
		return envError("check the repository's integrity (git fsck)", err)
	}
	if len(problems) == 0 {
		return nil
	}
	bad := &badTrees{}
	for _, p := range problems {
		where := p.Path + "/"
		if p.Path == "" {
			where = "./"
		}
		bad.findings = append(bad.findings, registry.Finding{Path: where, Line: 1, Col: 1, Rule: "GIT-TREE",
			Msg: p.Msg + "; git fsck refuses this tree and a checkout may not hold what was checked: make the commits again with ordinary git (git add, git commit) and push them"})
	}
	return &exitError{code: ExitFindings, err: bad, hint: "make the commits again with ordinary git (git add, git commit) and push them"}
}
