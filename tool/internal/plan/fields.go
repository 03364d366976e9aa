package plan

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// boxFields lists the fields of a DRIMbox record that differ; base is nil
// for a new record, whose set fields are all listed.
func boxFields(base, head *registry.DRIMbox) []Field {
	if base == nil {
		base = &registry.DRIMbox{}
	}
	var out []Field
	add := func(name, o, n string) {
		if o != n {
			out = append(out, Field{Name: name, Old: o, New: n})
		}
	}
	add("operator", base.Operator, head.Operator)
	add("declared_on", base.DeclaredOn, head.DeclaredOn)
	add("funding", base.Funding, head.Funding)
	add("support_contact", base.SupportContact, head.SupportContact)
	add("endpoints.db", base.Endpoints.DB, head.Endpoints.DB)
	add("endpoints.vi", base.Endpoints.VI, head.Endpoints.VI)
	bs, hs := base.Certificates.Server, head.Certificates.Server
	add("certificates.server.dn", bs.DN, hs.DN)
	add("certificates.server.sha256", bs.SHA256, hs.SHA256)
	add("certificates.server.serial", bs.Serial, hs.Serial)
	add("certificates.server.not_after", bs.NotAfter, hs.NotAfter)
	bm, hm := base.Certificates.Market, head.Certificates.Market
	add("certificates.market.sha256", bm.SHA256, hm.SHA256)
	add("certificates.market.serial", bm.Serial, hm.Serial)
	add("certificates.market.not_after", bm.NotAfter, hm.NotAfter)
	add("pacs", pacs(base.PACS), pacs(head.PACS))
	bd, hd := base.Dossier, head.Dossier
	add("dossier.zed.container", bd.ZED.Container, hd.ZED.Container)
	add("dossier.zed.order", bd.ZED.Order, hd.ZED.Order)
	if bd.Subcontracting != hd.Subcontracting {
		add("dossier.subcontracting", strconv.FormatBool(bd.Subcontracting), strconv.FormatBool(hd.Subcontracting))
	}
	if ids := changedAnswers(bd.Answers, hd.Answers); ids != "" {
		out = append(out, Field{Name: "dossier.answers", New: ids})
	}
	out = append(out, listChange("dossier.documents", documents(bd.Documents), documents(hd.Documents))...)
	out = append(out, listChange("dossier.attestations", attestations(bd.Attestations), attestations(hd.Attestations))...)
	add("dossier.va", va(bd.VA), va(hd.VA))
	add("exclusion", statusChange(base.Exclusion), statusChange(head.Exclusion))
	add("withdrawal", statusChange(base.Withdrawal), statusChange(head.Withdrawal))
	br, hr := base.Reintegration, head.Reintegration
	if br == nil {
		br = &registry.Reintegration{}
	}
	if hr == nil {
		hr = &registry.Reintegration{}
	}
	add("reintegration.remediation", br.Remediation, hr.Remediation)
	out = append(out, listChange("reintegration.documents", documents(br.Documents), documents(hr.Documents))...)
	out = append(out, listChange("reintegration.refusals", refusalList(br.Refusals), refusalList(hr.Refusals))...)
	if len(head.Switches) > len(base.Switches) {
		for _, s := range head.Switches[len(base.Switches):] {
			out = append(out, Field{Name: "switches", New: fmt.Sprintf("from %s to %s on %s, revocation due %s", s.From, s.To, s.On, s.RevocationDue)})
		}
	}
	for i := range min(len(base.Switches), len(head.Switches)) {
		add(fmt.Sprintf("switches[%d].revoked_on", i), base.Switches[i].RevokedOn, head.Switches[i].RevokedOn)
	}
	added := len(base.Switches)
	return append(out, otherFields(base, head, func(p string) bool {
		if i, ok := switchIndex(p); ok {
			return i >= added || strings.HasSuffix(p, ".revoked_on")
		}
		return under(p, boxCovered...)
	})...)
}

// boxCovered are the paths of a DRIMbox record the fields above describe
// in full; any other changed path is listed as it is (see otherFields).
var boxCovered = []string{"identifiant", "status", "operator", "declared_on", "funding", "support_contact",
	"endpoints.db", "endpoints.vi", "certificates.server.dn", "certificates.server.sha256", "certificates.server.serial",
	"certificates.server.not_after", "certificates.market.sha256", "certificates.market.serial", "certificates.market.not_after",
	"pacs", "dossier.zed.container", "dossier.zed.order", "dossier.subcontracting", "dossier.answers", "dossier.documents",
	"dossier.attestations", "dossier.va", "exclusion", "withdrawal", "reintegration.remediation", "reintegration.documents",
	"reintegration.refusals"}

// switchIndex returns the index of a path under switches.
func switchIndex(p string) (int, bool) {
	rest, ok := strings.CutPrefix(p, "switches[")
	if !ok {
		return 0, false
	}
	n, _, _ := strings.Cut(rest, "]")
	i, err := strconv.Atoi(n)
	return i, err == nil
}

func operatorFields(base, head *registry.Operator) []Field {
	var out []Field
	add := func(name, o, n string) {
		if o != n {
			out = append(out, Field{Name: name, Old: o, New: n})
		}
	}
	add("denomination", base.Denomination, head.Denomination)
	add("siren", base.SIREN, head.SIREN)
	out = append(out, listChange("maintainers", base.Maintainers, head.Maintainers)...)
	add("contacts.support", base.Contacts.Support, head.Contacts.Support)
	add("contacts.security", base.Contacts.Security, head.Contacts.Security)
	add("contacts.guichet", base.Contacts.Guichet, head.Contacts.Guichet)
	out = append(out, listChange("documents", sharedDocuments(base.Documents), sharedDocuments(head.Documents))...)
	return append(out, otherFields(base, head, func(p string) bool {
		return under(p, "id", "denomination", "siren", "maintainers", "contacts.support", "contacts.security", "contacts.guichet", "documents")
	})...)
}

// sharedDocuments describes an operator's shared documents with their
// digests: the DRIMboxes' dossiers that name them take those digests.
func sharedDocuments(ds []registry.SharedDocument) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = fmt.Sprintf("%s (%s, sha256 %s)", d.Name, d.Kind, d.SHA256)
	}
	return out
}

// listChange reports the items added to and removed from a list.
func listChange(name string, base, head []string) []Field {
	var added, removed []string
	for _, h := range head {
		if !slices.Contains(base, h) {
			added = append(added, h)
		}
	}
	for _, b := range base {
		if !slices.Contains(head, b) {
			removed = append(removed, b)
		}
	}
	var out []Field
	if len(added) > 0 {
		out = append(out, Field{Name: name + " added", New: strings.Join(added, ", ")})
	}
	if len(removed) > 0 {
		out = append(out, Field{Name: name + " removed", Old: strings.Join(removed, ", ")})
	}
	return out
}

func pacs(ps []registry.PACS) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.ID + " (" + p.Label + ")"
	}
	return strings.Join(parts, ", ")
}

func changedAnswers(base, head map[string]registry.Answer) string {
	var ids []string
	for id, h := range head {
		if b, ok := base[id]; !ok || b != h {
			ids = append(ids, id)
		}
	}
	for id := range base {
		if _, ok := head[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return strings.Join(ids, ", ")
}

// documents describes each document with everything the record says of
// it, digest included, so that a changed digest shows as the document
// removed and added again.
func documents(ds []registry.Document) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		var what []string
		for _, s := range []string{d.Condition, d.Kind} {
			if s != "" {
				what = append(what, s)
			}
		}
		if d.Shared != "" {
			what = append(what, "shared "+d.Shared)
		}
		if d.SHA256 != "" {
			what = append(what, "sha256 "+d.SHA256)
		}
		out[i] = d.Name + " (" + strings.Join(what, ", ") + ")"
	}
	return out
}

// attestations describes each attestation with its digest and who signed
// it, in which function, when and how.
func attestations(as []registry.Attestation) []string {
	out := make([]string, len(as))
	for i, a := range as {
		signers := make([]string, len(a.SignedBy))
		for j, s := range a.SignedBy {
			signers[j] = s.Party + ": " + s.Role
		}
		desc := fmt.Sprintf("%s (%s %s, sha256 %s, signed by %s", a.Document, a.Condition, a.Kind, a.SHA256, strings.Join(signers, "; "))
		if a.SignedOn != "" {
			desc += " on " + a.SignedOn
		}
		if a.Signature != nil {
			desc += " via " + a.Signature.Method + " " + a.Signature.Provider
		}
		out[i] = desc + ")"
	}
	return out
}

func va(v *registry.VA) string {
	if v == nil {
		return ""
	}
	return fmt.Sprintf("%s, %s, sha256 %s, issued %s", v.Variant, v.Document, v.SHA256, v.IssuedOn)
}

func refusalList(rs []registry.StatusChange) []string {
	out := make([]string, len(rs))
	for i := range rs {
		out[i] = statusChange(&rs[i])
	}
	return out
}

func statusChange(s *registry.StatusChange) string {
	if s == nil {
		return ""
	}
	return s.On + ": " + s.Reason
}

// boxDeadlines lists the pending revocation of the last operator switch and
// the certificates that expire within the trust space's warning window.
func boxDeadlines(r *registry.Registry, d *registry.DRIMbox, now time.Time) []Deadline {
	var out []Deadline
	today := day(now)
	add := func(what, due string) {
		t, err := time.Parse(time.DateOnly, due)
		if err != nil {
			return
		}
		out = append(out, Deadline{What: what, Due: due, Days: int(t.Sub(today).Hours() / 24)})
	}
	if n := len(d.Switches); n > 0 && d.Switches[n-1].RevokedOn == "" {
		s := d.Switches[n-1]
		add(fmt.Sprintf("former operator %s revokes its certificates and administration access (%d days after the switch on %s), then records switches[%d].revoked_on", s.From, r.TrustSpace.SwitchRevocationDays, s.On, n-1), s.RevocationDue)
	}
	if d.Status == registry.StatusWithdrawn || d.Status == registry.StatusExcluded {
		return out
	}
	warn := r.TrustSpace.Probe.ExpiryWarningDays
	if warn <= 0 {
		warn = 30
	}
	for _, c := range []struct{ what, notAfter string }{
		{"the IGC Santé server certificate expires; renew it and update certificates.server", d.Certificates.Server.NotAfter},
		{"the market certificate expires; renew it and update certificates.market", d.Certificates.Market.NotAfter},
	} {
		if t, err := time.Parse(time.DateOnly, c.notAfter); err == nil && t.Sub(today) <= time.Duration(warn)*24*time.Hour {
			add(c.what, c.notAfter)
		}
	}
	return out
}

func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
