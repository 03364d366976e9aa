// Package format reads and checks the Liste Blanche DRIM-M in the format
// the ANS publishes (versionFormat 1.0.0), and verifies a signed one: the
// signature in every point of the ANS profile (package xades), then the
// format of what the signature covers, its freshness and that it does not
// go back before the last list accepted.
//
// It is the one reader of the format: the verifier DRIMboxes import
// (package listeblanche) and drimm, which builds, signs, compares and
// publishes lists, both read lists through it.
package format

import (
	"fmt"
	"sort"
	"time"
)

// DefaultNamespace is the namespace the ANS uses for the list now. The
// namespace is a setting (registry/trust-space.yaml): an older sample used
// https://listeblanche.mesimagesmedicales.fr/schema.
const DefaultNamespace = "https://github.com/ansforge/DRIM-M_DATA"

// VersionFormat is the only format version this package reads and writes.
const VersionFormat = "1.0.0"

// The ANS's expectations of the signer, used when the registry gives none.
const (
	SignerCN = "Liste Blanche DRIM-M"
	SignerOU = "318751275100020"
	SignerO  = "AGENCE DU NUMERIQUE EN SANTE"
)

// timeLayout is how the list writes times: UTC, to the second.
const timeLayout = "2006-01-02T15:04:05Z"

// List is one Liste Blanche.
type List struct {
	// Namespace is the XML namespace of the root element.
	Namespace string
	// VersionFormat is the versionFormat attribute.
	VersionFormat string
	// Generated is DateDeGeneration.
	Generated time.Time
	// Domains are the Domaine entries, in document order.
	Domains []Domain
}

// Domain is one Domaine: one DRIMbox in the trust space.
type Domain struct {
	// ID is the Identifiant, the DRIMbox's permanent index.
	ID int
	// DB is its WADO-RS access point name (db<ID>.<zone>).
	DB string
	// VI is its viewer access point name, empty when it has none.
	VI string
	// Denomination is the operator responsible for it.
	Denomination string
	// CertDN is DNCertificatOperateur, the subject DN of its server
	// certificate.
	CertDN string
	// SupportContact is its administrator's functional mailbox.
	SupportContact string
	// Updated is DateMAJ, when the entry was added or last changed.
	Updated time.Time
}

// Sort orders the entries by Identifiant, as a built list has them.
func (l *List) Sort() {
	sort.SliceStable(l.Domains, func(i, j int) bool { return l.Domains[i].ID < l.Domains[j].ID })
}

// Domain returns the entry with an Identifiant, or nil.
func (l *List) Domain(id int) *Domain {
	for i := range l.Domains {
		if l.Domains[i].ID == id {
			return &l.Domains[i]
		}
	}
	return nil
}

// FormatTime writes t as the list does.
func FormatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// parseTime reads an xsd:dateTime as the list writes it; it accepts any
// time zone, as xsd:dateTime does, but requires one.
func parseTime(field, s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q is not a date and time with a time zone (like 2026-06-19T18:06:52Z)", field, s)
	}
	return t.UTC(), nil
}
