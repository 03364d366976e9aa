package whitelist

import (
	"errors"
	"fmt"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/drim-m/trust-space/tool/internal/gitrepo"
	"github.com/drim-m/trust-space/tool/internal/registry"
)

// Dates returns the DateMAJ of each entry: the committer time of the oldest
// commit, on the first-parent line of HEAD (the merges into the main
// branch), from which the entry's published fields have stayed as they are
// in entries. An entry that differs from HEAD (a change not yet committed) is
// left out, so Build dates it with the generation time.
//
// registryDir is the registry folder inside the repository's work tree.
func Dates(repo *gitrepo.Repo, registryDir string, entries []Domain) (map[int]time.Time, error) {
	rel, err := repo.RelPath(registryDir)
	if err != nil {
		return nil, err
	}
	want := make(map[int]Domain, len(entries))
	for _, e := range entries {
		e.Updated = time.Time{}
		want[e.ID] = e
	}
	dates := make(map[int]time.Time, len(entries))
	head, err := repo.Commit("HEAD")
	if err != nil {
		// A repository without commits dates every entry at generation.
		if errors.Is(err, plumbing.ErrReferenceNotFound) {
			return dates, nil
		}
		return nil, err
	}
	pending := make(map[int]bool, len(want))
	for id := range want {
		pending[id] = true
	}
	var lastTree plumbing.Hash
	var atCommit map[int]Domain
	for c := head; c != nil && len(pending) > 0; {
		tree := subtree(c, rel)
		if tree != lastTree || atCommit == nil {
			atCommit = entriesAt(repo, c, rel)
			lastTree = tree
		}
		for id := range pending {
			if got, ok := atCommit[id]; ok && got == want[id] {
				dates[id] = c.Committer.When.UTC().Truncate(time.Second)
			} else {
				delete(pending, id)
			}
		}
		c, err = firstParent(c)
		if err != nil {
			return nil, fmt.Errorf("walking history from %s: %w", head.Hash, err)
		}
	}
	return dates, nil
}

// entriesAt returns the published fields of the registry as committed in c;
// a registry that does not load there publishes nothing.
func entriesAt(repo *gitrepo.Repo, c *object.Commit, rel string) map[int]Domain {
	out := map[int]Domain{}
	files, err := repo.Files(c, rel)
	if err != nil || len(files) == 0 {
		return out
	}
	reg, _, err := registry.FromFiles(rel, files)
	if err != nil || reg == nil {
		return out
	}
	entries, err := Entries(reg)
	if err != nil {
		return out
	}
	for _, e := range entries {
		out[e.ID] = e
	}
	return out
}

// subtree returns the hash of the registry folder in c, zero when absent.
func subtree(c *object.Commit, rel string) plumbing.Hash {
	t, err := c.Tree()
	if err != nil {
		return plumbing.ZeroHash
	}
	if rel == "." || rel == "" {
		return t.Hash
	}
	sub, err := t.Tree(rel)
	if err != nil {
		return plumbing.ZeroHash
	}
	return sub.Hash
}

func firstParent(c *object.Commit) (*object.Commit, error) {
	if c.NumParents() == 0 {
		return nil, nil
	}
	return c.Parent(0)
}
