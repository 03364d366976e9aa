package lifecycle

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// testNow is the day the change rules are checked on.
var testNow = time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC)

// appendSwitch records a switch of the DRIMbox at path, with what the
// record held before as former, and extra fields (", revoked_on: …").
func appendSwitch(path, from, to, on, extra string) edit {
	return func(m map[string]string) {
		var d registry.DRIMbox
		if err := yaml.Unmarshal([]byte(m[path]), &d); err != nil {
			panic(err)
		}
		h := registry.HandoverOf(&d)
		onDay, _ := time.Parse(time.DateOnly, on)
		m[path] += fmt.Sprintf("switches:\n  - {from: %s, to: %s, on: %s, revocation_due: %s, former: {dn: %q, sha256: %s, serial: %s, support_contact: %s, db: %s, vi: %s}%s}\n",
			from, to, on, onDay.AddDate(0, 0, 15).Format(time.DateOnly), h.DN, h.SHA256, h.Serial, h.SupportContact, h.DB, h.VI, extra)
	}
}

// switched is DRIMbox 1 taken over by operator 2 on a day, as its record
// would read after the switch.
func switched(on, extra string) []edit {
	to := "operators/operateur-002/drimboxes/1.yaml"
	return []edit{move(b1, to), replace(to, "operator: operateur-001", "operator: operateur-002"),
		appendSwitch(to, "operateur-001", "operateur-002", on, extra)}
}

// afterSwitch is a base in which DRIMbox 1 passed to operator 2 on
// 2026-11-20, and the edits of a later change.
func runAfterSwitch(t *testing.T, author string, edits ...edit) []registry.Finding {
	t.Helper()
	return runOn(t, author, switched("2026-11-20", ""), edits)
}

func TestSwitchRules(t *testing.T) {
	sw := "operators/operateur-002/drimboxes/1.yaml"
	tests := []struct {
		name   string
		author string
		edits  []edit
		after  bool // the edits apply to a base where the switch is done
		want   string
		msg    string
	}{
		{"switch today", op2, switched("2026-11-21", ""), false, "", ""},
		{"switch by ANS", reviewer, switched("2026-11-19", ""), false, "", ""},
		{"switch in the future", op2, switched("2026-12-01", ""), false,
			"registry/" + sw + ":", "CHG-SWITCH-DATE: the switch is dated 2026-12-01, after today (2026-11-21)"},
		{"backdated switch", op2, switched("2026-10-01", ""), false,
			"registry/" + sw + ":", "more than 3 days before today (2026-11-21): a backdated switch shortens the former operator's 15 days; date it today and set revocation_due: 2026-12-06"},
		{"switch without former", op2, []edit{move(b1, sw), replace(sw, "operator: operateur-001", "operator: operateur-002"), func(m map[string]string) {
			m[sw] += "switches:\n  - {from: operateur-001, to: operateur-002, on: 2026-11-21, revocation_due: 2026-12-06}\n"
		}}, false, "registry/" + sw + ":", `CHG-SWITCH: the switch records what operateur-001 leaves behind, so that the new operator is seen to replace it before the revocation deadline; set former: {dn: "CN=db1.`},
		{"switch with revocation", op2, switched("2026-11-21", ", revoked_on: 2026-11-21"), false,
			"registry/" + sw + ":", "CHG-REVOKED: revoked_on is recorded later by operateur-001"},
		{"revocation by the former operator", op1, []edit{replace(sw, "vi: vi-1.gw.operateur-001.example}}", "vi: vi-1.gw.operateur-001.example}, revoked_on: 2026-11-21}")}, true, "", ""},
		{"revocation by the new operator", op2, []edit{replace(sw, "vi: vi-1.gw.operateur-001.example}}", "vi: vi-1.gw.operateur-001.example}, revoked_on: 2026-11-21}")}, true,
			"registry/" + sw + ":", "CHG-REVOKED: revoked_on is operateur-001's statement that it revoked its certificates and access: only its maintainers or ANS reviewers record it, and operateur-002-bot is neither"},
		{"revocation in the future", op1, []edit{replace(sw, "vi: vi-1.gw.operateur-001.example}}", "vi: vi-1.gw.operateur-001.example}, revoked_on: 2026-11-30}")}, true,
			"registry/" + sw + ":", "CHG-REVOKED: revoked_on 2026-11-30 is in the future"},
		{"former operator changes more than its revocation", op1, []edit{
			replace(sw, "vi: vi-1.gw.operateur-001.example}}", "vi: vi-1.gw.operateur-001.example}, revoked_on: 2026-11-21}"),
			replace(sw, "db: db-1.gw.operateur-001.example\n", "db: db-1.gw.evil.example\n")}, true,
			"registry/" + sw + ":2:11: CHG-AUTHOR", "not a maintainer of operator operateur-002"},
		{"history rewritten", op2, []edit{replace(sw, "on: 2026-11-20, revocation_due: 2026-12-05", "on: 2026-11-01, revocation_due: 2026-11-16")}, true,
			"registry/" + sw + ":", "CHG-SWITCH: switches[0] is history and cannot change"},
		{"new operator brings its own certificate", op2, []edit{replace(sw, "serial: baf151a69d6901f7af7af0220168330e\n", "serial: 0badc0de\n")}, true, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fs []registry.Finding
			if tt.after {
				fs = runAfterSwitch(t, tt.author, tt.edits...)
			} else {
				fs = run(t, tt.author, tt.edits...)
			}
			if tt.want == "" {
				if len(fs) > 0 {
					t.Fatalf("unexpected findings: %v", fs)
				}
				return
			}
			for _, f := range fs {
				if strings.HasPrefix(f.String(), tt.want) && strings.Contains(f.String(), tt.msg) {
					return
				}
			}
			t.Fatalf("want %q with %q; got %v", tt.want, tt.msg, fs)
		})
	}
}
