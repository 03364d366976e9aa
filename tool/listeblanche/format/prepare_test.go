package format

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drim-m/trust-space/tool/listeblanche/xades"
)

func unsignedList(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "xades", "testdata", "unsigned.xml"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkPrepareAgrees holds the signer's one-pass check to Parse: a list
// Parse refuses, Prepare refuses as a format error; a list Parse accepts,
// Prepare accepts unless xades.Prepare alone refuses it (a signature
// already there, an Id given twice), with the same error.
func checkPrepareAgrees(t *testing.T, data []byte) {
	t.Helper()
	_, parseErr := Parse(data)
	p, err := Prepare(data)
	switch {
	case parseErr != nil:
		if err == nil || !errors.Is(err, ErrFormat) {
			t.Fatalf("Parse refuses (%v), Prepare gives %v, for %q", parseErr, err, data)
		}
	case err != nil:
		_, alone := xades.Prepare(data, xades.DefaultLimits, nil)
		if errors.Is(err, ErrFormat) || alone == nil || alone.Error() != err.Error() {
			t.Fatalf("Parse accepts, Prepare refuses (%v; xades.Prepare alone: %v), for %q", err, alone, data)
		}
	case p == nil:
		t.Fatalf("Prepare accepts without a prepared document, for %q", data)
	}
}

func TestPrepareAgreesWithParse(t *testing.T) {
	list := unsignedList(t)
	edit := func(old, new string) string {
		if !strings.Contains(list, old) {
			t.Fatalf("the sample list has no %q", old)
		}
		return strings.Replace(list, old, new, 1)
	}
	signed, err := os.ReadFile(filepath.Join("..", "testdata", "kit", "older.xml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, data string
		refused    string // what Prepare's error says; empty when it accepts
	}{
		{"sample", list, ""},
		{"other root", `<?xml version="1.0"?><html/>`, "not a Liste Blanche in format 1.0.0: the root element is <html>"},
		{"no namespace", edit(` xmlns="https://github.com/ansforge/DRIM-M_DATA"`, ""), "the root element has no namespace"},
		{"version", edit(`versionFormat="1.0.0"`, `versionFormat="2.0.0"`), `versionFormat "2.0.0"`},
		{"no date", edit(`<DateDeGeneration>2026-05-01T12:00:00Z</DateDeGeneration>`, ""), "must hold DateDeGeneration"},
		{"twice", strings.ReplaceAll(list, "12", "3"), "Identifiant 3 appears twice"},
		{"db name", edit(`db12.test`, `db13.test`), `db "db13.test.mesimagesmedicales.fr" is not db12.<zone>`},
		{"line feed", edit(`CLINIQUE FICTIVE`, "CLINIQUE&#xA;FICTIVE"), "Identifiant 12: DNCertificatOperateur"},
		{"bad date", edit(`2026-04-20T16:05:00Z`, `tomorrow`), "DateMAJ"},
		{"missing field", edit(`<vi></vi>`, ""), "<Denomination> where <vi> is expected"},
		{"malformed", edit(`</ListeDomaines>`, ""), "not a Liste Blanche in format 1.0.0: not well-formed XML"},
		{"comment", edit(`<ListeDomaines>`, `<ListeDomaines><!-- x -->`), "not a Liste Blanche in format 1.0.0: forbidden XML construct"},
		// The format defines no attribute below the root: the signer's
		// check of Ids repeated is not reached.
		{"Id twice", strings.ReplaceAll(list, `<Domaine>`, `<Domaine Id="a">`), `<Domaine> carries the attribute Id`},
		{"xsi:nil on a field", edit(`<vi></vi>`, `<vi xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"></vi>`),
			"<vi> carries the attribute {http://www.w3.org/2001/XMLSchema-instance}nil"},
		{"xml:space on a field", edit(`<vi></vi>`, `<vi xml:space="preserve"></vi>`), "<vi> carries the attribute"},
		{"signed", string(signed), "already holds 1 signature"},
	} {
		t.Run(c.name, func(t *testing.T) {
			checkPrepareAgrees(t, []byte(c.data))
			_, err := Prepare([]byte(c.data))
			switch {
			case c.refused == "" && err != nil:
				t.Fatalf("Prepare refuses: %v", err)
			case c.refused != "" && (err == nil || !strings.Contains(err.Error(), c.refused)):
				t.Fatalf("Prepare gives %v, want an error saying %q", err, c.refused)
			}
		})
	}
}

// FuzzPrepare holds the signer's one-pass check to Parse on mutated lists.
func FuzzPrepare(f *testing.F) {
	f.Add([]byte(unsignedList(f)))
	f.Add([]byte(`<L xmlns="u" versionFormat="1.0.0"><DateDeGeneration>2026-01-01T00:00:00Z</DateDeGeneration><ListeDomaines/></L>`))
	f.Add([]byte(`<ListeBlancheDRIM-M xmlns="u" versionFormat="1.0.0"><DateDeGeneration>2026-01-01T00:00:00Z</DateDeGeneration><ListeDomaines><Domaine Id="i"><Identifiant>1</Identifiant><db>db1.x</db><vi/><Denomination>d</Denomination><DNCertificatOperateur>CN=x</DNCertificatOperateur><SupportContact>s@x</SupportContact><DateMAJ>2026-01-01T00:00:00Z</DateMAJ></Domaine></ListeDomaines></ListeBlancheDRIM-M>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		checkPrepareAgrees(t, data)
	})
}
