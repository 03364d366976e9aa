package dossier

import (
	"strings"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// Finding rule identifiers for the RACI matrix.
const (
	RuleRACIParty       = "RACI-PARTY"
	RuleRACILetter      = "RACI-LETTER"
	RuleRACIAccountable = "RACI-ACCOUNTABLE"
	RuleRACIResponsible = "RACI-RESPONSIBLE"
	RuleRACIActivity    = "RACI-ACTIVITY"
)

const (
	raciRef      = "Réf"
	raciDomain   = "Domaine"
	raciActivity = "Activité"
	raciComment  = "Commentaire"
)

func raciTemplate() Template {
	return Template{
		Name:  TemplateRACI,
		Title: "Matrice RACI (COND-01)",
		Columns: []Column{
			{Name: raciRef, Aliases: []string{"Ref", "Référence", "ID", "N°", "No", "Numéro"}, Help: "reference of the activity; unique when given"},
			{Name: raciDomain, Aliases: []string{"Thème", "Catégorie", "Processus"}, Help: "group the activity belongs to"},
			{Name: raciActivity, Aliases: []string{"Activités", "Activity", "Tâche", "Thématique", "Thématiques", "Thématique / Activité"}, Required: true, Help: "the activity; a row without any letter is a theme heading (\"Gouvernance & Organisation\")"},
			{Name: raciComment, Aliases: []string{"Commentaires", "Remarque", "Remarques", "Observations"}, Help: "free text, not checked"},
		},
		Layout: `Every other column is a party. In the ANS's own layout, rows over the header
name each column's entity ("Entité;Client;Opérateur;Opérateur;Sous-traitant")
and the header row, first cell "Thématique", names the teams ("Client",
"Équipe interne A", "Sous-traitant A"); a column then belongs to the party
its entity names. Without an entity row, a column title starts with
Opérateur, Client or Sous-traitant and may go on with a function, e.g.
"Opérateur (RSSI)" or "Client - DSI"; "Équipe interne …" is the operator's.
There is at least one Opérateur column and one Client column; a
Sous-traitant column only when the record declares subcontracting. Each
party cell holds letters among R (Responsable), A (Approbateur), C (Consulté)
and I (Informé), alone or combined ("R/A", "RA", "A, C"), or is empty; a row
without any letter is a theme heading.`,
		Rules: []string{
			"each activity has exactly one A across all party columns",
			"each activity has at least one R",
			"party cells hold only the letters R, A, C and I",
			"every party column names a party of the dossier (Opérateur, Client, Sous-traitant when subcontracting is declared)",
			"references (Réf) are unique",
		},
		Example: example(TemplateRACI),
		check:   checkRACI,
	}
}

type raciParty struct {
	field int
	party string
	title string
}

func checkRACI(t *table, ctx Context) []registry.Finding {
	var out []registry.Finding
	var parties []raciParty
	seen := map[string]bool{}
	entities := entityRow(t)
	for _, i := range t.others {
		title := t.header[i]
		p, ok := raciPartyOf(title, entities.cell(i))
		switch {
		case !ok && entities.line > 0:
			out = append(out, t.at(entities, i, RuleRACIParty,
				"column %q belongs to entity %q, which is no party of the dossier; name the entity Opérateur, Client or Sous-traitant", title, entities.cell(i)))
			continue
		case !ok:
			out = append(out, t.at(t.head, i, RuleRACIParty,
				"column %q names no party of the dossier; title party columns Opérateur, Client or Sous-traitant, optionally followed by a function, e.g. \"Opérateur (RSSI)\", or name each column's entity in an \"Entité\" row above the header", title))
			continue
		case p == partySubcontractor && !ctx.Subcontracting:
			out = append(out, t.at(t.head, i, RuleRACIParty,
				"column %q names a subcontractor but the record does not declare subcontracting; set dossier.subcontracting: true (COND-07 then applies) or remove the column", title))
		}
		seen[p] = true
		parties = append(parties, raciParty{field: i, party: p, title: title})
	}
	for _, p := range []string{partyOperator, partyClient} {
		if !seen[p] {
			out = append(out, finding(t.path, t.headerLine, 1, RuleRACIParty,
				"the matrix has no %s column; both the Opérateur and the Client answer COND-01, add a column titled %q", partyLabel(p), partyLabel(p)))
		}
	}
	refs := map[string]int{}
	activities := 0
	for _, r := range t.rows {
		activity := t.get(r, raciActivity)
		var accountable, responsible []string
		letters := false
		for _, p := range parties {
			cell := r.cell(p.field)
			set, bad := raciLetters(cell)
			if bad != "" {
				out = append(out, t.at(r, p.field, RuleRACILetter,
					"%q under %q: use only the letters R, A, C and I (found %q)", cell, p.title, bad))
			}
			letters = letters || set != ""
			if strings.Contains(set, "A") {
				accountable = append(accountable, p.title)
			}
			if strings.Contains(set, "R") {
				responsible = append(responsible, p.title)
			}
		}
		if activity == "" {
			if letters {
				out = append(out, t.atColumn(r, raciActivity, RuleRACIActivity, "row has RACI letters but no activity; name the activity in the %q column", raciActivity))
			}
			continue
		}
		if !letters {
			// A theme heading, such as "Gouvernance & Organisation".
			continue
		}
		activities++
		if ref := t.get(r, raciRef); ref != "" {
			if prev, dup := refs[ref]; dup {
				out = append(out, t.atColumn(r, raciRef, RuleRACIActivity, "reference %q is used again (first on line %d); give each activity its own reference", ref, prev))
			} else {
				refs[ref] = r.line
			}
		}
		switch len(accountable) {
		case 1:
		case 0:
			out = append(out, t.atColumn(r, raciActivity, RuleRACIAccountable, "activity %q has no Approbateur (A); exactly one party is accountable for each activity", activity))
		default:
			out = append(out, t.atColumn(r, raciActivity, RuleRACIAccountable, "activity %q has %d Approbateurs (A: %s); exactly one party is accountable, keep one A", activity, len(accountable), strings.Join(accountable, ", ")))
		}
		if len(responsible) == 0 {
			out = append(out, t.atColumn(r, raciActivity, RuleRACIResponsible, "activity %q has no Responsable (R); at least one party carries out each activity", activity))
		}
	}
	if activities == 0 && t.skipped == 0 {
		out = append(out, finding(t.path, t.headerLine, 1, RuleRACIActivity, "the matrix lists no activity; fill in one row per activity under the header"))
	}
	return out
}

// raciLetters returns the RACI letters of a cell, in upper case, and the
// characters that are neither a letter of RACI nor a separator.
func raciLetters(cell string) (set, bad string) {
	var s, b strings.Builder
	for _, ch := range strings.ToUpper(cell) {
		switch {
		case strings.ContainsRune("RACI", ch):
			if !strings.ContainsRune(s.String(), ch) {
				s.WriteRune(ch)
			}
		case strings.ContainsRune(" /,;+-.&", ch) || ch == '\u00A0':
		default:
			b.WriteRune(ch)
		}
	}
	return s.String(), b.String()
}

// entityRow returns the row over the header that names each column's
// entity (first cell "Entité"), as the ANS's template has it, or a zero
// row.
func entityRow(t *table) row {
	for _, r := range t.above {
		if n := fold(r.cell(0)); n == "entite" || n == "entites" {
			return r
		}
	}
	return row{}
}

// raciPartyOf reads the party of a RACI column from its entity, when the
// matrix names one, else from its title; the ANS's "Équipe interne"
// columns are the operator's own teams.
func raciPartyOf(title, entity string) (string, bool) {
	if entity != "" {
		return partyOf(entity)
	}
	if p, ok := partyOf(title); ok {
		return p, true
	}
	if n := fold(title); n == "equipe interne" || strings.HasPrefix(n, "equipe interne ") || strings.HasPrefix(n, "equipes internes") {
		return partyOperator, true
	}
	return "", false
}
