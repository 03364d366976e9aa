package dossier

import (
	"fmt"
	"net/mail"
	"regexp"
	"strings"

	"github.com/drim-m/trust-space/tool/internal/mailbox"
	"github.com/drim-m/trust-space/tool/internal/registry"
)

// Finding rule identifiers for the escalation matrix.
const (
	RuleEscalationParty    = "ESCALATION-PARTY"
	RuleEscalationLevel    = "ESCALATION-LEVEL"
	RuleEscalationIdentity = "ESCALATION-IDENTITY"
	RuleEscalationPhone    = "ESCALATION-PHONE"
	RuleEscalationMail     = "ESCALATION-MAIL"
)

const (
	escParty    = "Partie"
	escChain    = "Chaîne"
	escLevel    = "Niveau"
	escIdentity = "Identité"
	escPhone    = "Téléphone professionnel"
	escMail     = "Mail professionnel"
	escHours    = "Horaires"
	escComment  = "Commentaire"
)

// The four levels every party gives, in escalation order, and the chain
// each belongs to.
var escLevels = []struct{ level, chain string }{
	{"N1", "Opérationnelle"},
	{"N2", "Opérationnelle"},
	{"Projet", "Décisionnelle"},
	{"Département", "Décisionnelle"},
}

func escalationTemplate() Template {
	return Template{
		Name:  TemplateEscalation,
		Title: "Matrice d'escalade (COND-13)",
		Columns: []Column{
			{Name: escParty, Aliases: []string{"Parties", "Party", "Entité", "Organisation"}, Required: true, Help: "Opérateur, Client or Sous-traitant"},
			{Name: escChain, Aliases: []string{"Chaine d'escalade", "Chaîne d'escalade", "Chain", "Type"}, Help: "Opérationnelle or Décisionnelle; when given, it agrees with the level"},
			{Name: escLevel, Aliases: []string{"Level", "Niveau d'escalade"}, Required: true, Help: "N1 or N2 (operational chain), Projet or Département (decision chain)"},
			{Name: escIdentity, Aliases: []string{"Nom", "Fonction", "Nom et fonction", "Identité et fonction", "Contact", "Identity"}, Required: true, Help: "who is reached: name or function"},
			{Name: escPhone, Aliases: []string{"Téléphone", "Tél", "Tel", "Téléphone pro", "Phone", "Tél professionnel"}, Required: true, Help: "professional phone: 01 23 45 67 89, +33 1 23 45 67 89 or another international number"},
			{Name: escMail, Aliases: []string{"Mail", "E-mail", "Email", "Courriel", "Adresse mail", "Adresse électronique", "Mail pro"}, Required: true, Help: "professional mailbox, not a personal webmail"},
			{Name: escHours, Aliases: []string{"Disponibilité", "Plage horaire", "Plages horaires"}, Help: "when the level is reachable, not checked"},
			{Name: escComment, Aliases: []string{"Commentaires", "Remarques"}, Help: "free text, not checked"},
		},
		Layout: `Either the ANS's own layout, in blocks: "Support N1", "Support N2", "Projet"
and "Département" rows (under "Chaîne opérationnelle" and "Chaîne
décisionnelle"), each followed by the rows Identité, Téléphone
professionnel, Mail professionnel and Compléments, with one column per
party when a row names them ("Chaîne opérationnelle;Opérateur;Client").
Or one row per contact, with the columns below. The Opérateur and the
Client each give their operational chain (N1 then N2) and their decision
chain (Projet then Département); a level may have several rows.`,
		Rules: []string{
			"the Opérateur and the Client each give the levels N1, N2, Projet and Département",
			"Partie is Opérateur, Client, or Sous-traitant when the record declares subcontracting",
			"every row has an identity, a valid phone number and a professional mailbox",
			"Chaîne, when given, is Opérationnelle for N1 and N2 and Décisionnelle for Projet and Département",
		},
		Example: example(TemplateEscalation),
		check:   checkEscalation,
		blocks:  checkEscalationBlocks,
	}
}

func checkEscalation(t *table, ctx Context) []registry.Finding {
	var out []registry.Finding
	have := map[string]map[string]bool{}
	for _, r := range t.rows {
		partyCell := t.get(r, escParty)
		party, ok := partyOf(partyCell)
		switch {
		case !ok:
			out = append(out, t.atColumn(r, escParty, RuleEscalationParty, "%q is not a party; write Opérateur, Client or Sous-traitant", partyCell))
		case party == partySubcontractor && !ctx.Subcontracting:
			out = append(out, t.atColumn(r, escParty, RuleEscalationParty, "the row names a subcontractor but the record does not declare subcontracting; set dossier.subcontracting: true or remove the row"))
		}
		levelCell := t.get(r, escLevel)
		level, chain := readLevel(levelCell)
		if level == "" {
			out = append(out, t.atColumn(r, escLevel, RuleEscalationLevel, "level %q is not one of N1, N2 (operational chain), Projet, Département (decision chain)", levelCell))
		} else if c := t.get(r, escChain); c != "" && !strings.Contains(fold(c), fold(chain)[:8]) {
			out = append(out, t.atColumn(r, escChain, RuleEscalationLevel, "level %s belongs to the %s chain, not %q", level, chain, c))
		}
		if ok && level != "" {
			if have[party] == nil {
				have[party] = map[string]bool{}
			}
			have[party][level] = true
		}
		if t.get(r, escIdentity) == "" {
			out = append(out, t.atColumn(r, escIdentity, RuleEscalationIdentity, "the row gives no identity; name who is reached (a person or a function)"))
		}
		if msg := phoneProblem(t.get(r, escPhone)); msg != "" {
			out = append(out, t.atColumn(r, escPhone, RuleEscalationPhone, "%s", msg))
		}
		if msg := mailProblem(t.get(r, escMail)); msg != "" {
			out = append(out, t.atColumn(r, escMail, RuleEscalationMail, "%s", msg))
		}
	}
	for _, p := range []string{partyOperator, partyClient} {
		for _, l := range escLevels {
			if !have[p][l.level] {
				out = append(out, finding(t.path, t.headerLine, 1, RuleEscalationLevel,
					"the %s gives no %s contact (%s chain); add a row %s%c%s%c%s%c…", partyLabel(p), l.level, strings.ToLower(l.chain), partyLabel(p), t.sep, l.chain, t.sep, l.level, t.sep))
			}
		}
	}
	return out
}

// readLevel reads a level cell and returns the level and its chain.
func readLevel(cell string) (level, chain string) {
	n := strings.ReplaceAll(fold(cell), " ", "")
	switch {
	case n == "n1" || n == "niveau1" || n == "l1" || n == "level1":
		return "N1", escLevels[0].chain
	case n == "n2" || n == "niveau2" || n == "l2" || n == "level2":
		return "N2", escLevels[1].chain
	case strings.Contains(n, "projet"):
		return "Projet", escLevels[2].chain
	case strings.Contains(n, "departement"):
		return "Département", escLevels[3].chain
	}
	return "", ""
}

var phoneChars = regexp.MustCompile(`^\+?[0-9 .\-/()]+$`)

// phoneProblem says what is wrong with a phone number, or "".
func phoneProblem(s string) string {
	if s == "" {
		return "the row gives no professional phone number"
	}
	if strings.ContainsAny(s, "Ee") && strings.ContainsAny(s, "+,.") && !strings.ContainsAny(s, "abcdfghijklmnopqrstuvwxyz") {
		return fmt.Sprintf("%q is a number the spreadsheet reformatted; format the column as text and type the phone number again", s)
	}
	if !phoneChars.MatchString(s) {
		return fmt.Sprintf("%q is not a phone number; write it as 01 23 45 67 89 or +33 1 23 45 67 89", s)
	}
	d := strings.ReplaceAll(s, "(0)", "")
	d = strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == '+' {
			return r
		}
		return -1
	}, d)
	switch {
	case strings.HasPrefix(d, "+33") && len(d) == 12 && d[3] != '0':
		return ""
	case strings.HasPrefix(d, "+33"):
		return fmt.Sprintf("%q is not a French number: +33 is followed by 9 digits, without the leading 0", s)
	case strings.HasPrefix(d, "+") && len(d) >= 9 && len(d) <= 16 && !strings.Contains(d[1:], "+"):
		return ""
	case strings.HasPrefix(d, "00") && len(d) >= 10 && len(d) <= 17 && d[2] != '0':
		return ""
	case len(d) == 10 && d[0] == '0' && d[1] != '0':
		return ""
	case len(d) == 9 && d[0] != '0':
		return fmt.Sprintf("%q looks like a French number whose leading 0 the spreadsheet dropped; format the column as text and write 0%s", s, d)
	}
	return fmt.Sprintf("%q is not a phone number; write it as 01 23 45 67 89 or +33 1 23 45 67 89", s)
}

// mailProblem says what is wrong with a professional mailbox, or "".
func mailProblem(s string) string {
	if s == "" {
		return "the row gives no professional mailbox"
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return fmt.Sprintf("%q is not a mail address; write only the address, e.g. astreinte@operateur.example", s)
	}
	if mailbox.Webmail(s[strings.LastIndexByte(s, '@')+1:]) {
		return fmt.Sprintf("%q is a personal webmail address; give a professional mailbox of the organisation", s)
	}
	return ""
}
