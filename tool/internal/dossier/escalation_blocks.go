package dossier

import (
	"fmt"
	"strings"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// The ANS's own escalation template is laid out in blocks, not in one row
// per contact: a block per chain (opérationnelle: Support N1, Support N2;
// décisionnelle: Projet, Département), a row naming each level, then four
// rows under it — Identité, Téléphone professionnel, Mail professionnel,
// Compléments — whose cells give each party's contact, one column per
// party when a row names the parties ("Chaîne opérationnelle;Opérateur;
// Client"), else one column.

const (
	blockIdentity = "identite"
	blockPhone    = "telephone"
	blockMail     = "mail"
	blockMore     = "complements"
)

// blockField reads the label of a field row, or "".
func blockField(cell string) string {
	n := fold(cell)
	switch {
	case n == "identite" || strings.HasPrefix(n, "identite ") || n == "nom":
		return blockIdentity
	case strings.HasPrefix(n, "telephone") || n == "tel":
		return blockPhone
	case strings.HasPrefix(n, "mail") || strings.HasPrefix(n, "e mail") || n == "courriel":
		return blockMail
	case strings.HasPrefix(n, "complement"):
		return blockMore
	}
	return ""
}

// blockLevel reads a level row ("Support N1", "Projet"), or "".
func blockLevel(cell string) string {
	n := fold(cell)
	n = strings.TrimPrefix(n, "support ")
	n = strings.TrimPrefix(n, "niveau ")
	level, _ := readLevel(n)
	return level
}

type blockCell struct {
	text      string
	line, col int
}

// checkEscalationBlocks checks a file in the ANS's block layout; ok is
// false when the file is not in that layout.
func checkEscalationBlocks(path string, data []byte, ctx Context) (out []registry.Finding, ok bool) {
	rows, _, fs := readRows(path, data)
	if fs != nil {
		return nil, false
	}
	// Value columns: the parties a row names, else the second column.
	columns := map[int]string{}
	var partyRow row
	for _, r := range rows {
		found := map[int]string{}
		for i := 1; i < len(r.cells); i++ {
			if p, ok := partyOf(r.cells[i]); ok {
				found[i] = p
			}
		}
		if len(found) > 0 && blockField(r.cell(0)) == "" {
			columns, partyRow = found, r
			break
		}
	}
	if len(columns) == 0 {
		columns[1] = ""
	}
	type key struct {
		col   int
		level string
	}
	contacts := map[key]map[string]blockCell{}
	levelRow := map[string]row{}
	level, levels, fields := "", 0, 0
	for _, r := range rows {
		if l := blockLevel(r.cell(0)); l != "" {
			level, levels = l, levels+1
			levelRow[l] = r
			continue
		}
		f := blockField(r.cell(0))
		if f == "" {
			continue
		}
		fields++
		if level == "" {
			out = append(out, finding(path, r.line, 1, RuleEscalationLevel,
				"%q comes before any level; put it under its level (Support N1, Support N2, Projet or Département)", r.cell(0)))
			continue
		}
		for c := range columns {
			k := key{c, level}
			if contacts[k] == nil {
				contacts[k] = map[string]blockCell{}
			}
			col := 1
			if c < len(r.cols) {
				col = r.cols[c]
			}
			contacts[k][f] = blockCell{text: r.cell(c), line: r.line, col: col}
		}
	}
	if levels == 0 || fields == 0 {
		return nil, false
	}
	for c, party := range columns {
		if party == partySubcontractor && !ctx.Subcontracting {
			out = append(out, finding(path, partyRow.line, partyRow.cols[c], RuleEscalationParty,
				"the column names a subcontractor but the record does not declare subcontracting; set dossier.subcontracting: true or remove the column"))
		}
	}
	who := func(c int) string {
		if columns[c] == "" {
			return "the matrix"
		}
		return "the " + partyLabel(columns[c])
	}
	for _, l := range escLevels {
		for c := range columns {
			fs := contacts[key{c, l.level}]
			if fs == nil {
				at := levelRow[l.level]
				if at.line == 0 {
					at = rows[0]
				}
				out = append(out, finding(path, at.line, 1, RuleEscalationLevel,
					"%s gives no %s contact (%s chain); add the level %q with its Identité, Téléphone professionnel and Mail professionnel rows", who(c), l.level, strings.ToLower(l.chain), levelName(l.level)))
				continue
			}
			if id, ok := fs[blockIdentity]; !ok || id.text == "" {
				line, col := levelRow[l.level].line, 1
				if ok {
					line, col = id.line, id.col
				}
				out = append(out, finding(path, line, col, RuleEscalationIdentity, "%s gives no identity for %s; name who is reached (a person or a function)", who(c), levelName(l.level)))
			}
			for _, chk := range []struct {
				field, rule string
				problem     func(string) string
			}{{blockPhone, RuleEscalationPhone, phoneProblem}, {blockMail, RuleEscalationMail, mailProblem}} {
				cell, ok := fs[chk.field]
				if !ok {
					cell = blockCell{line: levelRow[l.level].line, col: 1}
				}
				if msg := chk.problem(cell.text); msg != "" {
					out = append(out, finding(path, cell.line, cell.col, chk.rule, "%s: %s", levelName(l.level), msg))
				}
			}
		}
	}
	if len(columns) > 1 || columns[1] != "" {
		seen := map[string]bool{}
		for _, p := range columns {
			seen[p] = true
		}
		for _, p := range []string{partyOperator, partyClient} {
			if !seen[p] {
				out = append(out, finding(path, partyRow.line, 1, RuleEscalationParty,
					"the matrix has no %s column; the Opérateur and the Client each give their chains, add a column titled %q", partyLabel(p), partyLabel(p)))
			}
		}
	}
	registry.SortFindings(out)
	return out, true
}

// levelName is how the ANS's template names a level.
func levelName(level string) string {
	if level == "N1" || level == "N2" {
		return fmt.Sprintf("Support %s", level)
	}
	return level
}
