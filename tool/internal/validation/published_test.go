package validation

import (
	"strings"
	"testing"
)

// TestPublishedValues: what the list or the weather page would publish is
// checked as the program reads it, whatever the YAML spelling.
func TestPublishedValues(t *testing.T) {
	op1 := "operators/operateur-001/operator.yaml"
	op2 := "operators/operateur-002/operator.yaml"
	b1 := "operators/operateur-001/drimboxes/1.yaml"
	tests := []struct {
		name          string
		file, old, nw string
		want          string // path:line:col: RULE prefix
		msg           string
	}{
		{"escaped control character in a denomination", op1, "denomination: OPERATEUR FICTIF 001", `denomination: "OPERATEUR\u0007FICTIF"`,
			"registry/" + op1 + ":2:15: PUBLISHED-TEXT", "holds a control character (U+0007"},
		{"binary denomination", op1, "denomination: OPERATEUR FICTIF 001", "denomination: !!binary T1BFUkFURVVSB0ZJQ1RJRg==",
			"registry/" + op1 + ":2:15: REG-YAML", "tag !!binary is not allowed"},
		{"trailing space", op1, "denomination: OPERATEUR FICTIF 001", `denomination: "OPERATEUR FICTIF 001 "`,
			"registry/" + op1 + ":2:15: PUBLISHED-TEXT", "ends with spaces"},
		{"C1 control in the server DN", b1, "O=CENTRE IMAGERIE FICTIF 1", `O=CENTRE IMAGERIE\u0085FICTIF 1`,
			"registry/" + b1 + ":12:9: PUBLISHED-TEXT", "C1 control character"},
		{"direction override in a PACS label", b1, "label: PACS principal", `label: "PACS \u202eprincipal"`,
			"registry/" + b1 + ":22:12: PUBLISHED-TEXT", "text-direction control"},
		{"too long a PACS label", b1, "label: PACS principal", "label: " + strings.Repeat("é", 513),
			"registry/" + b1 + ":22:12: PUBLISHED-TEXT", "513 characters long, over the 512"},
		{"same SIREN", op2, `siren: "000000075"`, `siren: "000000000"`,
			"registry/" + op2 + ":3:8: OPERATOR-UNIQUE", "SIREN 000000000 is also the SIREN of operator operateur-001"},
		{"same denomination, accents", op2, "denomination: OPERATEUR FICTIF 002", "denomination: Opérateur-fictif 001",
			"registry/" + op2 + ":2:15: OPERATOR-UNIQUE", `reads as "OPERATEUR FICTIF 001"`},
		{"another denomination", op2, "denomination: OPERATEUR FICTIF 002", "denomination: Opérateur fictif 0012",
			"", ""},
		{"same denomination, other case and spaces", op2, "denomination: OPERATEUR FICTIF 002", "denomination: operateur  fictif, 001",
			"registry/" + op2 + ":2:15: OPERATOR-UNIQUE", `reads as "OPERATEUR FICTIF 001" of operator operateur-001`},
		{"a list the builder refuses", "trust-space.yaml", `version_format: "1.0.0"`, `version_format: "2.0.0"`,
			"registry/trust-space.yaml:6:3: WHITELIST-BUILD", "the next Liste Blanche cannot be built"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := sample(t)
			edit(t, dir, tt.file, tt.old, tt.nw)
			fs := check(t, dir)
			if tt.want == "" {
				for _, f := range fs {
					if f.Rule == "OPERATOR-UNIQUE" || f.Rule == "PUBLISHED-TEXT" {
						t.Fatalf("unexpected finding %s", f.String())
					}
				}
				return
			}
			for _, f := range fs {
				if strings.HasPrefix(f.String(), tt.want) && strings.Contains(f.Msg, tt.msg) {
					return
				}
			}
			t.Fatalf("want %s … %q; got %v", tt.want, tt.msg, fs)
		})
	}
}
