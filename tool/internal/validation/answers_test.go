package validation

import (
	"strings"
	"testing"
)

func TestAnswerDetails(t *testing.T) {
	b2 := "operators/operateur-002/drimboxes/2.yaml"
	const line = "COND-01: {operator: conforme, client: conforme}"
	tests := []struct {
		name, answer string
		want         string // "" for no finding on the detail
	}{
		{"text, document and extract",
			`COND-01: {operator: conforme, client: conforme, client_detail: {text: "Matrice validée par la direction de l'établissement.", document: COND-01_matrice-raci.csv, extract: "lignes 2 à 14"}}`, ""},
		{"text on several lines",
			`COND-01: {operator: conforme, client: conforme, operator_detail: {text: "Première ligne.\nSeconde ligne."}}`, ""},
		{"a reference alone",
			`COND-01: {operator: conforme, client: conforme, client_detail: {document: COND-01_matrice-raci.csv}}`, ""},
		{"control character", `COND-01: {operator: conforme, client: conforme, client_detail: {text: "a\u0007b"}}`,
			"DOSSIER-DETAIL: the detailed answer to COND-01: holds a control character"},
		{"direction override", `COND-01: {operator: conforme, client: conforme, client_detail: {text: "conforme \u202eemrofnoc"}}`,
			"DOSSIER-DETAIL: the detailed answer to COND-01: holds a text-direction control"},
		{"blank text", `COND-01: {operator: conforme, client: conforme, client_detail: {text: "   "}}`,
			"DOSSIER-DETAIL: the detailed answer to COND-01: is empty"},
		{"document the dossier does not list", `COND-01: {operator: conforme, client: conforme, client_detail: {document: autre.pdf, extract: "p. 3"}}`,
			`refers to "autre.pdf", which the dossier does not list`},
		{"extract without a document", `COND-01: {operator: conforme, client: conforme, client_detail: {extract: "p. 3"}}`,
			`the extract "p. 3" of the detailed answer to COND-01 names no document`},
		{"extract on two lines", `COND-01: {operator: conforme, client: conforme, client_detail: {document: COND-01_matrice-raci.csv, extract: "p. 3\np. 4"}}`,
			"DOSSIER-DETAIL: the extract of the detailed answer to COND-01: holds a control character"},
		{"detail without the answer", `COND-01: {operator: conforme, client_detail: {text: "en cours de signature"}}`,
			"has the Client's detailed answer but not the answer itself"},
		{"text too long", `COND-01: {operator: conforme, client: conforme, client_detail: {text: "` + strings.Repeat("é", 2001) + `"}}`,
			"REG-SCHEMA"},
		{"unknown field", `COND-01: {operator: conforme, client: conforme, client_detail: {texte: "x"}}`,
			"REG-UNKNOWN-FIELD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := sample(t)
			edit(t, dir, b2, line, tt.answer)
			var got []string
			for _, f := range check(t, dir) {
				if f.Rule == "DOSSIER-DETAIL" || f.Rule == "REG-SCHEMA" || f.Rule == "REG-UNKNOWN-FIELD" {
					got = append(got, f.String())
				}
			}
			if tt.want == "" {
				if len(got) > 0 {
					t.Fatalf("unexpected findings:\n%s", strings.Join(got, "\n"))
				}
				return
			}
			for _, g := range got {
				if strings.HasPrefix(g, "registry/"+b2) && strings.Contains(g, tt.want) {
					return
				}
			}
			t.Fatalf("want a finding on %s containing %q; got:\n%s", b2, tt.want, strings.Join(got, "\n"))
		})
	}
}
