package cli

import "testing"

// A file name of the container never forges a line of fill's report.
func TestShownQuotesWhatATerminalActsOn(t *testing.T) {
	for in, want := range map[string]string{
		"COND-01_matrice-raci.csv":                  "COND-01_matrice-raci.csv",
		"annexe é.pdf":                              "annexe é.pdf",
		"x\n/y.pdf: listed under dossier.documents": `"x\n/y.pdf: listed under dossier.documents"`,
		"esc\x1b[31mRED.pdf":                        `"esc\x1b[31mRED.pdf"`,
	} {
		if got := shown(in); got != want {
			t.Errorf("shown(%q) = %s, want %s", in, got, want)
		}
	}
}
