package listeblanche

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/drim-m/trust-space/tool/listeblanche/format"
)

// State is what a relying party keeps of the last list it accepted, so that
// it never goes back to an older one. It marshals to the JSON of drimm's
// --state files, so a DRIMbox and drimm whitelist fetch can share one.
type State struct {
	// Generated is the DateDeGeneration of the last list accepted.
	Generated time.Time `json:"date_de_generation"`
	// ContentSHA256 is the SHA-256 of its signed content (canonical form,
	// without the signature), so that a list re-signed unchanged is
	// accepted again.
	ContentSHA256 string `json:"content_sha256"`
	// SigningTime is its signing time.
	SigningTime time.Time `json:"signing_time"`
}

// LoadState reads the state saved at path. A missing file is the first
// run: no state, no error. Any other failure (unreadable, not JSON, no
// date) is an error, and the caller must not verify without the state:
// treating a damaged state as none would let an attacker who can corrupt it
// roll the DRIMbox back to any older list.
func LoadState(path string) (*State, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("listeblanche: reading state %s: %w", path, err)
	}
	var st State
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("listeblanche: state %s is not a Liste Blanche state: %v", path, err)
	}
	if st.Generated.IsZero() {
		return nil, fmt.Errorf("listeblanche: state %s has no date_de_generation", path)
	}
	return &st, nil
}

// SaveState replaces the state at path atomically: a reader, or a crash,
// sees the old state or the new one, never a torn file. Save it after each
// list Verify accepts, before trusting the list's entries.
func SaveState(path string, st State) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("listeblanche: saving state %s: %w", path, err)
	}
	name := tmp.Name()
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(name, path)
	}
	if err != nil {
		os.Remove(name)
		return fmt.Errorf("listeblanche: saving state %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

func (s *State) internal() *format.State {
	if s == nil {
		return nil
	}
	return &format.State{Generated: s.Generated, ContentSHA256: s.ContentSHA256, SigningTime: s.SigningTime}
}

func stateOf(s format.State) State {
	return State{Generated: s.Generated, ContentSHA256: s.ContentSHA256, SigningTime: s.SigningTime}
}
