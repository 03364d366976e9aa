package whitelist

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/drim-m/trust-space/tool/internal/atomicfile"
)

// ReadState reads a state file; a missing file is no state (nil, nil).
func ReadState(path string) (*State, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading state %s: %w", path, err)
	}
	return ParseState(path, data)
}

// ParseState reads the content of the state file path, read by the
// caller.
func ParseState(path string, data []byte) (*State, error) {
	var st State
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("state %s is not a drimm whitelist state: %v", path, err)
	}
	if st.Generated.IsZero() {
		return nil, fmt.Errorf("state %s has no date_de_generation", path)
	}
	return &st, nil
}

// WriteState replaces the state file atomically.
func WriteState(path string, st State) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, append(data, '\n'), 0o644)
}
