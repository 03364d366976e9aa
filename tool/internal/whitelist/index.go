package whitelist

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// The files of a published whitelist folder.
const (
	CurrentFile = "LISTEBLANCHE_DRIM-M.xml"
	IndexFile   = "index.json"
	HistoryDir  = "history"
	indexFormat = "drimm-whitelist-index/1"
)

// Index lists every published list, oldest first, each chained to the one
// before: Chain is SHA-256(previous Chain ‖ SHA256), starting from 32 zero
// bytes, so that no past entry can change without every later Chain
// changing.
type Index struct {
	Format  string       `json:"format"`
	Current string       `json:"current"`
	Lists   []IndexEntry `json:"lists"`
}

// IndexEntry is one published list.
type IndexEntry struct {
	Sequence       int       `json:"sequence"`
	File           string    `json:"file"`
	Generated      time.Time `json:"date_de_generation"`
	SigningTime    time.Time `json:"signing_time"`
	Entries        int       `json:"entries"`
	SHA256         string    `json:"sha256"`
	ContentSHA256  string    `json:"content_sha256"`
	PreviousSHA256 string    `json:"previous_sha256,omitempty"`
	Chain          string    `json:"chain"`
}

// Last returns the last published list, or nil.
func (ix *Index) Last() *IndexEntry {
	if len(ix.Lists) == 0 {
		return nil
	}
	return &ix.Lists[len(ix.Lists)-1]
}

// next makes the entry that follows the last one for a list with these
// bytes.
func (ix *Index) next(file string, data []byte, v *Verified) IndexEntry {
	sum := sha256.Sum256(data)
	prevChain := make([]byte, sha256.Size)
	e := IndexEntry{Sequence: 1}
	if last := ix.Last(); last != nil {
		prevChain, _ = hex.DecodeString(last.Chain)
		e.Sequence = last.Sequence + 1
		e.PreviousSHA256 = last.SHA256
	}
	chain := sha256.Sum256(append(prevChain, sum[:]...))
	e.File = file
	e.Generated = v.List.Generated
	e.SigningTime = v.Signed.SigningTime.UTC()
	e.Entries = len(v.List.Domains)
	e.SHA256 = hex.EncodeToString(sum[:])
	e.ContentSHA256 = v.State.ContentSHA256
	e.Chain = hex.EncodeToString(chain[:])
	return e
}

// ReadIndex reads dir/index.json; a folder without one has an empty index.
func ReadIndex(dir string) (*Index, error) {
	data, err := os.ReadFile(filepath.Join(dir, IndexFile))
	if errors.Is(err, fs.ErrNotExist) {
		return &Index{Format: indexFormat, Current: CurrentFile}, nil
	}
	if err != nil {
		return nil, err
	}
	var ix Index
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ix); err != nil {
		return nil, fmt.Errorf("%s: %v", filepath.Join(dir, IndexFile), err)
	}
	if ix.Format != indexFormat {
		return nil, fmt.Errorf("%s: format %q, expected %q", filepath.Join(dir, IndexFile), ix.Format, indexFormat)
	}
	return &ix, nil
}

// CheckIndex checks the hash chain of the index and that each file it
// names, and the current list, hold the bytes it records.
func CheckIndex(dir string, ix *Index) error {
	prev := make([]byte, sha256.Size)
	prevSum := ""
	for i, e := range ix.Lists {
		if e.Sequence != i+1 {
			return fmt.Errorf("index entry %d has sequence %d", i+1, e.Sequence)
		}
		if e.PreviousSHA256 != prevSum {
			return fmt.Errorf("index entry %d does not name the list before it", e.Sequence)
		}
		sum, err := hex.DecodeString(e.SHA256)
		if err != nil || len(sum) != sha256.Size {
			return fmt.Errorf("index entry %d has a malformed sha256", e.Sequence)
		}
		chain := sha256.Sum256(append(prev, sum...))
		if hex.EncodeToString(chain[:]) != e.Chain {
			return fmt.Errorf("index entry %d breaks the hash chain", e.Sequence)
		}
		if err := checkFile(filepath.Join(dir, filepath.FromSlash(e.File)), e.SHA256); err != nil {
			return fmt.Errorf("index entry %d: %w", e.Sequence, err)
		}
		prev, prevSum = chain[:], e.SHA256
	}
	if last := ix.Last(); last != nil {
		if err := checkFile(filepath.Join(dir, ix.Current), last.SHA256); err != nil {
			return fmt.Errorf("current list: %w", err)
		}
	}
	return nil
}

func checkFile(path, want string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != want {
		return fmt.Errorf("%s does not hold the published bytes (SHA-256 differs from the index)", path)
	}
	return nil
}
