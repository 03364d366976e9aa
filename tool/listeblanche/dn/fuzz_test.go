package dn

import "testing"

// FuzzParse: whatever Parse reads, String writes in a form Parse reads
// back to the same name, a second writing changes nothing, and a name
// ParseServer accepts has the server shape when read from DER as well.
func FuzzParse(f *testing.F) {
	for _, tc := range serverCases(f) {
		f.Add(tc.dn)
	}
	f.Add(`O=a\+b+CN=c`)
	f.Add(`1.2.3.4=#0c0161+CN=#1e0400e90061`)
	f.Add(`ST=C\C3\B4te-d'Or (21),O=\ a\ ,CN=\#1`)
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s)
		if err != nil {
			if _, serr := ParseServer(s); serr == nil {
				t.Fatalf("ParseServer accepts %q, which Parse refuses", s)
			}
			return
		}
		w := n.String()
		back, err := Parse(w)
		if err != nil || !back.Equal(n) || back.String() != w {
			t.Fatalf("%q reads as %v, written %q, which reads as %v (%v)", s, n, w, back, err)
		}
		if _, err := ParseServer(s); err == nil {
			der, err := n.DER()
			if err != nil {
				t.Fatalf("%q: %v", s, err)
			}
			fromCert, err := FromDER(der)
			if err != nil || !fromCert.Equal(n) {
				t.Fatalf("%q encodes to a name read as %v (%v)", s, fromCert, err)
			}
			if _, err := ServerOf(fromCert); err != nil {
				t.Fatalf("%q has the server shape as text, not from DER: %v", s, err)
			}
		}
	})
}
