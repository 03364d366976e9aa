package xmltext

import "testing"

// FuzzPlainASCII holds Problem's fast path to the full check: what it
// accepts, the full check accepts.
func FuzzPlainASCII(f *testing.F) {
	for _, seed := range []string{"OPERATEUR FICTIF 3", "support@operateur-fictif.example", " x", "x ", "", "a\tb", "Côte-d'Or", "\x7f", "~"} {
		f.Add(seed, 0)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max <= 0 || max > MaxChars {
			max = MaxChars
		}
		if fast, full := plainASCII(s, max), problem(s, max); fast && full != "" {
			t.Fatalf("the fast path accepts %q (max %d), the full check says %s", s, max, full)
		}
	})
}

func TestProblem(t *testing.T) {
	for _, c := range []struct {
		s    string
		max  int
		want bool // accepted
	}{
		{"OPERATEUR FICTIF", 0, true},
		{"CN=db3.test,O=CENTRE D'IMAGERIE,ST=Côte-d'Or (21),C=FR", 0, true},
		{"", 0, false},
		{" x", 0, false},
		{"x ", 0, false},
		{"a\tb", 0, false},
		{"abc", 2, false},
		{"\u202e", 0, false},
		{"\x7f", 0, false},
	} {
		if got := Problem(c.s, c.max) == ""; got != c.want {
			t.Errorf("Problem(%q, %d) accepts: %v, want %v", c.s, c.max, got, c.want)
		}
	}
}
