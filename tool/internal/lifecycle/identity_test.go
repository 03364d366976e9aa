package lifecycle

import (
	"strings"
	"testing"
)

// TestIdentityRules: an operator's legal identity and the Identifiants to
// come are the ANS's to keep.
func TestIdentityRules(t *testing.T) {
	op1File := "operators/operateur-001/operator.yaml"
	newBox := func(id string) edit {
		return func(m map[string]string) {
			m["operators/operateur-001/drimboxes/"+id+".yaml"] = strings.NewReplacer("identifiant: 3", "identifiant: "+id).Replace(m[b3])
		}
	}
	tests := []struct {
		name   string
		author string
		edits  []edit
		want   string
		msg    string
	}{
		{"denomination by the operator", op1, []edit{replace(op1File, "denomination: OPERATEUR FICTIF 001", "denomination: OPERATEUR FICTIF 002")},
			"registry/" + op1File + ":2:15: CHG-ANS-FIELD", "changed by ANS reviewers only"},
		{"SIREN by the operator", op1, []edit{replace(op1File, `siren: "000000000"`, `siren: "000000075"`)},
			"registry/" + op1File + ":3:8: CHG-ANS-FIELD", "SIREN is the operator's registered legal identity"},
		{"denomination by ANS", reviewer, []edit{replace(op1File, "denomination: OPERATEUR FICTIF 001", "denomination: OPERATEUR FICTIF UN")}, "", ""},
		{"contacts by the operator", op1, []edit{replace(op1File, "support: support@operateur-001.example", "support: aide@operateur-001.example")}, "", ""},
		{"Identifiant far ahead", op1, []edit{newBox("999999999")},
			"registry/operators/operateur-001/drimboxes/999999999.yaml:1:14: CHG-ID", "far beyond the next free one, 7"},
		{"Identifiant far ahead by ANS", reviewer, []edit{newBox("5000")},
			"registry/operators/operateur-001/drimboxes/5000.yaml:1:14: CHG-ID", "take the next free one"},
		{"Identifiant within the window", op1, []edit{newBox("107")}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := run(t, tt.author, tt.edits...)
			if tt.want == "" {
				if len(fs) > 0 {
					t.Fatalf("unexpected findings: %v", fs)
				}
				return
			}
			for _, f := range fs {
				if strings.HasPrefix(f.String(), tt.want) && strings.Contains(f.Msg, tt.msg) {
					return
				}
			}
			t.Fatalf("want %q with %q; got %v", tt.want, tt.msg, fs)
		})
	}
}
