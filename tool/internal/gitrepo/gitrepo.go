// Package gitrepo reads registry trees and history from a git repository
// through go-git's object store, without a checkout, so that a pull
// request's base and head can be compared exactly as they were committed.
// Revisions resolve strictly (a full SHA or a ref, never a guess), and a
// change is taken from the merge-base of base and head, as git diff
// base...head shows it, with every path's file mode on each side.
package gitrepo

import (
	"errors"
	"fmt"
	"io"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// Repo is an opened git repository.
type Repo struct {
	repo *git.Repository
	// dir reopens the repository for readers working in parallel: a
	// go-git repository is read by one goroutine at a time.
	dir string
	// objects reads blobs faster than go-git, or declines (nil when the
	// repository is not in a folder).
	objects *objectStore
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
	var wtfs billy.Filesystem
	if wt, err := r.Worktree(); err == nil {
		root, wtfs = wt.Filesystem.Root(), wt.Filesystem
	}
	// Reading a whole registry from a pack opens the pack once per object
	// unless its descriptor is kept: keep it, for the life of the process.
	// A kept descriptor still reads a pack git has since replaced; an
	// object moved to a new pack is found by looking at the packs again.
	var objects *objectStore
	if st, ok := r.Storer.(*filesystem.Storage); ok {
		kept := filesystem.NewStorageWithOptions(st.Filesystem(), cache.NewObjectLRUDefault(), filesystem.Options{KeepDescriptors: true})
		if k, err := git.Open(rescanStorage{kept}, wtfs); err == nil {
			r = k
		}
		objects = newObjectStore(st.Filesystem().Root())
	}
	return &Repo{repo: r, Root: root, dir: dir, objects: objects}, nil
}

// Git returns the underlying go-git repository.
func (r *Repo) Git() *git.Repository { return r.repo }

// Files returns the files under dir (slash path relative to the repository
// root) in a commit, with paths relative to dir. Symlinks and submodule
// links are flagged, not followed; executable files are flagged; files over
// registry.MaxFileSize are flagged, not read. A missing dir
// gives no files.
func (r *Repo) Files(c *object.Commit, dir string) ([]registry.File, error) {
	files, _, err := r.FilesPair(c, nil, dir)
	return files, err
}

// FilesPair is Files for two commits at once, such as a change's base and
// head: a file both hold unchanged is read once and the two File values
// share its bytes. head may be nil. Blobs are read on all cores.
func (r *Repo) FilesPair(base, head *object.Commit, dir string) (baseFiles, headFiles []registry.File, err error) {
	var entries [2][]treeEntry
	for i, c := range []*object.Commit{base, head} {
		if c == nil {
			continue
		}
		if entries[i], err = r.entries(c, dir); err != nil {
			return nil, nil, err
		}
	}
	data, err := r.readBlobs(append(slices.Clone(entries[0]), entries[1]...))
	if err != nil {
		return nil, nil, err
	}
	out := [2][]registry.File{}
	for i := range entries {
		for _, e := range entries[i] {
			// Neither a link nor a submodule is followed: a link's
			// target and a submodule's commit are outside the reviewed tree.
			f := registry.File{Path: e.name, Symlink: e.mode == filemode.Symlink, Submodule: e.mode == filemode.Submodule,
				Executable: e.mode == filemode.Executable}
			if !f.Symlink && !f.Submodule {
				b := data[e.hash]
				f.Size, f.TooLarge = b.size, b.size > registry.MaxFileSize
				f.Data = b.data
			}
			out[i] = append(out[i], f)
		}
	}
	if head == nil {
		return out[0], nil, nil
	}
	return out[0], out[1], nil
}

type treeEntry struct {
	name string
	hash plumbing.Hash
	mode filemode.FileMode
	at   plumbing.Hash // the commit, for messages
}

// entries lists the files under dir in a commit without reading them.
func (r *Repo) entries(c *object.Commit, dir string) ([]treeEntry, error) {
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
	var out []treeEntry
	walker := object.NewTreeWalker(tree, true, nil)
	defer walker.Close()
	for {
		name, entry, err := walker.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("walking %s in %s: %w", dir, c.Hash, err)
		}
		if entry.Mode == filemode.Dir {
			continue
		}
		out = append(out, treeEntry{name: name, hash: entry.Hash, mode: entry.Mode, at: c.Hash})
	}
}

type blobData struct {
	data []byte
	size int64
}

// readBlobs reads each distinct blob once, files over the size limit
// only for their size, with one reader per core. A blob the object store
// declines is read through go-git, with a repository of its own for each
// reader after the first.
func (r *Repo) readBlobs(entries []treeEntry) (map[plumbing.Hash]blobData, error) {
	todo := make([]treeEntry, 0, len(entries))
	seen := make(map[plumbing.Hash]bool, len(entries))
	for _, e := range entries {
		if e.mode != filemode.Symlink && e.mode != filemode.Submodule && !seen[e.hash] {
			seen[e.hash] = true
			todo = append(todo, e)
		}
	}
	workers := min(runtime.GOMAXPROCS(0), max(1, len(todo)/256))
	results := make([]blobData, len(todo))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var repo *git.Repository
			for i := w; i < len(todo); i += workers {
				if r.objects != nil {
					if data, size, ok := r.objects.blob(todo[i].hash, registry.MaxFileSize); ok {
						results[i] = blobData{data: data, size: size}
						continue
					}
				}
				if repo == nil {
					repo = r.repo
					if w > 0 {
						other, err := Open(r.dir)
						if err != nil {
							errs[w] = err
							return
						}
						repo = other.repo
					}
				}
				if results[i], errs[w] = readBlob(repo, todo[i]); errs[w] != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := make(map[plumbing.Hash]blobData, len(todo))
	for i, e := range todo {
		out[e.hash] = results[i]
	}
	return out, nil
}

func readBlob(repo *git.Repository, e treeEntry) (blobData, error) {
	blob, err := repo.BlobObject(e.hash)
	if err != nil {
		return blobData{}, fmt.Errorf("reading %s in %s: %w", e.name, e.at, err)
	}
	if blob.Size > registry.MaxFileSize {
		return blobData{size: blob.Size}, nil
	}
	rd, err := blob.Reader()
	if err != nil {
		return blobData{}, fmt.Errorf("reading %s in %s: %w", e.name, e.at, err)
	}
	defer rd.Close()
	b := make([]byte, blob.Size)
	if _, err := io.ReadFull(rd, b); err != nil {
		return blobData{}, fmt.Errorf("reading %s in %s: %w", e.name, e.at, err)
	}
	return blobData{data: b, size: blob.Size}, nil
}

// RelPath returns dir relative to the repository root, slash-separated.
func (r *Repo) RelPath(dir string) (string, error) {
	rel, err := relTo(r.Root, dir)
	if err != nil {
		return "", fmt.Errorf("%s is not inside the repository %s", dir, r.Root)
	}
	return rel, nil
}
