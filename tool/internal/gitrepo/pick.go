package gitrepo

import (
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// FilesMatching is Files restricted to the paths under dir that match one
// of the patterns (path.Match syntax, one pattern segment per folder level,
// such as "operators/*/operator.yaml"). Only the folders a pattern can
// reach are opened, so reading a few records of a large registry costs
// those records, not the registry: the authority of a pull request's base
// tip (reviewers, maintainers, rules) is read this way.
func (r *Repo) FilesMatching(c *object.Commit, dir string, patterns []string) ([]registry.File, error) {
	tree, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("reading tree of %s: %w", c.Hash, err)
	}
	dir = strings.Trim(path.Clean(dir), "/")
	if dir != "" && dir != "." {
		tree, err = tree.Tree(dir)
		if errors.Is(err, object.ErrDirectoryNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s in %s: %w", dir, c.Hash, err)
		}
	}
	seen := map[string]bool{}
	var entries []treeEntry
	for _, p := range patterns {
		if _, err := path.Match(p, ""); err != nil {
			return nil, fmt.Errorf("pattern %q: %w", p, err)
		}
		found, err := r.match(c, tree, "", strings.Split(p, "/"))
		if err != nil {
			return nil, err
		}
		for _, e := range found {
			if !seen[e.name] {
				seen[e.name] = true
				entries = append(entries, e)
			}
		}
	}
	data, err := r.readBlobs(entries)
	if err != nil {
		return nil, err
	}
	out := make([]registry.File, 0, len(entries))
	for _, e := range entries {
		f := registry.File{Path: e.name, Symlink: e.mode == filemode.Symlink, Submodule: e.mode == filemode.Submodule,
			Executable: e.mode == filemode.Executable}
		if !f.Symlink && !f.Submodule {
			b := data[e.hash]
			f.Size, f.TooLarge = b.size, b.size > registry.MaxFileSize
			f.Data = b.data
		}
		out = append(out, f)
	}
	return out, nil
}

// match walks one pattern segment per tree level.
func (r *Repo) match(c *object.Commit, tree *object.Tree, prefix string, segs []string) ([]treeEntry, error) {
	var out []treeEntry
	for _, e := range tree.Entries {
		if ok, _ := path.Match(segs[0], e.Name); !ok {
			continue
		}
		name := path.Join(prefix, e.Name)
		if len(segs) == 1 {
			if e.Mode != filemode.Dir {
				out = append(out, treeEntry{name: name, hash: e.Hash, mode: e.Mode, at: c.Hash})
			}
			continue
		}
		if e.Mode != filemode.Dir {
			continue
		}
		// By hash, not by name: a tree with two entries of one name
		// would otherwise give the first for both.
		sub, err := r.repo.TreeObject(e.Hash)
		if err != nil {
			return nil, fmt.Errorf("reading %s in %s: %w", name, c.Hash, err)
		}
		more, err := r.match(c, sub, name, segs[1:])
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
	}
	return out, nil
}
