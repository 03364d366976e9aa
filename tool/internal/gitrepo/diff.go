package gitrepo

import (
	"fmt"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// File modes of a path in a change, as git records them.
const (
	ModeAbsent     uint32 = 0
	ModeRegular           = uint32(filemode.Regular)
	ModeExecutable        = uint32(filemode.Executable)
	ModeSymlink           = uint32(filemode.Symlink)
	ModeSubmodule         = uint32(filemode.Submodule)
)

// PathChange is one path that differs between two commits, with its git
// file mode on each side (ModeAbsent where the path does not exist).
type PathChange struct {
	Path     string
	Old, New uint32
}

// Diff lists the paths, relative to the repository root, that differ
// between two commits: added, removed, modified, or only changed in mode,
// sorted by path. Submodule links are paths like any other.
func (r *Repo) Diff(base, head *object.Commit) ([]PathChange, error) {
	bt, err := base.Tree()
	if err != nil {
		return nil, fmt.Errorf("reading tree of %s: %w", base.Hash, err)
	}
	ht, err := head.Tree()
	if err != nil {
		return nil, fmt.Errorf("reading tree of %s: %w", head.Hash, err)
	}
	changes, err := object.DiffTree(bt, ht)
	if err != nil {
		return nil, fmt.Errorf("comparing %s and %s: %w", base.Hash, head.Hash, err)
	}
	byPath := map[string]*PathChange{}
	for _, c := range changes {
		for i, e := range []object.ChangeEntry{c.From, c.To} {
			if e.Name == "" {
				continue
			}
			pc := byPath[e.Name]
			if pc == nil {
				pc = &PathChange{Path: e.Name}
				byPath[e.Name] = pc
			}
			if i == 0 {
				pc.Old = uint32(e.TreeEntry.Mode)
			} else {
				pc.New = uint32(e.TreeEntry.Mode)
			}
		}
	}
	out := make([]PathChange, 0, len(byPath))
	for _, pc := range byPath {
		out = append(out, *pc)
	}
	slices.SortFunc(out, func(a, b PathChange) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// ChangedPaths lists the paths, relative to the repository root, that
// differ between two commits: added, removed or modified files.
func (r *Repo) ChangedPaths(base, head *object.Commit) ([]string, error) {
	changes, err := r.Diff(base, head)
	if err != nil {
		return nil, err
	}
	paths := make([]string, len(changes))
	for i, c := range changes {
		paths[i] = c.Path
	}
	return paths, nil
}
