package fetch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/drim-m/trust-space/tool/internal/whitelist"
)

// ErrStateLost is a folder that holds what a run left (a list, fetch.json
// or entries.json) but no state file, where no list kept verifies again:
// the run refuses to accept a list without knowing how far it may go back,
// unless Options.AcceptLostState says the operator chose to.
var ErrStateLost = errors.New("the anti-rollback state file is missing, and no list kept in the folder verifies again to take its place")

// recoverState stands in for a state file lost or deleted. The lists kept
// in the folder (the current one and the previous one) are verified again,
// with the run's trust and clock but no age limit, and the latest one that
// passes is the last list accepted: its DateDeGeneration and signed
// content, so that "never go back" and "the same date, the same content"
// hold as they did. Nothing unverified sets it: fetch.json, or a list
// written there by hand, could otherwise forge a date far ahead (every
// later list refused) or an old one (a replay accepted). A folder with
// nothing in it is a first run: no state, and nothing to recover.
func recoverState(opts Options) (*whitelist.State, error) {
	var best *whitelist.State
	var refusals []error
	for _, name := range []string{CurrentFile, PreviousFile} {
		data, err := readKept(filepath.Join(opts.Dir, name), opts.maxBytes())
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			// Not a list this run would have kept (a FIFO, a device, a
			// file past the download cap): not read whole, and it stands
			// for nothing, as a list that does not verify.
			refusals = append(refusals, fmt.Errorf("%s: %w", name, err))
			continue
		}
		vo := opts.Verify
		vo.Last = nil
		vo.MaxAge = -1 // a floor, not a list to trust: its age does not matter
		v, err := whitelist.Verify(data, vo)
		if err != nil {
			refusals = append(refusals, fmt.Errorf("%s: %w", name, err))
			continue
		}
		if best == nil || v.State.Generated.After(best.Generated) {
			st := v.State
			best = &st
		}
	}
	if best != nil {
		// Saved at once: the state is the verified list's, as if it had
		// just been accepted.
		if err := whitelist.WriteState(opts.StateFile, *best); err != nil {
			return nil, fmt.Errorf("saving the state recovered from the lists kept: %w", err)
		}
		return best, nil
	}
	if opts.AcceptLostState || !ranBefore(opts.Dir) {
		return nil, nil
	}
	if len(refusals) > 0 {
		return nil, fmt.Errorf("%w (%w)", ErrStateLost, errors.Join(refusals...))
	}
	return nil, ErrStateLost
}

// ranBefore tells whether a run left files in dir.
func ranBefore(dir string) bool {
	for _, name := range []string{CurrentFile, PreviousFile, MetaFile, EntriesFile} {
		if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
			return true
		}
	}
	return false
}
