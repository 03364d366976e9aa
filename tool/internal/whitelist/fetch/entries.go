package fetch

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/drim-m/trust-space/tool/internal/whitelist"
)

// EntriesFile is the verified list as JSON (schemas/liste-blanche-entries.schema.json),
// written beside the list only after it verified: what a DRIMbox in any
// language reads its peers from, so that it never parses the XML, where
// unsigned content could be read as signed.
const EntriesFile = "entries.json"

// EntriesFormat names the JSON's shape; another shape gets another name.
const EntriesFormat = "drimm/liste-blanche-entries/v1"

// Entries is the content of EntriesFile: the list as the signature covers
// it, and who signed it when.
type Entries struct {
	Format         string    `json:"format"`
	Generated      time.Time `json:"date_de_generation"`
	SigningTime    time.Time `json:"signing_time"`
	SignerSubject  string    `json:"signer_subject"`
	SignerNotAfter time.Time `json:"signer_not_after"`
	// ContentSHA256 is the digest of the signed content, as in the
	// anti-rollback state.
	ContentSHA256 string  `json:"content_sha256"`
	Entries       []Entry `json:"entries"`
}

// Entry is one DRIMbox of the list; the keys are the XML element names in
// snake case.
type Entry struct {
	ID             int       `json:"identifiant"`
	DB             string    `json:"db"`
	VI             string    `json:"vi,omitempty"`
	Denomination   string    `json:"denomination"`
	CertDN         string    `json:"dn_certificat_operateur"`
	SupportContact string    `json:"support_contact"`
	Updated        time.Time `json:"date_maj"`
}

// entriesOf is the verifier's result as JSON: the entries come from the
// signed content it read, never from the file again.
func entriesOf(v *whitelist.Verified) ([]byte, error) {
	e := Entries{
		Format: EntriesFormat, Generated: v.List.Generated.UTC(), SigningTime: v.Signed.SigningTime.UTC(),
		SignerSubject: v.Signed.Signer.Subject.String(), SignerNotAfter: v.Signed.Signer.NotAfter.UTC(),
		ContentSHA256: v.State.ContentSHA256, Entries: make([]Entry, len(v.List.Domains)),
	}
	for i, d := range v.List.Domains {
		e.Entries[i] = Entry{ID: d.ID, DB: d.DB, VI: d.VI, Denomination: d.Denomination, CertDN: d.CertDN,
			SupportContact: d.SupportContact, Updated: d.Updated.UTC()}
	}
	data, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// ReadEntries reads an EntriesFile. A file of another format, or without
// its generation date, is refused rather than read as an empty list.
func ReadEntries(path string) (*Entries, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var e Entries
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, fmt.Errorf("%s is not a verified list's entries: %w", path, err)
	}
	switch {
	case e.Format != EntriesFormat:
		return nil, fmt.Errorf("%s is of format %q, not %q", path, e.Format, EntriesFormat)
	case e.Generated.IsZero():
		return nil, errors.New(path + " has no date_de_generation")
	}
	return &e, nil
}
