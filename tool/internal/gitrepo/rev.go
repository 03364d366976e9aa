package gitrepo

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// ErrAmbiguous is returned for a revision that could name more than one
// commit: a name matching several refs, or an abbreviated SHA.
var ErrAmbiguous = errors.New("ambiguous revision")

// ErrUnknown is returned for a revision that names nothing in the repository.
var ErrUnknown = errors.New("unknown revision")

var (
	fullSHARe = regexp.MustCompile(`^[0-9a-f]{40}$`)
	hexRe     = regexp.MustCompile(`^[0-9a-fA-F]{4,39}$`)
	// suffixRe matches the ancestry steps a revision may end with:
	// ~N (N-th first-parent ancestor) and ^N (N-th parent).
	suffixRe = regexp.MustCompile(`(?:[~^][0-9]*)+$`)
	stepRe   = regexp.MustCompile(`[~^][0-9]*`)
)

// Commit resolves a revision strictly: a full 40-character SHA, or a ref
// (HEAD, a branch, a remote-tracking branch, a tag, or a full refs/ name),
// optionally followed by ~N and ^N steps. A name that matches several refs,
// or an abbreviated SHA, is refused with ErrAmbiguous rather than guessed:
// the revisions compared decide who may change what.
func (r *Repo) Commit(rev string) (*object.Commit, error) {
	suffix := suffixRe.FindString(rev)
	name := strings.TrimSuffix(rev, suffix)
	h, err := r.resolveName(name)
	if err != nil {
		return nil, fmt.Errorf("resolving revision %q: %w", rev, err)
	}
	c, err := r.commitOf(h)
	if err != nil {
		return nil, fmt.Errorf("resolving revision %q: %w", rev, err)
	}
	for _, step := range stepRe.FindAllString(suffix, -1) {
		n := 1
		if len(step) > 1 {
			if n, err = strconv.Atoi(step[1:]); err != nil || n > 1<<16 {
				return nil, fmt.Errorf("resolving revision %q: %w: step %s", rev, ErrUnknown, step)
			}
		}
		if step[0] == '^' {
			if n == 0 {
				continue
			}
			if n > c.NumParents() {
				return nil, fmt.Errorf("resolving revision %q: %w: %s has no parent %d", rev, ErrUnknown, c.Hash, n)
			}
			if c, err = c.Parent(n - 1); err != nil {
				return nil, fmt.Errorf("resolving revision %q: %w", rev, err)
			}
			continue
		}
		for range n {
			if c.NumParents() == 0 {
				return nil, fmt.Errorf("resolving revision %q: %w: %s has no parent", rev, ErrUnknown, c.Hash)
			}
			if c, err = c.Parent(0); err != nil {
				return nil, fmt.Errorf("resolving revision %q: %w", rev, err)
			}
		}
	}
	return c, nil
}

// resolveName turns a full SHA or a ref name into an object hash, the way
// git's rev-parse looks names up, but refusing what git would guess.
func (r *Repo) resolveName(name string) (plumbing.Hash, error) {
	if fullSHARe.MatchString(name) {
		return plumbing.NewHash(name), nil
	}
	if name == "" || strings.Contains(name, "..") || strings.ContainsAny(name, ":@{}[]*?\\ \t") {
		return plumbing.ZeroHash, fmt.Errorf("%w: give a full SHA or a ref name", ErrUnknown)
	}
	var candidates []string
	if name == "HEAD" || strings.HasPrefix(name, "refs/") {
		candidates = []string{name}
	} else {
		candidates = []string{"refs/" + name, "refs/tags/" + name, "refs/heads/" + name,
			"refs/remotes/" + name, "refs/remotes/" + name + "/HEAD"}
	}
	found := map[plumbing.ReferenceName]plumbing.Hash{}
	for _, c := range candidates {
		ref, err := r.repo.Reference(plumbing.ReferenceName(c), true)
		if errors.Is(err, plumbing.ErrReferenceNotFound) {
			continue
		}
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("reading ref %s: %w", c, err)
		}
		found[plumbing.ReferenceName(c)] = ref.Hash()
	}
	switch {
	case len(found) > 1:
		names := make([]string, 0, len(found))
		for _, c := range candidates {
			if _, ok := found[plumbing.ReferenceName(c)]; ok {
				names = append(names, c)
			}
		}
		return plumbing.ZeroHash, fmt.Errorf("%w: %q matches %s; give the full ref name or SHA", ErrAmbiguous, name, strings.Join(names, ", "))
	case len(found) == 1:
		for _, h := range found {
			return h, nil
		}
	}
	if hexRe.MatchString(name) {
		return plumbing.ZeroHash, fmt.Errorf("%w: %q looks like an abbreviated SHA, which is never guessed; give the full 40-character SHA (git rev-parse %s)", ErrAmbiguous, name, name)
	}
	return plumbing.ZeroHash, fmt.Errorf("%w: no ref or commit named %q", ErrUnknown, name)
}

// commitOf reads the commit an object names, peeling annotated tags.
func (r *Repo) commitOf(h plumbing.Hash) (*object.Commit, error) {
	for range 8 {
		obj, err := r.repo.Object(plumbing.AnyObject, h)
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			return nil, fmt.Errorf("%w: no object %s (fetch it first)", ErrUnknown, h)
		}
		if err != nil {
			return nil, fmt.Errorf("reading object %s: %w", h, err)
		}
		switch o := obj.(type) {
		case *object.Commit:
			return o, nil
		case *object.Tag:
			h = o.Target
		default:
			return nil, fmt.Errorf("%w: %s is a %s, not a commit", ErrUnknown, h, obj.Type())
		}
	}
	return nil, fmt.Errorf("%w: tag chain too long at %s", ErrUnknown, h)
}
