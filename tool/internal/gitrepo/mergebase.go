package gitrepo

import (
	"container/heap"
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// ErrNoMergeBase is returned when two commits share no single best common
// ancestor: unrelated histories, or criss-cross merges with several.
var ErrNoMergeBase = errors.New("no single merge-base")

// Range resolves the two revisions of a pull request's change and returns
// the merge-base of base and head (the commit the head's branch forked
// from, as `git diff base...head` compares) and the head. A pull request is
// judged against what it changed, not against what its base branch did
// since: comparing with the base branch's tip would blame it for every
// commit that landed there after the branch was cut.
func (r *Repo) Range(baseRev, headRev string) (mergeBase, head *object.Commit, err error) {
	base, err := r.Commit(baseRev)
	if err != nil {
		return nil, nil, err
	}
	if head, err = r.Commit(headRev); err != nil {
		return nil, nil, err
	}
	if mergeBase, err = r.MergeBase(base, head); err != nil {
		return nil, nil, fmt.Errorf("comparing %s and %s: %w", baseRev, headRev, err)
	}
	return mergeBase, head, nil
}

const (
	fromA = 1 << iota
	fromB
	stale
)

// MergeBase returns the best common ancestor of a and b, walking back from
// both by commit date and stopping as soon as every commit left to visit
// is an ancestor of a common one (git's paint-down), so that the cost is
// the history since the fork, not the whole history of a busy main.
// Several best common ancestors (criss-cross merges) are refused rather
// than one picked: rebase or merge the base branch into the head first.
func (r *Repo) MergeBase(a, b *object.Commit) (*object.Commit, error) {
	if a.Hash == b.Hash {
		return a, nil
	}
	flags := map[plumbing.Hash]int{a.Hash: fromA, b.Hash: fromB}
	q := &commitQueue{}
	heap.Push(q, a)
	heap.Push(q, b)
	var found []*object.Commit
	for q.Len() > 0 && q.live(flags) {
		c := heap.Pop(q).(*object.Commit)
		f := flags[c.Hash]
		if f&(fromA|fromB) == fromA|fromB && f&stale == 0 {
			found = append(found, c)
			f |= stale
			flags[c.Hash] = f
		}
		err := c.Parents().ForEach(func(p *object.Commit) error {
			if flags[p.Hash]&f == f {
				return nil
			}
			flags[p.Hash] |= f
			heap.Push(q, p)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("reading the parents of %s: %w", c.Hash, err)
		}
	}
	found, err := r.independent(found)
	if err != nil {
		return nil, err
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("%w: %s and %s have no common history", ErrNoMergeBase, a.Hash, b.Hash)
	case 1:
		return found[0], nil
	}
	return nil, fmt.Errorf("%w: %s and %s have %d best common ancestors (criss-cross merges); rebase the head on its base, or merge the base into it, so that it forks from one commit",
		ErrNoMergeBase, a.Hash, b.Hash, len(found))
}

// independent drops the candidates that are ancestors of another one,
// which clock skew between commits can leave in.
func (r *Repo) independent(cs []*object.Commit) ([]*object.Commit, error) {
	if len(cs) < 2 {
		return cs, nil
	}
	var out []*object.Commit
	for i, c := range cs {
		redundant := false
		for j, d := range cs {
			if i == j {
				continue
			}
			anc, err := c.IsAncestor(d)
			if err != nil {
				return nil, fmt.Errorf("walking the history of %s: %w", d.Hash, err)
			}
			if anc {
				redundant = true
				break
			}
		}
		if !redundant {
			out = append(out, c)
		}
	}
	return out, nil
}

// commitQueue is a max-heap of commits by committer date.
type commitQueue []*object.Commit

func (q commitQueue) Len() int { return len(q) }
func (q commitQueue) Less(i, j int) bool {
	return q[i].Committer.When.After(q[j].Committer.When)
}
func (q commitQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *commitQueue) Push(x any)   { *q = append(*q, x.(*object.Commit)) }
func (q *commitQueue) Pop() any {
	old := *q
	c := old[len(old)-1]
	*q = old[:len(old)-1]
	return c
}

// live tells whether a commit still to visit is not known to be an
// ancestor of a common one.
func (q commitQueue) live(flags map[plumbing.Hash]int) bool {
	for _, c := range q {
		if flags[c.Hash]&stale == 0 {
			return true
		}
	}
	return false
}
