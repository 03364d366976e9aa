package dossier

import (
	"embed"
	"slices"
	"strings"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// Template names, as the conditions catalogue writes them in
// documents[].template.
const (
	TemplateRACI       = "ans-raci"
	TemplateEscalation = "ans-escalade"
	TemplateFlows      = "ans-flux"
)

// Template is one ANS template that a dossier may deliver as CSV, with the
// column layout drimm reads and the rules it checks.
type Template struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	// Columns are the named columns of the header. The RACI matrix also
	// has one column per party, which Layout describes.
	Columns []Column `json:"columns"`
	Layout  string   `json:"layout"`
	Rules   []string `json:"rules"`
	// Example is a small CSV file that passes every rule.
	Example string `json:"example"`

	check func(t *table, ctx Context) []registry.Finding
	// blocks checks the ANS's block layout, for a template that has one;
	// ok is false when the file is not in that layout.
	blocks func(path string, data []byte, ctx Context) (fs []registry.Finding, ok bool)
}

// Context is what a template check needs to know of the dossier.
type Context struct {
	// Subcontracting is dossier.subcontracting: a subcontractor may be
	// named only when the operator declares one.
	Subcontracting bool
}

//go:embed examples/*.csv
var examples embed.FS

func example(name string) string {
	b, err := examples.ReadFile("examples/" + name + ".csv")
	if err != nil {
		panic("dossier: missing embedded example " + name)
	}
	return string(b)
}

// Templates returns the three ANS templates in the order of their
// conditions' themes: responsibilities, escalation, flows.
func Templates() []Template {
	return []Template{raciTemplate(), escalationTemplate(), flowsTemplate()}
}

// LookupTemplate returns the template with a name.
func LookupTemplate(name string) (Template, bool) {
	i := slices.IndexFunc(Templates(), func(t Template) bool { return t.Name == name })
	if i < 0 {
		return Template{}, false
	}
	return Templates()[i], true
}

// Check reads a CSV file as the template and returns its findings, each
// at the file's line and column; path is the file as findings show it.
func (tpl Template) Check(path string, data []byte, ctx Context) []registry.Finding {
	t, fs := readTable(path, data, tpl.Name, tpl.Columns)
	if t == nil {
		if tpl.blocks != nil && len(fs) == 1 && fs[0].Rule == RuleCSVHeader {
			if bfs, ok := tpl.blocks(path, data, ctx); ok {
				return bfs
			}
		}
		return fs
	}
	fs = append(fs, tpl.check(t, ctx)...)
	registry.SortFindings(fs)
	return fs
}

// IsCSV tells whether a document name is a CSV file, the only form in
// which templates are checked.
func IsCSV(name string) bool {
	return strings.EqualFold(pathExt(name), ".csv")
}

func pathExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 && !strings.ContainsAny(name[i:], `/\`) {
		return name[i:]
	}
	return ""
}

// Party names as the templates write them, and as the registry does.
const (
	partyOperator      = "operator"
	partyClient        = "client"
	partySubcontractor = "subcontractor"
)

// partyOf reads a party from a cell or a column title such as
// "Opérateur", "Client (DSI)" or "Sous-traitant - hébergeur".
func partyOf(s string) (string, bool) {
	n := fold(s)
	for _, p := range []struct{ prefix, party string }{
		{"operateur", partyOperator}, {"operator", partyOperator},
		{"client", partyClient},
		{"sous traitant", partySubcontractor}, {"soustraitant", partySubcontractor}, {"subcontractor", partySubcontractor},
	} {
		if n == p.prefix || strings.HasPrefix(n, p.prefix+" ") {
			return p.party, true
		}
	}
	return "", false
}

// partyLabel is how findings name a party, in the templates' language.
func partyLabel(p string) string {
	switch p {
	case partyClient:
		return "Client"
	case partySubcontractor:
		return "Sous-traitant"
	}
	return "Opérateur"
}
