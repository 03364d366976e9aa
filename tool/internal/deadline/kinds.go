package deadline

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/drim-m/trust-space/tool/internal/dossier"
	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/validation"
)

// revocations reports what a former operator still owes after each
// operator switch not yet marked revoked.
func (l *lister) revocations(d *registry.DRIMbox) {
	for i, s := range d.Switches {
		if s.RevokedOn != "" {
			continue
		}
		due := s.RevocationDue
		if due == "" {
			on, err := time.Parse(time.DateOnly, s.On)
			if err != nil {
				continue
			}
			due = on.AddDate(0, 0, l.r.TrustSpace.SwitchRevocationDays).Format(time.DateOnly)
		}
		l.add(d, Deadline{
			Key:      fmt.Sprintf("revocation/%d/%s/%s", d.Identifiant, s.From, s.On),
			Kind:     Revocation,
			Operator: s.From,
			Party:    dossier.PartyOperator,
			Due:      due,
			Title:    fmt.Sprintf("DRIMbox %d: %s must revoke its certificates and administration access by %s", d.Identifiant, s.From, due),
			Message: fmt.Sprintf("DRIMbox %d passed from %s to %s on %s; %s must revoke its certificates and administration access by %s, then record switches[%d].revoked_on",
				d.Identifiant, s.From, s.To, s.On, s.From, due, i),
		}, "switches", strconv.Itoa(i), "revocation_due")
	}
}

func (l *lister) certificates(d *registry.DRIMbox) {
	switch d.Status {
	case registry.StatusOperational, registry.StatusIntegrating, registry.StatusReintegrating:
	default:
		return
	}
	for _, c := range []struct {
		which, label string
		cert         registry.Cert
	}{
		{"server", "IGC Santé server certificate", d.Certificates.Server.Cert},
		{"market", "market certificate", d.Certificates.Market},
	} {
		if c.cert.NotAfter == "" {
			continue
		}
		exp, err := time.Parse(time.DateOnly, c.cert.NotAfter)
		if err != nil || exp.Sub(l.today) > time.Duration(l.opts.CertificateDays)*24*time.Hour {
			continue
		}
		id := c.cert.Serial
		if id == "" {
			id = c.cert.SHA256
		}
		l.add(d, Deadline{
			Key:      fmt.Sprintf("certificate/%d/%s/%s", d.Identifiant, c.which, id),
			Kind:     Certificate,
			Operator: d.Operator,
			Party:    dossier.PartyOperator,
			Due:      c.cert.NotAfter,
			Title:    fmt.Sprintf("DRIMbox %d: %s expires on %s", d.Identifiant, c.label, c.cert.NotAfter),
			Message: fmt.Sprintf("the %s of DRIMbox %d (serial %s) is valid until %s; renew it and record the new certificate under certificates.%s",
				c.label, d.Identifiant, c.cert.Serial, c.cert.NotAfter, c.which),
		}, "certificates", c.which, "not_after")
	}
}

// dossier reports who an integrating or reintegrating DRIMbox's dossier
// waits on, one deadline per party.
func (l *lister) dossier(d *registry.DRIMbox) {
	if d.Status != registry.StatusIntegrating && d.Status != registry.StatusReintegrating {
		return
	}
	cl := dossier.Status(l.r, d)
	conds := map[string][]string{}
	var parties []string
	for _, it := range cl.Items {
		ps := []string{it.Party}
		if it.Party == dossier.PartyBoth {
			ps = []string{dossier.PartyOperator, dossier.PartyClient}
		}
		for _, p := range ps {
			if _, seen := conds[p]; !seen {
				parties = append(parties, p)
				conds[p] = nil
			}
			if it.Condition != "" && !slices.Contains(conds[p], it.Condition) {
				conds[p] = append(conds[p], it.Condition)
			}
		}
	}
	if len(parties) > 1 {
		// The ANS acts once the others are done.
		parties = slices.DeleteFunc(parties, func(p string) bool { return p == dossier.PartyANS })
	}
	for _, p := range parties {
		dl := Deadline{
			Key:      fmt.Sprintf("dossier/%d/%s", d.Identifiant, p),
			Kind:     Dossier,
			Operator: d.Operator,
			Party:    p,
		}
		what := ""
		if len(conds[p]) > 0 {
			what = " (" + strings.Join(conds[p], ", ") + ")"
		}
		switch p {
		case dossier.PartyANS:
			dl.Title = fmt.Sprintf("DRIMbox %d: %s, waiting on the ANS's decision", d.Identifiant, d.Status)
			dl.Message = fmt.Sprintf("DRIMbox %d is %s, its dossier is complete and its operator supplied the Validation d'Aptitude; the ANS decides: operational, in a pull request of its own", d.Identifiant, d.Status)
		case dossier.PartyClient:
			dl.Title = fmt.Sprintf("DRIMbox %d: dossier waiting on the Client%s", d.Identifiant, what)
			dl.Message = fmt.Sprintf("the dossier of DRIMbox %d waits on the Client%s; %s relays (drimm dossier status %d)", d.Identifiant, what, d.Operator, d.Identifiant)
		default:
			dl.Title = fmt.Sprintf("DRIMbox %d: dossier waiting on %s%s", d.Identifiant, d.Operator, what)
			dl.Message = fmt.Sprintf("the dossier of DRIMbox %d waits on its operator %s%s (drimm dossier status %d)", d.Identifiant, d.Operator, what, d.Identifiant)
		}
		l.add(d, dl, "status")
	}
}

// conditions reports, per versioned condition, what a DRIMbox declared
// before it still lacks, due at the end of its grace period.
func (l *lister) conditions(d *registry.DRIMbox) {
	switch d.Status {
	case registry.StatusOperational, registry.StatusIntegrating, registry.StatusReintegrating:
	default:
		return
	}
	byCond := map[string][]validation.Requirement{}
	var order []string
	for _, p := range validation.Pending(l.r, d) {
		if _, seen := byCond[p.Condition]; !seen {
			order = append(order, p.Condition)
		}
		byCond[p.Condition] = append(byCond[p.Condition], p)
	}
	for _, id := range order {
		reqs := byCond[id]
		c := l.r.Condition(id)
		var what []string
		for _, r := range reqs {
			what = append(what, r.Msg)
		}
		l.add(d, Deadline{
			Key:      fmt.Sprintf("condition/%d/%s/%s", d.Identifiant, id, c.AppliesFrom),
			Kind:     Condition,
			Operator: d.Operator,
			Party:    dossier.PartyOperator,
			Due:      reqs[0].Due,
			Title:    fmt.Sprintf("DRIMbox %d: meet %s (applies from %s) by %s", d.Identifiant, id, c.AppliesFrom, reqs[0].Due),
			Message: fmt.Sprintf("%s (%s) applies from %s; DRIMbox %d, declared before, has until %s: %s",
				id, c.Title, c.AppliesFrom, d.Identifiant, reqs[0].Due, strings.Join(what, "; ")),
		}, reqs[0].Path...)
	}
}
