package cli

import (
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/drim-m/trust-space/tool/internal/whitelist"
	"github.com/drim-m/trust-space/tool/listeblanche/xades"
)

// whitelistRefusalHint says what to do with a list refused for err.
func whitelistRefusalHint(err error) string {
	switch {
	case errors.Is(err, xades.ErrUnsigned):
		return "a DRIMbox only trusts a signed list; download the signed one"
	case errors.Is(err, xades.ErrDigest), errors.Is(err, xades.ErrSignature):
		return "the file is not the one the ANS signed; download it again and keep the previous list"
	case errors.Is(err, xades.ErrCertificate):
		return "check --trust-anchor and --ca: the list must chain to the pinned IGC Santé root"
	case errors.Is(err, xades.ErrRevoked):
		return "the signer is revoked: keep the previous list and alert the ANS"
	case errors.Is(err, xades.ErrNoCRL):
		return "check that the CA's CRL can be fetched (or give it with --crl); keep the previous list meanwhile"
	case errors.Is(err, xades.ErrSigningTime), errors.Is(err, whitelist.ErrDates):
		return "the signature's dates are not plausible (a backdated signature, or a wrong clock): check this machine's clock, keep the previous list"
	case errors.Is(err, xades.ErrUnsignedContent):
		return "the file carries unsigned content: download it again and keep the previous list"
	case errors.Is(err, whitelist.ErrStale):
		return "the list is too old: fetch the current one; keep the previous list meanwhile"
	case errors.Is(err, whitelist.ErrRollback):
		return "an older list was served: keep the list already accepted"
	}
	return "keep the previous list; do not trust this one"
}

// writeWhitelistEntries prints the entries as an aligned table, in one
// write: a list of ten thousand entries is read through a pipe, and
// tabwriter's cell-by-cell writes cost more than the verification.
func writeWhitelistEntries(w io.Writer, l *whitelist.List) error {
	header := [...]string{"IDENTIFIANT", "DB", "VI", "DENOMINATION", "DATEMAJ"}
	rows := make([][5]string, len(l.Domains))
	width := [5]int{}
	for i, h := range header {
		width[i] = utf8.RuneCountInString(h)
	}
	for i, d := range l.Domains {
		rows[i] = [5]string{strconv.Itoa(d.ID), d.DB, dashIfEmpty(d.VI), d.Denomination, whitelist.FormatTime(d.Updated)}
		for c, cell := range rows[i][:4] {
			width[c] = max(width[c], utf8.RuneCountInString(cell))
		}
	}
	size := 0
	for _, n := range width {
		size += n + 2
	}
	buf := make([]byte, 0, (len(rows)+1)*size)
	line := func(cells [5]string) {
		for c, cell := range cells {
			buf = append(buf, cell...)
			if c == len(cells)-1 {
				break
			}
			for pad := width[c] - utf8.RuneCountInString(cell) + 2; pad > 0; pad-- {
				buf = append(buf, ' ')
			}
		}
		buf = append(buf, '\n')
	}
	line(header)
	for _, r := range rows {
		line(r)
	}
	_, err := w.Write(buf)
	return err
}

// verifiedJSON is what verify --format json prints for an accepted list.
type verifiedJSON struct {
	Verified    bool        `json:"verified"`
	File        string      `json:"file"`
	Generated   string      `json:"date_de_generation"`
	SigningTime string      `json:"signing_time"`
	Signer      string      `json:"signer"`
	Warnings    []string    `json:"warnings,omitempty"`
	Entries     []entryJSON `json:"entries"`
}

type entryJSON struct {
	ID             int    `json:"identifiant"`
	DB             string `json:"db"`
	VI             string `json:"vi"`
	Denomination   string `json:"denomination"`
	CertDN         string `json:"dn_certificat_operateur"`
	SupportContact string `json:"support_contact"`
	Updated        string `json:"date_maj"`
}

func whitelistJSONEntries(l *whitelist.List) []entryJSON {
	out := make([]entryJSON, 0, len(l.Domains))
	for _, d := range l.Domains {
		out = append(out, entryJSON{d.ID, d.DB, d.VI, d.Denomination, d.CertDN, d.SupportContact, whitelist.FormatTime(d.Updated)})
	}
	return out
}

// writeWhitelistJSON writes v as one line of JSON: lists of ten thousand
// entries are read by programs, and indenting them costs more than the
// verification.
func writeWhitelistJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
