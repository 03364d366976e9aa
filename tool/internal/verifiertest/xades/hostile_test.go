package xadestest

import (
	"bytes"
	"crypto/x509"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/whitelist"
	"github.com/drim-m/trust-space/tool/listeblanche/format"
	. "github.com/drim-m/trust-space/tool/listeblanche/xades"
)

// hostileLists are unsigned lists shaped as a hostile registry value or an
// odd but well-formed file would shape them: each is either refused by the
// signer, or signed into bytes that every reader reads alike.
func hostileLists(t testing.TB) map[string][]byte {
	base := string(unsigned(t))
	den := "<Denomination>AUTRE OPERATEUR &amp; FILS</Denomination>"
	with := func(old, new string) []byte {
		if !strings.Contains(base, old) {
			t.Fatalf("the sample list no longer holds %q", old)
		}
		return []byte(strings.Replace(base, old, new, 1))
	}
	withDen := func(v string) []byte { return with(den, "<Denomination>"+v+"</Denomination>") }
	return map[string][]byte{
		"markup characters":    withDen(`A &amp; B &lt;C&gt; "q" 'a' &gt;`),
		"character references": withDen(`&#65;&#x42;&#x1D504;`),
		"carriage return":      withDen("A&#13;B"),
		"tab":                  withDen("A&#9;B"),
		"raw CR":               withDen("A\rB"),
		"non-BMP":              withDen("𝔄 OPÉRATEUR 😀"),
		"combining, not NFC":   withDen("CLINIQUE E\u0301TOILE"),
		"NBSP at the ends":     withDen("&#xA0;OPERATEUR&#xA0;"),
		"raw NBSP at the ends": withDen("\u00a0OPERATEUR\u00a0"),
		"line separator":       withDen("OPERATEUR\u2028"),
		"NEL at the start":     withDen("\u0085OPERATEUR"),
		"ideographic space":    withDen("\u3000OPERATEUR"),
		"CDATA":                withDen("<![CDATA[A & <B>]]>"),
		"spaces around":        withDen("  OPERATEUR  "),
		"Identifiant plus":     with("<Identifiant>12</Identifiant>", "<Identifiant>+12</Identifiant>"),
		"Identifiant zero":     with("<Identifiant>12</Identifiant>", "<Identifiant>012</Identifiant>"),
		"Identifiant spaced":   with("<Identifiant>12</Identifiant>", "<Identifiant> 12\n</Identifiant>"),
		"DateMAJ offset":       with("<DateMAJ>2026-04-20T16:05:00Z</DateMAJ>", "<DateMAJ>2026-04-20T18:05:00+02:00</DateMAJ>"),
		"DateMAJ fraction":     with("<DateMAJ>2026-04-20T16:05:00Z</DateMAJ>", "<DateMAJ>2026-04-20T16:05:00.5Z</DateMAJ>"),
		"CRLF":                 []byte(strings.ReplaceAll(base, "\n", "\r\n")),
		"BOM":                  append([]byte("\xef\xbb\xbf"), base...),
		"lower-case encoding":  []byte(strings.Replace(base, `encoding="UTF-8"`, `encoding="utf-8"`, 1)),
		"Latin-1 declared":     []byte(strings.Replace(base, `encoding="UTF-8"`, `encoding="ISO-8859-1"`, 1)),
		"attributes on Domaine": with("<Domaine>\n            <Identifiant>12",
			"<Domaine xml:space=\"preserve\" statut=\"retire\">\n            <Identifiant>12"),
		"prefixed namespace": []byte(strings.NewReplacer(
			`<ListeBlancheDRIM-M xmlns="https://github.com/ansforge/DRIM-M_DATA"`,
			`<lb:ListeBlancheDRIM-M xmlns:lb="https://github.com/ansforge/DRIM-M_DATA"`,
			"</ListeBlancheDRIM-M>", "</lb:ListeBlancheDRIM-M>",
			"<Domaine>", "<lb:Domaine>", "</Domaine>", "</lb:Domaine>").Replace(
			strings.NewReplacer("<Identifiant>", "<lb:Identifiant>", "</Identifiant>", "</lb:Identifiant>",
				"<db>", "<lb:db>", "</db>", "</lb:db>", "<vi>", "<lb:vi>", "</vi>", "</lb:vi>", "<vi/>", "<lb:vi/>",
				"<Denomination>", "<lb:Denomination>", "</Denomination>", "</lb:Denomination>",
				"<DNCertificatOperateur>", "<lb:DNCertificatOperateur>", "</DNCertificatOperateur>", "</lb:DNCertificatOperateur>",
				"<SupportContact>", "<lb:SupportContact>", "</SupportContact>", "</lb:SupportContact>",
				"<DateMAJ>", "<lb:DateMAJ>", "</DateMAJ>", "</lb:DateMAJ>",
				"<DateDeGeneration>", "<lb:DateDeGeneration>", "</DateDeGeneration>", "</lb:DateDeGeneration>",
				"<ListeDomaines>", "<lb:ListeDomaines>", "</ListeDomaines>", "</lb:ListeDomaines>").Replace(base))),
	}
}

// ordinaryEntry is a Domaine as a DRIMbox's ordinary XML reader sees it in
// the saved file: the field's text with the XML white space around it
// removed, and nothing else changed.
type ordinaryEntry struct {
	Identifiant, DB, VI, Denomination, DN, Contact, DateMAJ string
}

func ordinaryRead(t testing.TB, data []byte) []ordinaryEntry {
	t.Helper()
	var doc struct {
		Domaines []struct {
			Identifiant  string `xml:"Identifiant"`
			DB           string `xml:"db"`
			VI           string `xml:"vi"`
			Denomination string `xml:"Denomination"`
			DN           string `xml:"DNCertificatOperateur"`
			Contact      string `xml:"SupportContact"`
			DateMAJ      string `xml:"DateMAJ"`
		} `xml:"ListeDomaines>Domaine"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("encoding/xml cannot read a list drimm verifies: %v", err)
	}
	trim := func(s string) string { return strings.Trim(s, " \t\r\n") }
	var out []ordinaryEntry
	for _, e := range doc.Domaines {
		out = append(out, ordinaryEntry{trim(e.Identifiant), trim(e.DB), trim(e.VI), trim(e.Denomination),
			trim(e.DN), trim(e.Contact), trim(e.DateMAJ)})
	}
	return out
}

// What is signed is what every reader reads: for each hostile list, the
// signer refuses it (and the verifier refuses it signed without the format
// check), or drimm and xmlsec1 both accept the signed file, its
// verified content is xmllint's exclusive canonical form of the unsigned
// list, and the entries drimm hands on are those an ordinary XML reader
// finds in the saved file, byte for byte.
func TestHostileListsReadAlike(t *testing.T) {
	requireTool(t, "xmllint", "libxml2-utils")
	p := pki(t)
	for name, in := range hostileLists(t) {
		t.Run(name, func(t *testing.T) {
			prep, err := format.Prepare(in)
			if err != nil {
				// Signed by a signer that does not check the format, the
				// list is refused by the verifier for the same reason.
				t.Logf("refused by the signer: %v", err)
				signed, serr := Sign(in, SignOptions{Key: p.Signer.Key, Chain: append([]*x509.Certificate{p.Signer.Cert}, p.Signer.Chain...), Time: p.Now()})
				if serr != nil {
					return
				}
				if _, verr := format.Verify(signed, format.VerifyOptions{Signature: options(p), MaxAge: -1}); verr == nil {
					t.Errorf("the signer refuses the list (%v), the verifier accepts it signed", err)
				}
				return
			}
			sig, err := prep.Sign(SignOptions{Key: p.Signer.Key, Chain: append([]*x509.Certificate{p.Signer.Cert}, p.Signer.Chain...), Time: p.Now()})
			if err != nil {
				t.Fatalf("prepared but not signed: %v", err)
			}
			signed := bytes.Join(prep.Parts(sig), nil)
			v, err := format.Verify(signed, format.VerifyOptions{Signature: options(p), MaxAge: -1})
			if err != nil {
				t.Fatalf("drimm refuses what drimm signed: %v", err)
			}
			if err := xmlsecVerify(t, p, signed); err != nil {
				t.Errorf("xmlsec1 refuses what drimm signed:\n%s", err)
			}
			f := filepath.Join(t.TempDir(), "unsigned.xml")
			if err := os.WriteFile(f, in, 0o644); err != nil {
				t.Fatal(err)
			}
			want, err := exec.Command("xmllint", "--exc-c14n", f).Output()
			if err != nil {
				t.Fatalf("xmllint --exc-c14n: %v", err)
			}
			if !bytes.Equal(v.Signed.Content, want) {
				t.Errorf("signed content is not xmllint's canonical form:\n ours    %q\n xmllint %q", v.Signed.Content, want)
			}
			theirs := ordinaryRead(t, signed)
			if len(theirs) != len(v.List.Domains) {
				t.Fatalf("drimm hands on %d entries, an ordinary reader finds %d", len(v.List.Domains), len(theirs))
			}
			for i, d := range v.List.Domains {
				// A time is the same instant however its zone is written.
				ours := ordinaryEntry{strconv.Itoa(d.ID), d.DB, d.VI, d.Denomination, d.CertDN, d.SupportContact, theirs[i].DateMAJ}
				if at, err := time.Parse(time.RFC3339Nano, theirs[i].DateMAJ); err != nil || !at.Equal(d.Updated) {
					t.Errorf("entry %d: drimm hands on DateMAJ %s, an ordinary reader sees %q", i+1, d.Updated, theirs[i].DateMAJ)
				}
				if ours != theirs[i] {
					t.Errorf("entry %d: drimm hands on\n %q\nan ordinary reader of the saved file sees\n %q", i+1, ours, theirs[i])
				}
			}
		})
	}
}

// builtList is the list the builder writes with one entry of the given
// Denomination and DN, or nil when the builder refuses the values.
func builtList(den, certDN string) []byte {
	gen := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	data, err := whitelist.Marshal(&whitelist.List{Namespace: whitelist.DefaultNamespace, VersionFormat: whitelist.VersionFormat,
		Generated: gen, Domains: []whitelist.Domain{{ID: 7, DB: "db7.test.mesimagesmedicales.fr", Denomination: den,
			CertDN: certDN, SupportContact: "support@operateur.example", Updated: gen}}})
	if err != nil {
		return nil
	}
	return data
}

// For any registry values the builder accepts, the signer signs the list,
// the verifier accepts it and hands on the values as given, and an
// ordinary XML reader of the signed file reads the same values.
func FuzzBuiltListReadAlike(f *testing.F) {
	for _, den := range []string{"OPERATEUR FICTIF", `A & B <C> "q" 'a'`, "A\rB", "A\tB", "𝔄 😀", "CLINIQUE E\u0301TOILE",
		"]]>", "\u00a0X", "X\u3000", "&amp;", "\ufeffX", "a\u2028b", "<![CDATA[x]]>", "<!-- c -->", "<?pi x?>"} {
		f.Add(den, `CN=db7.test.mesimagesmedicales.fr,O=CLINIQUE FICTIVE\, & "FILS",C=FR`)
	}
	p := pki(f)
	chain := append([]*x509.Certificate{p.Signer.Cert}, p.Signer.Chain...)
	f.Fuzz(func(t *testing.T, den, certDN string) {
		in := builtList(den, certDN)
		if in == nil {
			return
		}
		prep, err := format.Prepare(in)
		if err != nil {
			t.Fatalf("the builder writes a list the signer refuses: %v\n%s", err, in)
		}
		sig, err := prep.Sign(SignOptions{Key: p.Signer.Key, Chain: chain, Time: p.Now()})
		if err != nil {
			t.Fatal(err)
		}
		signed := bytes.Join(prep.Parts(sig), nil)
		v, err := format.Verify(signed, format.VerifyOptions{Signature: options(p), MaxAge: -1})
		if err != nil {
			t.Fatalf("drimm refuses what it built and signed: %v\n%s", err, signed)
		}
		d := v.List.Domains[0]
		if d.Denomination != den || d.CertDN != certDN {
			t.Fatalf("built with %q, %q; handed on %q, %q", den, certDN, d.Denomination, d.CertDN)
		}
		theirs := ordinaryRead(t, signed)[0]
		if theirs.Denomination != den || theirs.DN != certDN {
			t.Fatalf("built with %q, %q; an ordinary reader sees %q, %q", den, certDN, theirs.Denomination, theirs.DN)
		}
	})
}

// The builder's lists with hostile registry values pass xmlsec1 as well.
func TestBuiltHostileListsPassXmlsec(t *testing.T) {
	p := pki(t)
	chain := append([]*x509.Certificate{p.Signer.Cert}, p.Signer.Chain...)
	for _, den := range []string{`A & B <C> "q" 'a' >`, "𝔄 OPÉRATEUR 😀", "CLINIQUE E\u0301TOILE", "]]> FIN", "&amp;lt;"} {
		in := builtList(den, `CN=db7.test.mesimagesmedicales.fr,O=CLINIQUE \"FICTIVE\"\, & FILS,C=FR`)
		if in == nil {
			t.Fatalf("the builder refuses %q", den)
		}
		signed := signWith(t, in, p.Signer, p.Now())
		prep, err := format.Prepare(in)
		if err != nil {
			t.Fatal(err)
		}
		sig, err := prep.Sign(SignOptions{Key: p.Signer.Key, Chain: chain, Time: p.Now()})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(bytes.Join(prep.Parts(sig), nil), signed) {
			t.Errorf("%q: the one-pass signer and Sign write different files", den)
		}
		if err := xmlsecVerify(t, p, signed); err != nil {
			t.Errorf("%q: xmlsec1 refuses the list drimm built and signed:\n%s", den, err)
		}
	}
}

// FuzzHostileListReadAlike is TestHostileListsReadAlike for any unsigned
// document, without xmlsec1 and xmllint (too slow to run per input): a
// document the signer accepts verifies once signed, and the entries drimm
// hands on are those encoding/xml reads in the signed file.
func FuzzHostileListReadAlike(f *testing.F) {
	for _, in := range hostileLists(f) {
		f.Add(in)
	}
	p := pki(f)
	chain := append([]*x509.Certificate{p.Signer.Cert}, p.Signer.Chain...)
	f.Fuzz(func(t *testing.T, in []byte) {
		prep, err := format.Prepare(in)
		if err != nil {
			return
		}
		sig, err := prep.Sign(SignOptions{Key: p.Signer.Key, Chain: chain, Time: p.Now()})
		if err != nil {
			return // a document whose Ids clash with the signature's, say
		}
		signed := bytes.Join(prep.Parts(sig), nil)
		v, err := format.Verify(signed, format.VerifyOptions{Signature: options(p), MaxAge: -1})
		if err != nil {
			t.Fatalf("drimm refuses what it checked and signed: %v\n%q", err, in)
		}
		theirs := ordinaryRead(t, signed)
		if len(theirs) != len(v.List.Domains) {
			t.Fatalf("drimm hands on %d entries, encoding/xml reads %d\n%q", len(v.List.Domains), len(theirs), in)
		}
		for i, d := range v.List.Domains {
			ours := ordinaryEntry{strconv.Itoa(d.ID), d.DB, d.VI, d.Denomination, d.CertDN, d.SupportContact, theirs[i].DateMAJ}
			if ours != theirs[i] {
				t.Fatalf("entry %d: drimm hands on %q, encoding/xml reads %q\n%q", i+1, ours, theirs[i], in)
			}
		}
	})
}
