// Package park builds the register of an operator's DRIMbox fleet (its
// parc), which every operator must keep: each DRIMbox it runs or has
// handed over to another operator, with its status, funding, dates and
// the deadlines it owes.
package park

import (
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/drim-m/trust-space/tool/internal/deadline"
	"github.com/drim-m/trust-space/tool/internal/registry"
)

// How a DRIMbox relates to the operator of the register.
const (
	// Operated DRIMboxes are the operator's own.
	Operated = "operated"
	// HandedOver DRIMboxes passed to another operator; the register keeps
	// them for their history and the revocation owed.
	HandedOver = "handed-over"
)

// Entry is one line of the register.
type Entry struct {
	Identifiant        int             `json:"identifiant"`
	DBName             string          `json:"db_name"`
	VIName             string          `json:"vi_name,omitempty"`
	Relation           string          `json:"relation"`
	Operator           string          `json:"operator"`
	Status             registry.Status `json:"status"`
	Funding            string          `json:"funding"`
	DeclaredOn         string          `json:"declared_on"`
	AptitudeOn         string          `json:"aptitude_on,omitempty"`
	ExcludedOn         string          `json:"excluded_on,omitempty"`
	WithdrawnOn        string          `json:"withdrawn_on,omitempty"`
	ZEDContainer       string          `json:"zed_container,omitempty"`
	ZEDOrder           string          `json:"zed_order,omitempty"`
	PACS               []string        `json:"pacs"`
	ServerCertNotAfter string          `json:"server_cert_not_after,omitempty"`
	MarketCertNotAfter string          `json:"market_cert_not_after,omitempty"`
	// SwitchFrom, SwitchTo and SwitchOn describe the latest operator
	// switch involving the register's operator.
	SwitchFrom    string `json:"switch_from,omitempty"`
	SwitchTo      string `json:"switch_to,omitempty"`
	SwitchOn      string `json:"switch_on,omitempty"`
	RevocationDue string `json:"revocation_due,omitempty"`
	RevokedOn     string `json:"revoked_on,omitempty"`
	// Deadlines are those the register's operator must act on or relay.
	Deadlines []deadline.Deadline `json:"deadlines"`
}

// Register lists, by Identifiant, the DRIMboxes the operator runs and
// those it handed over to another operator, with the deadlines it owes as
// of opts.At.
func Register(r *registry.Registry, operator string, opts deadline.Options) []Entry {
	byBox := map[int][]deadline.Deadline{}
	for _, dl := range deadline.List(r, opts) {
		if dl.Operator == operator {
			byBox[dl.Identifiant] = append(byBox[dl.Identifiant], dl)
		}
	}
	var out []Entry
	for _, d := range r.DRIMboxes {
		e := entry(r, d)
		if d.Operator == operator {
			e.Relation = Operated
		} else {
			e.Relation = HandedOver
		}
		involved := false
		for _, s := range d.Switches {
			if s.From == operator || s.To == operator {
				e.SwitchFrom, e.SwitchTo, e.SwitchOn = s.From, s.To, s.On
				e.RevocationDue, e.RevokedOn = s.RevocationDue, s.RevokedOn
				involved = involved || s.From == operator
			}
		}
		if d.Operator != operator && !involved {
			continue
		}
		e.Deadlines = byBox[d.Identifiant]
		if e.Deadlines == nil {
			e.Deadlines = []deadline.Deadline{}
		}
		out = append(out, e)
	}
	return out
}

func entry(r *registry.Registry, d *registry.DRIMbox) Entry {
	zone := r.TrustSpace.Zone
	e := Entry{
		Identifiant:        d.Identifiant,
		DBName:             d.DBName(zone),
		Operator:           d.Operator,
		Status:             d.Status,
		Funding:            d.Funding,
		DeclaredOn:         d.DeclaredOn,
		ZEDContainer:       d.Dossier.ZED.Container,
		ZEDOrder:           d.Dossier.ZED.Order,
		PACS:               []string{},
		ServerCertNotAfter: d.Certificates.Server.NotAfter,
		MarketCertNotAfter: d.Certificates.Market.NotAfter,
	}
	if d.Endpoints.VI != "" {
		e.VIName = d.VIName(zone)
	}
	if d.Dossier.VA != nil {
		e.AptitudeOn = d.Dossier.VA.IssuedOn
	}
	if d.Exclusion != nil {
		e.ExcludedOn = d.Exclusion.On
	}
	if d.Withdrawal != nil {
		e.WithdrawnOn = d.Withdrawal.On
	}
	for _, p := range d.PACS {
		e.PACS = append(e.PACS, p.ID)
	}
	return e
}

// csvHeader are the register's CSV columns.
var csvHeader = []string{
	"identifiant", "db_name", "vi_name", "relation", "operator", "status", "funding",
	"declared_on", "aptitude_on", "excluded_on", "withdrawn_on", "zed_container", "zed_order", "pacs",
	"server_cert_not_after", "market_cert_not_after", "switch_from", "switch_to", "switch_on",
	"revocation_due", "revoked_on", "next_deadline", "next_deadline_kind", "overdue",
}

// WriteCSV writes the register as CSV (RFC 4180, comma-separated, one
// header line). The next deadline is the earliest dated one; the overdue
// column says whether any is overdue.
func WriteCSV(w io.Writer, entries []Entry) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, e := range entries {
		next, kind, overdue := "", "", false
		for _, dl := range e.Deadlines {
			overdue = overdue || dl.Overdue
			if dl.Due != "" && (next == "" || dl.Due < next) {
				next, kind = dl.Due, string(dl.Kind)
			}
		}
		if err := cw.Write([]string{
			strconv.Itoa(e.Identifiant), e.DBName, e.VIName, e.Relation, e.Operator, string(e.Status), e.Funding,
			e.DeclaredOn, e.AptitudeOn, e.ExcludedOn, e.WithdrawnOn, e.ZEDContainer, e.ZEDOrder, strings.Join(e.PACS, " "),
			e.ServerCertNotAfter, e.MarketCertNotAfter, e.SwitchFrom, e.SwitchTo, e.SwitchOn,
			e.RevocationDue, e.RevokedOn, next, kind, strconv.FormatBool(overdue),
		}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Operators lists the operators a register may be asked for: those with a
// record.
func Operators(r *registry.Registry) []string {
	var out []string
	for id := range r.Operators {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}
