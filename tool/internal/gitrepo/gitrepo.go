// Package gitrepo reads registry trees and history from a git repository
// through go-git's object store, without a checkout, so that a pull
// request's base and head can be compared exactly as they were committed.
package gitrepo

import (
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// Repo is an opened git repository.
type Repo struct {
	repo *git.Repository
	// Root is the work tree's root folder.
	Root string
}

// Open opens the repository holding dir, looking upwards for .git.
func Open(dir string) (*Repo, error) {
	r, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if err != nil {
		return nil, fmt.Errorf("opening git repository at %s: %w", dir, err)
	}
	root := dir
	if wt, err := r.Worktree(); err == nil {
		root = wt.Filesystem.Root()
	}
	return &Repo{repo: r, Root: root}, nil
}

// Git returns the underlying go-git repository.
func (r *Repo) Git() *git.Repository { return r.repo }

// Files returns the files under dir (slash path relative to the repository
// root) in a commit, with paths relative to dir. Symlinks and submodule
// links are flagged, not followed; executable files are flagged; files over
// registry.MaxFileSize are flagged, not read. A missing dir
// gives no files.
func (r *Repo) Files(c *object.Commit, dir string) ([]registry.File, error) {
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
	var files []registry.File
	walker := object.NewTreeWalker(tree, true, nil)
	defer walker.Close()
	for {
		name, entry, err := walker.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("walking %s in %s: %w", dir, c.Hash, err)
		}
		if entry.Mode == filemode.Dir {
			continue
		}
		f := registry.File{Path: name}
		switch entry.Mode {
		case filemode.Symlink, filemode.Submodule:
			// Neither is followed: a link's target and a submodule's
			// commit are outside the reviewed tree.
			f.Symlink, f.Submodule = entry.Mode == filemode.Symlink, entry.Mode == filemode.Submodule
			files = append(files, f)
			continue
		case filemode.Executable:
			f.Executable = true
		}
		blob, err := r.repo.BlobObject(entry.Hash)
		if err != nil {
			return nil, fmt.Errorf("reading %s in %s: %w", name, c.Hash, err)
		}
		f.Size = blob.Size
		if blob.Size > registry.MaxFileSize {
			f.TooLarge = true
			files = append(files, f)
			continue
		}
		rd, err := blob.Reader()
		if err != nil {
			return nil, fmt.Errorf("reading %s in %s: %w", name, c.Hash, err)
		}
		f.Data, err = io.ReadAll(io.LimitReader(rd, registry.MaxFileSize+1))
		rd.Close()
		if err != nil {
			return nil, fmt.Errorf("reading %s in %s: %w", name, c.Hash, err)
		}
		files = append(files, f)
	}
	return files, nil
}

// RelPath returns dir relative to the repository root, slash-separated.
func (r *Repo) RelPath(dir string) (string, error) {
	rel, err := relTo(r.Root, dir)
	if err != nil {
		return "", fmt.Errorf("%s is not inside the repository %s", dir, r.Root)
	}
	return rel, nil
}
