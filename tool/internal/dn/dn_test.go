package dn

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	got, err := Parse(`CN=db3.test.mesimagesmedicales.fr,OU=312345678900017,O=CENTRE\, FICTIF,ST=Côte-d'Or (21),C=FR`)
	if err != nil {
		t.Fatal(err)
	}
	want := []Attr{{"CN", "db3.test.mesimagesmedicales.fr"}, {"OU", "312345678900017"}, {"O", "CENTRE, FICTIF"}, {"ST", "Côte-d'Or (21)"}, {"C", "FR"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("Parse (-want +got):\n%s", diff)
	}
	for bad, says := range map[string]string{"": "empty distinguished name", "CN": "is not TYPE=value", "CN=a,,O=b": "is not TYPE=value",
		`CN=a\`: "lone backslash", "=x": "is not TYPE=value", "CN=": "is not TYPE=value"} {
		if _, err := Parse(bad); err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("Parse(%q): got %v, want an error saying %q", bad, err, says)
		}
	}
}

func TestEqual(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"CN=a,O=b,C=FR", "C=FR,O=b,CN=a", true},
		{"cn=a, o=b", "CN=a,O=b", true},
		{`O=x\,y,CN=a`, "CN=a,O=x\\,y", true},
		{"CN=a,O=b", "CN=a,O=c", false},
		{"CN=a,O=b", "CN=a", false},
		{"CN=a", "nonsense", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got := Equal(tt.a, tt.b); got != tt.want {
			t.Errorf("Equal(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestEscapeRoundTrip(t *testing.T) {
	for _, v := range []string{"CENTRE, FICTIF", `a\b`, "x+y=z", "plain"} {
		attrs, err := Parse("O=" + Escape(v))
		if err != nil || len(attrs) != 1 || attrs[0].Value != v {
			t.Errorf("round trip of %q: %v %v", v, attrs, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(`CN=db3.test.mesimagesmedicales.fr,OU=312345678900017,O=CENTRE\, FICTIF,C=FR`)
	f.Add(`O=a\+b+CN=c`)
	f.Fuzz(func(t *testing.T, s string) {
		attrs, err := Parse(s)
		if err == nil && !Equal(s, s) {
			t.Fatalf("%q parses to %v but is not equal to itself", s, attrs)
		}
	})
}
