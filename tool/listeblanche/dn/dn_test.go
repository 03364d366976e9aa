package dn

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, in string
		want     Name
	}{
		{"as the lists write it", `CN=db3.test.mesimagesmedicales.fr,OU=312345678900017,O=CENTRE FICTIF,ST=Côte-d'Or (21),C=FR`,
			Name{{{"CN", "db3.test.mesimagesmedicales.fr", false}}, {{"OU", "312345678900017", false}}, {{"O", "CENTRE FICTIF", false}}, {{"ST", "Côte-d'Or (21)", false}}, {{"C", "FR", false}}}},
		{"escaped comma", `O=CENTRE\, FICTIF,C=FR`, Name{{{"O", "CENTRE, FICTIF", false}}, {{"C", "FR", false}}}},
		{"multi-valued RDN", `CN=a+O=b,C=FR`, Name{{{"CN", "a", false}, {"O", "b", false}}, {{"C", "FR", false}}}},
		{"escaped plus", `O=a\+b`, Name{{{"O", "a+b", false}}}},
		{"type in lower case", `cn=a,c=FR`, Name{{{"CN", "a", false}}, {{"C", "FR", false}}}},
		{"long type name", `commonName=a`, Name{{{"CN", "a", false}}}},
		{"OID of a known type", `2.5.4.3=a`, Name{{{"CN", "a", false}}}},
		{"OID of an unknown type", `1.2.3.4=a`, Name{{{"1.2.3.4", "#0c0161", true}}}},
		{"hex UTF8String", `CN=#0c0161`, Name{{{"CN", "a", false}}}},
		{"hex PrintableString", `C=#13024652`, Name{{{"C", "FR", false}}}},
		{"hex BMPString", `O=#1e0400e90061`, Name{{{"O", "éa", false}}}},
		{"hex INTEGER", `CN=#020101`, Name{{{"CN", "#020101", true}}}},
		{"hex pairs make UTF-8", `ST=C\C3\B4te-d'Or (21)`, Name{{{"ST", "Côte-d'Or (21)", false}}}},
		{"escaped NUL", `CN=a\00b`, Name{{{"CN", "a\x00b", false}}}},
		{"escaped leading and trailing spaces", `O=\ a\ `, Name{{{"O", " a ", false}}}},
		{"escaped leading sharp", `O=\#1`, Name{{{"O", "#1", false}}}},
		{"equals sign in a value", `O=a=b`, Name{{{"O", "a=b", false}}}},
		{"empty value", `CN=`, Name{{{"CN", "", false}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(tt.want, got) {
				t.Fatalf("Parse(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
			back, err := Parse(got.String())
			if err != nil || !back.Equal(got) {
				t.Fatalf("%q writes as %q, which reads as %v (%v)", tt.in, got.String(), back, err)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	for in, says := range map[string]string{
		"":                 "empty distinguished name",
		"CN":               "not TYPE=value",
		"CN=a,,O=b":        "not an attribute type",
		`CN=a\`:            "lone backslash",
		"=x":               "no type",
		"CN=a, O=b":        "space in or around the attribute type",
		"CN =a":            "space in or around the attribute type",
		"CN= a":            "starts with a space",
		"CN=a ,O=b":        "ends with a space",
		"C=FR ":            "ends with a space",
		"CN=a\x00b":        `written \00`,
		"CN=a;O=b":         "must be escaped",
		`CN="a"`:           "must be escaped",
		"CN=<a>":           "must be escaped",
		`CN=a\q`:           "neither a special character nor a hex pair",
		`CN=\C3`:           "do not make UTF-8",
		"CN=#0c":           "not DER",
		"CN=#0c0161ff":     "bytes after its DER",
		"CN=#zz":           "not hex pairs",
		"CN=#0c01ff":       "not UTF-8",
		"EMAIL=a@b":        "not known; write its OID",
		"OID.2.5.4.3=a":    "not an attribute type",
		"2.05.4.3=a":       "is not an OID",
		"2=a":              "is not an OID",
		"1.2.3456789012=a": "is not an OID",
		"CN=a\xff":         "not UTF-8",
	} {
		if _, err := Parse(in); err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("Parse(%q): got %v, want an error saying %q", in, err, says)
		}
	}
}

func TestEqual(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"CN=a,O=b,C=FR", "CN=a,O=b,C=FR", true},
		{"cn=a,o=b", "CN=a,O=b", true},
		{"2.5.4.3=a,O=b", "CN=a,O=b", true},
		{"CN=#0c0161,O=b", "CN=a,O=b", true},
		{`O=x\,y,CN=a`, "O=x\\2cy,CN=a", true},
		{"CN=a+O=b", "O=b+CN=a", true},
		{"CN=a,O=b,C=FR", "C=FR,O=b,CN=a", false},
		{"CN=a+O=b", "CN=a,O=b", false},
		{"CN=a,O=b", "CN=a,O=c", false},
		{"CN=a,O=b", "CN=a", false},
		{"CN=A", "CN=a", false},
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
	for _, v := range []string{"CENTRE, FICTIF", `a\b`, "x+y=z", "plain", " lead", "trail ", "#x", "a\x00b", `"<;>"`} {
		n, err := Parse("O=" + Escape(v))
		if err != nil || len(n) != 1 || n[0][0].Value != v {
			t.Errorf("round trip of %q: %v %v", v, n, err)
		}
	}
}

func TestDERRoundTrip(t *testing.T) {
	for _, s := range []string{
		`CN=db3.test.mesimagesmedicales.fr,OU=312345678900017,O=CENTRE\, FICTIF,ST=Côte-d'Or (21),C=FR`,
		`CN=a+O=b,CN=c,C=FR`,
		`1.2.3.4=x,CN=#020101`,
	} {
		n, err := Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		der, err := n.DER()
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		back, err := FromDER(der)
		if err != nil || !back.Equal(n) {
			t.Errorf("%q encodes to a name that reads as %q (%v)", s, back, err)
		}
	}
	if _, err := FromDER([]byte{0x30, 0x02, 0x31, 0x00}); err == nil {
		t.Error("a DER name with an empty RDN was read")
	}
}
