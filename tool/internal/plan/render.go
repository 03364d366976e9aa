package plan

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// maxBoxes and maxFindings bound the plan of a change to many records; the
// findings are complete in the workflow's annotations.
const (
	maxBoxes    = 50
	maxFindings = 30
	maxMissing  = 30
)

// Markdown writes the plan as the sticky comment and job summary show it.
func (p *Plan) Markdown(w io.Writer) error {
	m := &md{w: w}
	m.line(Marker)
	m.line("### Plan: what merging this pull request changes")
	m.line("")
	m.printf("**Procedure:** %s · **author:** %s · merge-base %s → head %s\n\n", p.procedures(), login(p.Author), short(p.BaseSHA), short(p.HeadSHA))
	p.findings(m)
	shown := 0
	for _, b := range p.Boxes {
		if shown == maxBoxes {
			m.printf("*…and %d more DRIMboxes; the job's annotations list every finding.*\n\n", len(p.Boxes)-maxBoxes)
			break
		}
		shown++
		b.markdown(m, p.Now)
	}
	p.whitelist(m)
	p.other(m)
	p.approval(m)
	m.printf("<sub>drimm github plan · %s · merge-base %s · head %s</sub>\n", p.Now.UTC().Format("2006-01-02 15:04 MST"), short(p.BaseSHA), short(p.HeadSHA))
	return m.err
}

func (p *Plan) procedures() string {
	if len(p.Boxes) == 0 {
		if len(p.Operators)+len(p.Settings) > 0 {
			return "registry settings or operators only, no DRIMbox changes"
		}
		return "no registry change"
	}
	var parts []string
	byProc := map[string][]string{}
	for _, b := range p.Boxes {
		name := b.procedureName()
		if _, ok := byProc[name]; !ok {
			parts = append(parts, name)
		}
		byProc[name] = append(byProc[name], fmt.Sprint(b.ID))
	}
	for i, name := range parts {
		ids := byProc[name]
		noun := "DRIMbox"
		if len(ids) > 1 {
			noun = "DRIMboxes"
		}
		if len(ids) > 10 {
			ids = append(ids[:10:10], "…")
		}
		parts[i] = fmt.Sprintf("%s (%s %s)", name, noun, strings.Join(ids, ", "))
	}
	return strings.Join(parts, "; ")
}

func (b *Box) procedureName() string {
	switch {
	case b.Deleted:
		return "record deleted (not allowed)"
	case !b.Allowed:
		return fmt.Sprintf("status change not allowed (%s → %s)", statusName(b.From), b.To)
	}
	return string(b.Procedure)
}

func (p *Plan) findings(m *md) {
	if len(p.Findings) == 0 {
		m.line("> [!NOTE]")
		m.line("> `drimm validate`: no findings.")
		m.line("")
		return
	}
	// Dossier findings are the checklists below; the others are listed.
	var others []registry.Finding
	dossier := 0
	for _, f := range p.Findings {
		if strings.HasPrefix(f.Rule, "DOSSIER-") {
			dossier++
		} else {
			others = append(others, f)
		}
	}
	m.line("> [!CAUTION]")
	m.printf("> **`drimm validate`: %d finding(s).** The merge is blocked until they are fixed:\n", len(p.Findings))
	for i, f := range others {
		if i == maxFindings {
			m.printf("> - …and %d more, shown as annotations on the changed lines\n", len(others)-maxFindings)
			break
		}
		m.printf("> - %s %s: %s\n", code(fmt.Sprintf("%s:%d", f.Path, max(f.Line, 1))), f.Rule, text(f.Msg))
	}
	if dossier > 0 {
		m.printf("> - %d dossier requirement(s) unmet: see the checklist of each DRIMbox below\n", dossier)
	}
	m.line("")
}

func (b *Box) markdown(m *md, now time.Time) {
	m.printf("#### DRIMbox %d · %s\n\n", b.ID, b.procedureName())
	op := code(b.Operator)
	if b.Denomination != "" {
		op += " (" + text(b.Denomination) + ")"
	}
	if b.FormerOperator != "" {
		m.printf("- **Operator:** %s → %s\n", code(b.FormerOperator), op)
	} else {
		m.printf("- **Operator:** %s\n", op)
	}
	switch {
	case b.Deleted:
		m.printf("- **Status:** %s → record deleted. Records are never deleted: set `status: withdrawn` instead.\n", code(string(b.From)))
	case b.From == b.To:
		m.printf("- **Status:** %s (unchanged)\n", code(string(b.To)))
	default:
		note := ""
		if b.ANSOnly {
			note = " — an ANS decision"
		}
		m.printf("- **Status:** %s → %s%s\n", statusCode(b.From), code(string(b.To)), note)
	}
	names := code(b.DB) + " → " + code(b.DBHost)
	if b.VI != "" {
		names += " · " + code(b.VI) + " → " + code(b.VIHost)
	}
	m.printf("- **National names:** %s%s\n", names, nameNote(b))
	if f := b.Former; f != nil {
		from := code(b.FormerOperator)
		if f.Denomination != "" {
			from += " (" + text(f.Denomination) + ")"
		}
		cert := "the server certificate is replaced"
		if f.CertKept {
			cert = fmt.Sprintf("the former operator's server certificate (serial %s) is kept: the new operator must replace it, its support contact and hosts before %s, when the former operator revokes it", code(f.Serial), code(f.Due))
		}
		m.printf("- **Control of the national names passes** from %s to %s: from this merge, the new operator decides where %s point (before: %s) and which certificate they present; %s.\n",
			from, op, code(b.DB)+vinames(b), code(f.Hosts), cert)
	}
	if len(b.Changes) > 0 {
		m.line("- **Changes:**")
		m.line("")
		m.line("  | field | before | after |")
		m.line("  | --- | --- | --- |")
		for _, f := range b.Changes {
			m.printf("  | %s | %s | %s |\n", code(f.Name), cell(f.Old), cell(f.New))
		}
		m.line("")
	}
	if len(b.Deadlines) > 0 {
		m.line("- **Deadlines:**")
		for _, d := range b.Deadlines {
			m.printf("  - **%s** (%s): %s\n", d.Due, days(d.Days), text(d.What))
		}
	}
	if b.MissingFor != "" {
		label := "Still missing for " + code(string(b.MissingFor))
		if b.Procedure == "declaration" {
			label = "Still missing before the integration request"
		}
		if len(b.Missing) == 0 {
			m.printf("- **%s:** nothing; the dossier is complete.\n", label)
		} else {
			m.printf("- **%s** (%d):\n", label, len(b.Missing))
			for i, r := range b.Missing {
				if i == maxMissing {
					m.printf("  - …and %d more (`drimm dossier status`)\n", len(b.Missing)-maxMissing)
					break
				}
				m.printf("  - [ ] %s\n", text(r.Msg))
			}
		}
	}
	m.line("")
}

// nameNote says when the national names start or stop resolving: the ANS
// serves them for integrating and operational DRIMboxes.
func vinames(b *Box) string {
	if b.VI == "" {
		return ""
	}
	return " and " + code(b.VI)
}

func nameNote(b *Box) string {
	served := func(s registry.Status) bool {
		return s == registry.StatusIntegrating || s == registry.StatusOperational
	}
	switch {
	case b.Deleted:
		return ""
	case b.From == "":
		return " (reserved for ever from now on)"
	case !served(b.From) && served(b.To):
		return " (served in the zone from this merge)"
	case served(b.From) && !served(b.To):
		return " (no longer served; the names stay reserved)"
	}
	return ""
}

func fieldChange(f Field) string {
	switch {
	case f.Old == "":
		return text(f.New)
	case f.New == "":
		return text(f.Old)
	}
	return text(f.Old) + " → " + text(f.New)
}

func statusName(s registry.Status) string {
	if s == "" {
		return "new"
	}
	return string(s)
}

func statusCode(s registry.Status) string {
	if s == "" {
		return "(new)"
	}
	return code(string(s))
}

func days(n int) string {
	switch {
	case n < -1:
		return fmt.Sprintf("overdue by %d days", -n)
	case n == -1:
		return "overdue by 1 day"
	case n == 0:
		return "today"
	case n == 1:
		return "tomorrow"
	}
	return fmt.Sprintf("in %d days", n)
}

func short(sha string) string {
	if len(sha) > 7 {
		sha = sha[:7]
	}
	if sha == "" {
		return "(working tree)"
	}
	return code(sha)
}

func login(l string) string {
	if l == "" {
		return "(unknown)"
	}
	return code("@" + l)
}

func codeList(items []string, n int) string {
	var parts []string
	for i, s := range items {
		if i == n {
			parts = append(parts, fmt.Sprintf("and %d more", len(items)-n))
			break
		}
		parts = append(parts, code(s))
	}
	return strings.Join(parts, ", ")
}
