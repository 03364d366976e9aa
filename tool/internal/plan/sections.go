package plan

import (
	"strings"

	"github.com/drim-m/trust-space/tool/internal/whitelist"
)

// The sections of the plan about what a merge does beyond the records: the
// next Liste Blanche, the other files it changes, and the approvals it
// needs.

func (p *Plan) whitelist(m *md) {
	m.line("#### Liste Blanche")
	m.line("")
	switch {
	case p.WhitelistErr != "":
		m.printf("The list cannot be computed: %s\n\n", text(p.WhitelistErr))
		return
	case p.Whitelist == nil || p.Whitelist.Empty():
		m.line("No entry changes: DRIMboxes keep trusting the same peers.")
		m.line("")
		return
	}
	d := p.Whitelist
	m.printf("On merge, CI signs and publishes a new list: %d added, %d removed, %d changed (%d → %d DRIMboxes).\n\n",
		len(d.Added), len(d.Removed), len(d.Changed), d.OldCount, d.NewCount)
	for _, h := range d.Header {
		m.printf("- %s changes from %s to %s\n", code(h.Field), code(h.Old), code(h.New))
	}
	if len(d.Added)+len(d.Removed) > 0 {
		m.line("| | Identifiant | db | vi | Denomination | DNCertificatOperateur | SupportContact |")
		m.line("| --- | --- | --- | --- | --- | --- | --- |")
		row := func(what string, e whitelist.Domain) {
			m.printf("| %s | %d | %s | %s | %s | %s | %s |\n", what, e.ID, code(e.DB), cellCode(e.VI), cell(e.Denomination), cell(e.CertDN), cell(e.SupportContact))
		}
		for _, e := range d.Added {
			row("added", e)
		}
		for _, e := range d.Removed {
			row("**removed**: DRIMboxes stop trusting it", e)
		}
		m.line("")
	}
	if len(d.Changed) > 0 {
		m.line("| Identifiant | field | before | after |")
		m.line("| --- | --- | --- | --- |")
		for _, c := range d.Changed {
			for _, f := range c.Fields {
				m.printf("| %d | %s | %s | %s |\n", c.ID, f.Field, cell(f.Old), cell(f.New))
			}
		}
		m.line("")
	}
}

func (p *Plan) other(m *md) {
	if len(p.Operators)+len(p.Settings)+len(p.Other) == 0 {
		return
	}
	m.line("#### Other changes")
	m.line("")
	for _, o := range p.Operators {
		what := "changed"
		if o.New {
			what = "registered"
		}
		m.printf("- **Operator** %s (%s) %s:", code(o.ID), text(o.Denomination), what)
		for i, f := range o.Changes {
			sep := ";"
			if i == 0 {
				sep = ""
			}
			m.printf("%s %s %s", sep, code(f.Name), fieldChange(f))
		}
		m.line("")
	}
	for _, s := range p.Settings {
		m.printf("- **Settings:** %s changes; only ANS reviewers change it\n", code("registry/"+s))
	}
	p.catalogue(m)
	if len(p.Other) > 0 {
		m.printf("- **Files outside the registry**, reviewed as code by ANS reviewers: %s\n", codeList(p.Other, 20))
	}
	m.line("")
}

func (p *Plan) approval(m *md) {
	a := p.Approval
	m.line("#### Who must approve")
	m.line("")
	var who []string
	if a.Team != "" {
		who = append(who, code(a.Team))
	}
	// The author's own approval never counts: the author is not named
	// among those who may give it.
	for _, l := range others(a.Reviewers, a.Author) {
		who = append(who, login(l))
	}
	box := "[ ]"
	if a.Met() {
		box = "[x]"
	}
	author := ""
	if a.AuthorIsReviewer {
		author = ", other than the author"
	}
	m.printf("- %s An ANS reviewer%s: %s — %s\n", box, author, strings.Join(who, ", "), a.Status())
	if len(a.Decisions) > 0 {
		verdict := "the author is not an ANS reviewer, so `drimm validate` refuses them"
		if a.AuthorIsReviewer {
			verdict = "the author is an ANS reviewer"
		} else if a.Author == "" {
			verdict = "made by ANS reviewers only"
		}
		m.printf("- ANS decisions in this change: %s; %s.\n", text(strings.Join(a.Decisions, ", ")), verdict)
	}
	for _, c := range a.Consents {
		box, by := "[ ]", "no approval yet"
		switch {
		case c.Decided:
			box, by = "[x]", "the switch is made by an ANS reviewer: an ANS decision"
		case len(c.By) > 0:
			box, by = "[x]", "agreed by "+mentions(c.By)
		}
		m.printf("- %s The former operator %s consents to the switch of DRIMbox %s — one of its maintainers (%s) approves the head commit, or an ANS reviewer makes the switch: %s\n",
			box, code(c.Operator), joinInts(c.DRIMboxes), mentions(others(c.Maintainers, a.Author)), by)
	}
	for _, o := range a.Informed {
		var ls []string
		for _, l := range o.Maintainers {
			ls = append(ls, login(l))
		}
		m.printf("- Operator %s's maintainers (%s) are asked to review, as code owners of its records.\n", code(o.Operator), strings.Join(ls, ", "))
	}
	if a.Code {
		m.line("- Files outside the registry change: the ANS reviewer reviews them as code.")
	}
	m.line("")
}

// others are the logins other than the author's; GitHub logins are
// case-insensitive.
func others(logins []string, author string) []string {
	var out []string
	for _, l := range logins {
		if author == "" || !strings.EqualFold(l, author) {
			out = append(out, l)
		}
	}
	return out
}
