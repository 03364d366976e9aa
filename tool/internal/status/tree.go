package status

import (
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// Tree is an FS over the data folder of a git commit plus pending changes:
// it builds the next commit's tree without a work tree.
type Tree struct {
	st      storer.EncodedObjectStorer
	root    *object.Tree // the commit's root tree; nil for an empty repository
	prefix  string       // the data folder inside the repository, e.g. "status"
	changes map[string][]byte
	// mu serialises every use: go-git's trees are not safe for
	// concurrent reads.
	mu sync.Mutex
}

// NewTree returns a Tree editing folder prefix of root (which may be nil).
func NewTree(st storer.EncodedObjectStorer, root *object.Tree, prefix string) *Tree {
	return &Tree{st: st, root: root, prefix: strings.Trim(prefix, "/"), changes: map[string][]byte{}}
}

func (t *Tree) full(name string) string {
	if t.prefix == "" {
		return name
	}
	return t.prefix + "/" + name
}

// ReadFile reads a file, pending changes first.
func (t *Tree) ReadFile(name string) ([]byte, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if data, ok := t.changes[name]; ok {
		if data == nil {
			return nil, errNotExist(name)
		}
		return append([]byte(nil), data...), nil
	}
	if t.root == nil {
		return nil, errNotExist(name)
	}
	f, err := t.root.File(t.full(name))
	if err != nil {
		return nil, errNotExist(name)
	}
	r, err := f.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// ReadDir lists a folder as it stands with the pending changes.
func (t *Tree) ReadDir(name string) ([]string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	set := map[string]bool{}
	if t.root != nil {
		if sub, err := t.root.Tree(t.full(name)); err == nil {
			for _, e := range sub.Entries {
				set[e.Name] = true
			}
		}
	}
	for p, data := range t.changes {
		rest, ok := strings.CutPrefix(p, name+"/")
		if !ok {
			continue
		}
		head, _, isDir := strings.Cut(rest, "/")
		switch {
		case isDir && data != nil:
			set[head] = true
		case !isDir && data == nil:
			delete(set, head)
		case !isDir:
			set[head] = true
		}
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out, nil
}

// WriteFile records a new content for a file.
func (t *Tree) WriteFile(name string, data []byte) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if data == nil {
		data = []byte{}
	}
	t.changes[name] = append([]byte(nil), data...)
	return nil
}

// Remove records the removal of a file.
func (t *Tree) Remove(name string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.changes[name] = nil
	return nil
}

// Changed tells whether any change is pending.
func (t *Tree) Changed() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.changes) > 0
}

// Build stores the blobs and trees of the edited tree and returns the new
// root tree's hash.
func (t *Tree) Build() (plumbing.Hash, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	full := make(map[string][]byte, len(t.changes))
	for p, d := range t.changes {
		full[t.full(p)] = d
	}
	h, _, err := t.build(t.root, full)
	return h, err
}

// build writes the tree base with changes (paths relative to it) applied.
// It reports an empty tree so that emptied folders disappear, as in git.
func (t *Tree) build(base *object.Tree, changes map[string][]byte) (plumbing.Hash, bool, error) {
	entries := map[string]object.TreeEntry{}
	if base != nil {
		for _, e := range base.Entries {
			entries[e.Name] = e
		}
	}
	sub := map[string]map[string][]byte{}
	for p, data := range changes {
		head, rest, isDir := strings.Cut(p, "/")
		if !isDir {
			if data == nil {
				delete(entries, head)
				continue
			}
			h, err := t.blob(data)
			if err != nil {
				return plumbing.ZeroHash, false, err
			}
			entries[head] = object.TreeEntry{Name: head, Mode: filemode.Regular, Hash: h}
			continue
		}
		if sub[head] == nil {
			sub[head] = map[string][]byte{}
		}
		sub[head][rest] = data
	}
	for dir, ch := range sub {
		var child *object.Tree
		if e, ok := entries[dir]; ok && e.Mode == filemode.Dir {
			var err error
			if child, err = object.GetTree(t.st, e.Hash); err != nil {
				return plumbing.ZeroHash, false, fmt.Errorf("reading tree %s: %w", path.Join(dir), err)
			}
		}
		h, empty, err := t.build(child, ch)
		if err != nil {
			return plumbing.ZeroHash, false, err
		}
		if empty {
			delete(entries, dir)
		} else {
			entries[dir] = object.TreeEntry{Name: dir, Mode: filemode.Dir, Hash: h}
		}
	}
	if len(entries) == 0 {
		return plumbing.ZeroHash, true, nil
	}
	list := make([]object.TreeEntry, 0, len(entries))
	for _, e := range entries {
		list = append(list, e)
	}
	// git orders entries by name, a folder's name compared as if it ended in "/".
	key := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	sort.Slice(list, func(i, j int) bool { return key(list[i]) < key(list[j]) })
	obj := t.st.NewEncodedObject()
	if err := (&object.Tree{Entries: list}).Encode(obj); err != nil {
		return plumbing.ZeroHash, false, err
	}
	h, err := t.st.SetEncodedObject(obj)
	return h, false, err
}

func (t *Tree) blob(data []byte) (plumbing.Hash, error) {
	obj := t.st.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	obj.SetSize(int64(len(data)))
	w, err := obj.Writer()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := w.Write(data); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := w.Close(); err != nil {
		return plumbing.ZeroHash, err
	}
	return t.st.SetEncodedObject(obj)
}

var errNothing = errors.New("nothing to commit")
