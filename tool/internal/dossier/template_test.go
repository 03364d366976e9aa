package dossier

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// brief renders findings as "line:RULE" so cases state where and what
// without depending on the wording of messages.
func brief(fs []registry.Finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%d:%s", f.Line, f.Rule))
	}
	slices.Sort(out)
	return out
}

func TestTemplateFiles(t *testing.T) {
	tests := []struct {
		file           string
		template       string
		subcontracting bool
		want           []string
	}{
		{"raci-comma-quoted.csv", TemplateRACI, false, []string{}},
		{"raci-bom-crlf.csv", TemplateRACI, false, []string{}},
		{"raci-windows-1252.csv", TemplateRACI, false, []string{}},
		{"raci-title-row.csv", TemplateRACI, false, []string{}},
		{"raci-wrong-header.csv", TemplateRACI, false, []string{"1:CSV-HEADER"}},
		{"raci-rules.csv", TemplateRACI, false, []string{
			"1:RACI-PARTY", "2:RACI-ACCOUNTABLE", "2:RACI-RESPONSIBLE", "3:RACI-RESPONSIBLE",
			"4:RACI-LETTER", "5:RACI-ACTIVITY", "6:RACI-ACTIVITY"}},
		{"raci-no-client.csv", TemplateRACI, false, []string{"1:RACI-PARTY", "1:RACI-PARTY"}},
		{"raci-no-client.csv", TemplateRACI, true, []string{"1:RACI-PARTY"}},
		{"raci-bare-quote.csv", TemplateRACI, false, []string{"2:CSV-SYNTAX"}},
		{"raci-unclosed-quote.csv", TemplateRACI, false, []string{"3:CSV-SYNTAX"}},
		{"raci-extra-cells.csv", TemplateRACI, false, []string{"2:CSV-ROW"}},
		{"raci-utf16.csv", TemplateRACI, false, []string{"1:CSV-ENCODING"}},
		{"raci-xlsx.csv", TemplateRACI, false, []string{"1:CSV-ENCODING"}},
		{"escalade-rules.csv", TemplateEscalation, false, []string{
			"1:ESCALATION-LEVEL", "1:ESCALATION-LEVEL", "3:ESCALATION-PHONE", "4:ESCALATION-LEVEL",
			"5:ESCALATION-MAIL", "5:ESCALATION-PHONE", "6:ESCALATION-IDENTITY", "6:ESCALATION-MAIL",
			"6:ESCALATION-PHONE", "7:ESCALATION-LEVEL", "9:ESCALATION-PARTY"}},
		{"flux-rules.csv", TemplateFlows, false, []string{
			"2:FLOW-TLS", "3:FLOW-TLS", "4:FLOW-MUTUAL", "5:FLOW-PORT", "6:FLOW-FIELD", "6:FLOW-ID",
			"6:FLOW-PORT", "7:FLOW-ID", "8:FLOW-PORT"}},
		{"flux-comma.csv", TemplateFlows, false, []string{}},
		{"raci-rules.csv", TemplateFlows, false, []string{"1:CSV-HEADER"}},
		// The ANS's own layouts and example rows, as it ships them.
		{"raci-ans.csv", TemplateRACI, true, []string{}},
		{"raci-ans.csv", TemplateRACI, false, []string{"2:RACI-PARTY"}},
		{"raci-ans-mistakes.csv", TemplateRACI, false, []string{"1:RACI-PARTY", "4:RACI-ACCOUNTABLE", "5:RACI-ACCOUNTABLE", "5:RACI-RESPONSIBLE"}},
		{"flux-ans.csv", TemplateFlows, false, []string{}},
		{"flux-ans-mistakes.csv", TemplateFlows, false, []string{"2:FLOW-PORT", "3:FLOW-PORT", "4:FLOW-MUTUAL", "4:FLOW-TLS"}},
		{"escalade-ans.csv", TemplateEscalation, false, []string{}},
		{"escalade-ans-mistakes.csv", TemplateEscalation, false, []string{
			"1:ESCALATION-LEVEL", "1:ESCALATION-LEVEL", "3:ESCALATION-IDENTITY", "4:ESCALATION-PHONE", "5:ESCALATION-MAIL"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s/%v", tt.template, tt.file, tt.subcontracting), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "templates", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			tpl, ok := LookupTemplate(tt.template)
			if !ok {
				t.Fatalf("no template %s", tt.template)
			}
			got := tpl.Check(tt.file, data, Context{Subcontracting: tt.subcontracting})
			if diff := cmp.Diff(tt.want, brief(got)); diff != "" {
				t.Errorf("findings (-want +got):\n%s\n%v", diff, got)
			}
			for _, f := range got {
				if f.Path != tt.file || f.Col < 1 || f.Msg == "" {
					t.Errorf("finding lacks its place or message: %+v", f)
				}
			}
		})
	}
}

func TestExamplesPass(t *testing.T) {
	for _, tpl := range Templates() {
		if fs := tpl.Check(tpl.Name+".csv", []byte(tpl.Example), Context{}); len(fs) > 0 {
			t.Errorf("the %s example, shown in the manual, has findings: %v", tpl.Name, fs)
		}
		if len(tpl.Rules) == 0 || tpl.Layout == "" {
			t.Errorf("template %s is not documented", tpl.Name)
		}
	}
}

// A comma-separated export of the same matrix reads the same: the
// separator is detected, not assumed.
func TestSeparatorDetected(t *testing.T) {
	tpl, _ := LookupTemplate(TemplateFlows)
	semi := tpl.Example
	for _, sep := range []string{",", "\t"} {
		var b strings.Builder
		for _, line := range strings.Split(strings.TrimSuffix(semi, "\n"), "\n") {
			cells := strings.Split(line, ";")
			for i, c := range cells {
				if strings.ContainsAny(c, ",\t\"") {
					cells[i] = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
				}
			}
			b.WriteString(strings.Join(cells, sep) + "\r\n")
		}
		if fs := tpl.Check("flux.csv", []byte(b.String()), Context{}); len(fs) > 0 {
			t.Errorf("separator %q: %v", sep, fs)
		}
	}
}

func TestPhoneProblem(t *testing.T) {
	tests := []struct {
		phone string
		ok    bool
	}{
		{"01 23 45 67 89", true},
		{"01.23.45.67.89", true},
		{"+33 1 23 45 67 89", true},
		{"+33 (0)1 23 45 67 89", true},
		{"0033 1 23 45 67 89", true},
		{"+44 20 7946 0000", true},
		{"123456789", false},
		{"+33 01 23 45 67 89", false},
		{"1,23E+08", false},
		{"poste 1234", false},
		{"", false},
		{"00 00 00 00 00", false},
	}
	for _, tt := range tests {
		if got := phoneProblem(tt.phone) == ""; got != tt.ok {
			t.Errorf("phoneProblem(%q) ok = %v, want %v (%s)", tt.phone, got, tt.ok, phoneProblem(tt.phone))
		}
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Rôle du flux":              "role du flux",
		"  Mesures de SÉCURITÉ:":    "mesures de securite",
		"Sous-traitant (hébergeur)": "sous traitant hebergeur",
		"N°":                        "n",
		"Œuvre":                     "oeuvre",
	} {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestHeaderFindingShowsTheFilesHeader: a wrong header is shown as the
// file has it, beside the template's.
func TestHeaderFindingShowsTheFilesHeader(t *testing.T) {
	tpl, _ := LookupTemplate(TemplateRACI)
	got := tpl.Check("raci.csv", []byte("Action;Opérateur;Client\nTenir à jour;A;R\n"), Context{})
	if len(got) != 1 || got[0].Rule != RuleCSVHeader ||
		!strings.Contains(got[0].Msg, "the file's first row is: Action;Opérateur;Client (separator semicolon detected)") ||
		!strings.Contains(got[0].Msg, "the template's header is: Activité") {
		t.Fatalf("findings: %v", got)
	}
}
