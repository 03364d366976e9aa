package whitelist

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/drim-m/trust-space/tool/internal/atomicfile"
	"github.com/drim-m/trust-space/tool/listeblanche/xades"
)

// PublishOptions are what Publish needs: the list, how to sign it and how
// a relying party will verify it.
type PublishOptions struct {
	// Dir is the published folder (whitelist/).
	Dir string
	// List is the built list.
	List *List
	// Sign holds the key (in an HSM), the certificate chain and the signing
	// time.
	Sign xades.SignOptions
	// Verify is the relying party's view: pinned roots, CRLs, expectations.
	// Its Last is taken from the index.
	Verify VerifyOptions
}

// Published says what Publish wrote.
type Published struct {
	Entry   IndexEntry
	Current string // path of the current list
	History string // path of the dated copy
	Signed  []byte
}

// Publish signs the list, verifies what was signed as a DRIMbox would, then
// writes the folder: the dated copy under history/, the current list and
// the index, in that order, each file atomically. The index is written last:
// if anything fails, the files written by this run are removed or restored
// and the folder is as it was.
func Publish(opts PublishOptions) (*Published, error) {
	ix, err := ReadIndex(opts.Dir)
	if err != nil {
		return nil, err
	}
	if err := CheckIndex(opts.Dir, ix); err != nil {
		return nil, fmt.Errorf("the published folder %s is not as its index says, so nothing was published: %w", opts.Dir, err)
	}
	if last := ix.Last(); last != nil {
		if !opts.List.Generated.After(last.Generated) {
			return nil, fmt.Errorf("%w: the new list's DateDeGeneration %s is not after the last published one, %s",
				ErrRollback, FormatTime(opts.List.Generated), FormatTime(last.Generated))
		}
		opts.Verify.Last = &State{Generated: last.Generated, ContentSHA256: last.ContentSHA256, SigningTime: last.SigningTime}
	}
	unsigned, err := Marshal(opts.List)
	if err != nil {
		return nil, err
	}
	signed, err := xades.Sign(unsigned, opts.Sign)
	if err != nil {
		return nil, fmt.Errorf("signing: %w", err)
	}
	v, err := Verify(signed, opts.Verify)
	if err != nil {
		return nil, fmt.Errorf("the signed list does not verify, so nothing was published: %w", err)
	}
	if !sameList(v.List, opts.List) {
		return nil, fmt.Errorf("the signed list reads back differently from the built one, so nothing was published")
	}

	histRel := path.Join(HistoryDir, "LISTEBLANCHE_DRIM-M."+opts.List.Generated.UTC().Format("2006.01.02T150405Z")+".xml")
	entry := ix.next(histRel, signed, v)
	ix.Format, ix.Current = indexFormat, CurrentFile
	ix.Lists = append(ix.Lists, entry)
	indexData, err := json.MarshalIndent(ix, "", "  ")
	if err != nil {
		return nil, err
	}
	out := &Published{
		Entry:   entry,
		Current: filepath.Join(opts.Dir, CurrentFile),
		History: filepath.Join(opts.Dir, filepath.FromSlash(histRel)),
		Signed:  signed,
	}
	if err := writePublished(opts.Dir, out, append(indexData, '\n')); err != nil {
		return nil, err
	}
	return out, nil
}

// writePublished writes the three files, undoing its own writes on failure.
func writePublished(dir string, p *Published, index []byte) error {
	previous, err := os.ReadFile(p.Current)
	hadCurrent := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := atomicfile.Create(p.History, p.Signed, 0o644); err != nil {
		return fmt.Errorf("writing the dated copy: %w", err)
	}
	undo := func() {
		os.Remove(p.History)
		if hadCurrent {
			_ = atomicfile.Write(p.Current, previous, 0o644)
		} else {
			os.Remove(p.Current)
		}
	}
	if err := atomicfile.Write(p.Current, p.Signed, 0o644); err != nil {
		undo()
		return fmt.Errorf("writing the current list: %w", err)
	}
	if err := atomicfile.Write(filepath.Join(dir, IndexFile), index, 0o644); err != nil {
		undo()
		return fmt.Errorf("writing the index: %w", err)
	}
	return nil
}

// sameList compares two lists field by field, times by instant.
func sameList(a, b *List) bool {
	if a.Namespace != b.Namespace || a.VersionFormat != b.VersionFormat || !a.Generated.Equal(b.Generated) || len(a.Domains) != len(b.Domains) {
		return false
	}
	for i := range a.Domains {
		x, y := a.Domains[i], b.Domains[i]
		if !x.Updated.Equal(y.Updated) {
			return false
		}
		x.Updated = y.Updated
		if x != y {
			return false
		}
	}
	return true
}
