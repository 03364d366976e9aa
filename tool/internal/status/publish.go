package status

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"
)

// Publish says how a run's data is committed and pushed.
type Publish struct {
	// Repo is the work tree's root folder.
	Repo string
	// Dir is the data folder inside the repository, slash-separated ("status").
	Dir string
	// Remote is pushed to; when the repository has no such remote the
	// commit stays local. Defaults to "origin".
	Remote string
	// Auth authenticates fetches and pushes (nil for local remotes).
	Auth transport.AuthMethod
	// Author signs the commit; its When is required and comes from the
	// caller's clock.
	Author object.Signature
	// Message is the commit message.
	Message string
	// Attempts bounds the fetch-apply-push rounds when pushes race (default 8).
	Attempts int
	// Apply makes the change on the data folder as it stands in the
	// latest remote commit. It is called again on each attempt.
	Apply func(FS) error
}

// ErrDirty is returned when tracked files have uncommitted changes: the
// reset to the pushed commit would lose them, so Publish refuses to start.
var ErrDirty = errors.New("the work tree has uncommitted changes")

// Commit applies the change on top of the remote branch, commits it and
// pushes. When another push got there first, it fetches the new tip,
// applies the change again on it and retries, so that no run's result is
// lost. On success the local branch and work tree move to the new commit.
func (p Publish) Commit(ctx context.Context) (plumbing.Hash, error) {
	if p.Remote == "" {
		p.Remote = "origin"
	}
	if p.Attempts <= 0 {
		p.Attempts = 8
	}
	repo, err := git.PlainOpen(p.Repo)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("opening git repository %s: %w", p.Repo, err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if dirty, err := changedTracked(wt); err != nil {
		return plumbing.ZeroHash, err
	} else if dirty {
		return plumbing.ZeroHash, ErrDirty
	}
	head, err := repo.Head()
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("reading HEAD: %w", err)
	}
	if !head.Name().IsBranch() {
		return plumbing.ZeroHash, errors.New("HEAD is not on a branch")
	}
	branch := head.Name()
	_, err = repo.Remote(p.Remote)
	hasRemote := err == nil
	tracking := plumbing.NewRemoteReferenceName(p.Remote, branch.Short())

	var lastErr error
	for attempt := 0; attempt < p.Attempts; attempt++ {
		if attempt > 0 {
			// Spread retries so that racing runs do not collide again.
			d := time.Duration(100+rand.IntN(400*attempt)) * time.Millisecond
			select {
			case <-ctx.Done():
				return plumbing.ZeroHash, ctx.Err()
			case <-time.After(d):
			}
		}
		base := head.Hash()
		if hasRemote {
			err := repo.FetchContext(ctx, &git.FetchOptions{RemoteName: p.Remote, Auth: p.Auth,
				RefSpecs: []config.RefSpec{config.RefSpec("+" + branch.String() + ":" + tracking.String())}})
			if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
				return plumbing.ZeroHash, fmt.Errorf("fetching %s: %w", p.Remote, err)
			}
			if ref, err := repo.Reference(tracking, true); err == nil {
				base = ref.Hash()
			}
		}
		commit, err := p.commitOn(repo, base)
		if errors.Is(err, errNothing) {
			return base, nil
		}
		if err != nil {
			return plumbing.ZeroHash, err
		}
		if hasRemote {
			err = p.push(ctx, repo, commit, branch)
			if err != nil {
				if retryable(err) {
					lastErr = err
					continue
				}
				return plumbing.ZeroHash, fmt.Errorf("pushing to %s: %w", p.Remote, err)
			}
			repo.Storer.SetReference(plumbing.NewHashReference(tracking, commit))
		}
		if err := syncWorkTree(repo, wt, p.Repo, head.Hash(), commit); err != nil {
			return commit, fmt.Errorf("updating the work tree: %w", err)
		}
		return commit, nil
	}
	return plumbing.ZeroHash, fmt.Errorf("pushing to %s: gave up after %d attempts: %w", p.Remote, p.Attempts, lastErr)
}

// syncWorkTree moves the checked-out branch from old to commit: it writes
// the files that differ between the two into the work tree, then points
// the branch and the index at commit. Untracked files are left alone.
func syncWorkTree(repo *git.Repository, wt *git.Worktree, root string, old, commit plumbing.Hash) error {
	tree := func(h plumbing.Hash) (*object.Tree, error) {
		c, err := repo.CommitObject(h)
		if err != nil {
			return nil, err
		}
		return c.Tree()
	}
	from, err := tree(old)
	if err != nil {
		return err
	}
	to, err := tree(commit)
	if err != nil {
		return err
	}
	changes, err := object.DiffTree(from, to)
	if err != nil {
		return err
	}
	dir := Dir(root)
	for _, ch := range changes {
		if ch.To.Name == "" {
			if err := dir.Remove(ch.From.Name); err != nil {
				return err
			}
			continue
		}
		f, err := to.File(ch.To.Name)
		if err != nil {
			return err
		}
		content, err := f.Contents()
		if err != nil {
			return err
		}
		if err := dir.WriteFile(ch.To.Name, []byte(content)); err != nil {
			return err
		}
		if f.Mode == filemode.Executable {
			if err := os.Chmod(filepath.Join(root, filepath.FromSlash(ch.To.Name)), 0o755); err != nil {
				return err
			}
		}
	}
	return wt.Reset(&git.ResetOptions{Commit: commit, Mode: git.MixedReset})
}

// changedTracked tells whether a tracked file is modified or staged;
// untracked files (a built binary, a site) are left alone by the reset.
func changedTracked(wt *git.Worktree) (bool, error) {
	st, err := wt.Status()
	if err != nil {
		return false, fmt.Errorf("reading work tree status: %w", err)
	}
	for _, f := range st {
		for _, c := range []git.StatusCode{f.Staging, f.Worktree} {
			if c != git.Unmodified && c != git.Untracked {
				return true, nil
			}
		}
	}
	return false, nil
}

// commitOn applies the change on base's tree and stores the commit.
func (p Publish) commitOn(repo *git.Repository, base plumbing.Hash) (plumbing.Hash, error) {
	parent, err := repo.CommitObject(base)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("reading commit %s: %w", base, err)
	}
	root, err := parent.Tree()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	tree := NewTree(repo.Storer, root, p.Dir)
	if err := p.Apply(tree); err != nil {
		return plumbing.ZeroHash, err
	}
	h, err := tree.Build()
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("building the tree: %w", err)
	}
	if h == root.Hash {
		return plumbing.ZeroHash, errNothing
	}
	author := p.Author
	if author.When.IsZero() {
		return plumbing.ZeroHash, fmt.Errorf("publishing %s: the commit has no date: set Author.When from the run's clock", p.Dir)
	}
	c := &object.Commit{Author: author, Committer: author, Message: p.Message, TreeHash: h, ParentHashes: []plumbing.Hash{base}}
	obj := repo.Storer.NewEncodedObject()
	if err := c.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	return repo.Storer.SetEncodedObject(obj)
}

// push sends commit to the remote branch through a private ref, so that
// the local branch only moves once the push is accepted.
func (p Publish) push(ctx context.Context, repo *git.Repository, commit plumbing.Hash, branch plumbing.ReferenceName) error {
	tmp := plumbing.ReferenceName("refs/drimm/publish")
	if err := repo.Storer.SetReference(plumbing.NewHashReference(tmp, commit)); err != nil {
		return err
	}
	defer repo.Storer.RemoveReference(tmp)
	return repo.PushContext(ctx, &git.PushOptions{
		RemoteName: p.Remote, Auth: p.Auth,
		RefSpecs: []config.RefSpec{config.RefSpec(tmp.String() + ":" + branch.String())},
	})
}

// retryable tells a push refused because the branch moved from a failure
// that another attempt would not cure.
func retryable(err error) bool {
	if errors.Is(err, git.ErrNonFastForwardUpdate) {
		return true
	}
	msg := err.Error()
	for _, s := range []string{"non-fast-forward", "fetch first", "rejected", "stale info", "cannot lock ref", "failed to update ref"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
