package gitrepo

import (
	"bytes"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// TreeProblem is a tree git would refuse to accept (git fsck): two
// entries of one name, entries out of git's order, a name no checkout can
// write faithfully, or a malformed entry. A checkout of such a tree may
// take another blob than the one read and checked.
type TreeProblem struct {
	// Path is the tree's folder in the repository ("" for the root).
	Path string
	Msg  string
}

// rawEntry is one entry of a tree object as written.
type rawEntry struct {
	mode string
	name string
	hash plumbing.Hash
}

func (e rawEntry) dir() bool { return e.mode == "40000" || e.mode == "040000" }

// CheckTrees checks, as git fsck does, every tree of head that differs
// from base (the trees a change brings) and every tree on the way to and
// under the folders in read (what drimm reads, changed or not).
func (r *Repo) CheckTrees(base, head *object.Commit, read []string) ([]TreeProblem, error) {
	var baseRoot plumbing.Hash
	if base != nil {
		baseRoot = base.TreeHash
	}
	for i, d := range read {
		read[i] = strings.Trim(path.Clean(d), "/")
	}
	var out []TreeProblem
	var visit func(h, b plumbing.Hash, dir string) error
	visit = func(h, b plumbing.Hash, dir string) error {
		entries, err := r.rawTree(h)
		if err != nil {
			return fmt.Errorf("reading tree %s (%s) of %s: %w", h, dirName(dir), head.Hash, err)
		}
		if msg := treeProblem(entries); msg != "" {
			out = append(out, TreeProblem{Path: dir, Msg: msg})
			// Which entry git would take is unclear: nothing below is
			// read with any confidence, and the one finding suffices.
			return nil
		}
		baseDirs := map[string]plumbing.Hash{}
		if !b.IsZero() {
			if be, err := r.rawTree(b); err == nil {
				for _, e := range be {
					if e.dir() {
						baseDirs[e.name] = e.hash
					}
				}
			}
		}
		for _, e := range entries {
			if !e.dir() {
				continue
			}
			child := path.Join(dir, e.name)
			if e.hash == baseDirs[e.name] && !onReadPath(child, read) {
				continue
			}
			if err := visit(e.hash, baseDirs[e.name], child); err != nil {
				return err
			}
		}
		return nil
	}
	if err := visit(head.TreeHash, baseRoot, ""); err != nil {
		return nil, err
	}
	return out, nil
}

// onReadPath tells whether a folder is one drimm reads, inside one, or on
// the way to one.
func onReadPath(dir string, read []string) bool {
	for _, d := range read {
		if d == "" || d == "." || dir == d || strings.HasPrefix(dir, d+"/") || strings.HasPrefix(d, dir+"/") {
			return true
		}
	}
	return false
}

func dirName(dir string) string {
	if dir == "" {
		return "root"
	}
	return dir
}

// rawTree reads a tree object's entries as written, without go-git's
// decoding, which would hide the order and repeated names.
func (r *Repo) rawTree(h plumbing.Hash) ([]rawEntry, error) {
	obj, err := r.repo.Storer.EncodedObject(plumbing.TreeObject, h)
	if err != nil {
		return nil, err
	}
	rd, err := obj.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	data, err := io.ReadAll(rd)
	if err != nil {
		return nil, err
	}
	var out []rawEntry
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		nul := bytes.IndexByte(data, 0)
		if sp <= 0 || nul <= sp || len(data) < nul+1+20 {
			// A truncated or malformed entry is a tree git refuses too.
			return append(out, rawEntry{mode: "malformed"}), nil
		}
		var hash plumbing.Hash
		copy(hash[:], data[nul+1:nul+21])
		out = append(out, rawEntry{mode: string(data[:sp]), name: string(data[sp+1 : nul]), hash: hash})
		data = data[nul+21:]
	}
	return out, nil
}
