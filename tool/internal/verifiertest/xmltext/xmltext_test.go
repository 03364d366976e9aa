package xmltexttest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/whitelist"
	"github.com/drim-m/trust-space/tool/listeblanche/xmltext"
)

var cases = []struct {
	name string
	s    string
	ok   bool
	msg  string
}{
	{"plain", "ALPHA IMAGERIE FICTIVE SAS", true, ""},
	{"accents and apostrophe", "Centre d'imagerie de la Côte-d'Or", true, ""},
	{"markup characters", "A&B <SAS> \"x\"", true, ""},
	{"astral plane", "Imagerie \U0001F3E5", true, ""},
	{"512 characters", strings.Repeat("é", 512), true, ""},
	{"empty", "", false, "is empty"},
	{"blank", "   ", false, "is empty"},
	{"513 characters", strings.Repeat("é", 513), false, "513 characters long"},
	{"bell", "A\aB", false, "control character (U+0007"},
	{"NUL", "A\x00B", false, "control character (U+0000"},
	{"tab", "A\tB", false, "control character (U+0009"},
	{"line feed", "A\nB", false, "control character (U+000A"},
	{"carriage return", "A\rB", false, "control character (U+000D"},
	{"DEL", "A\x7fB", false, "control character (U+007F"},
	{"NEL", "A\u0085B", false, "C1 control character"},
	{"line separator", "A\u2028B", false, "line or paragraph separator"},
	{"right-to-left override", "A\u202eB", false, "text-direction control"},
	{"noncharacter", "A\uffffB", false, "noncharacter"},
	{"invalid UTF-8", "A\xffB", false, "not valid UTF-8"},
	{"leading space", " A", false, "starts or ends with spaces"},
	{"trailing no-break space", "A\u00a0", false, "starts or ends with spaces"},
}

func TestProblem(t *testing.T) {
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			msg := xmltext.Problem(tt.s, 0)
			if tt.ok != (msg == "") || !strings.Contains(msg, tt.msg) {
				t.Fatalf("Problem(%q) = %q; want ok=%v containing %q", tt.s, msg, tt.ok, tt.msg)
			}
		})
	}
}

// TestAcceptedValuesArePublishable: every value Problem accepts makes a
// list the list's schema accepts (xmllint) and that reads back unchanged;
// every value it refuses, the list builder refuses too.
func TestAcceptedValuesArePublishable(t *testing.T) {
	xsd, err := filepath.Abs("../../../../schemas/liste-blanche.xsd")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Fatal("xmllint is required: apt-get install libxml2-utils")
	}
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			l := &whitelist.List{Namespace: whitelist.DefaultNamespace, VersionFormat: whitelist.VersionFormat, Generated: at,
				Domains: []whitelist.Domain{{ID: 1, DB: "db1.mesimagesmedicales.fr", Denomination: tt.s,
					CertDN: "CN=db1.mesimagesmedicales.fr,OU=310000000000001,O=X,C=FR", SupportContact: "support@op.example", Updated: at}}}
			data, err := whitelist.Marshal(l)
			if !tt.ok {
				if err == nil || !strings.Contains(err.Error(), "Denomination: "+xmltext.Problem(tt.s, 0)) {
					t.Fatalf("Marshal = %v; want the refusal %q", err, xmltext.Problem(tt.s, 0))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(t.TempDir(), "liste.xml")
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command("xmllint", "--noout", "--schema", xsd, p).CombinedOutput(); err != nil {
				t.Fatalf("xmllint refuses the list: %v\n%s", err, out)
			}
			back, err := whitelist.Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			if got := back.Domains[0].Denomination; got != tt.s {
				t.Fatalf("read back %q, wrote %q", got, tt.s)
			}
		})
	}
}
