package plan

import (
	"strings"
	"testing"
)

// TestSwitchConsent: the approval check holds a switch until the former
// operator consents or the ANS decides.
func TestSwitchConsent(t *testing.T) {
	var sw planCase
	for _, tc := range cases {
		if tc.name == "operator-switch-consented" {
			sw = tc
		}
	}
	ans := Review{"ans-reviewer-alpha", "APPROVED", headSHA}
	tests := []struct {
		name    string
		author  string
		reviews []Review
		met     bool
		status  string
	}{
		{"ANS approval alone", "alpha-imagerie-ops", []Review{ans}, false,
			"waiting for operator gamma-infogerance's consent to the switch of DRIMbox 7: an approval of the head commit by one of its maintainers (`@gamma-infogerance-ops`), or the switch made by an ANS reviewer"},
		{"former operator approves an older commit", "alpha-imagerie-ops", []Review{ans, {"gamma-infogerance-ops", "APPROVED", oldSHA}}, false, "waiting for operator gamma-infogerance's consent"},
		{"former operator approves then requests changes", "alpha-imagerie-ops", []Review{ans, {"gamma-infogerance-ops", "APPROVED", headSHA}, {"gamma-infogerance-ops", "CHANGES_REQUESTED", headSHA}}, false, "waiting for operator gamma-infogerance's consent"},
		{"a third operator approves", "alpha-imagerie-ops", []Review{ans, {"beta-telerad-ops", "APPROVED", headSHA}}, false, "waiting for operator gamma-infogerance's consent"},
		{"former operator approves", "alpha-imagerie-ops", []Review{ans, {"gamma-infogerance-ops", "APPROVED", headSHA}}, true, "approved by `@ans-reviewer-alpha`"},
		{"ANS decision", "ans-reviewer-beta", []Review{ans}, true, "approved by `@ans-reviewer-alpha`"},
		{"former operator's consent without the ANS", "alpha-imagerie-ops", []Review{{"gamma-infogerance-ops", "APPROVED", headSHA}}, false, "waiting for an ANS reviewer's approval"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tc := sw
			tc.author, tc.reviews = tt.author, tt.reviews
			a := makeCase(t, tc).Approval
			if len(a.Consents) != 1 || a.Consents[0].Operator != "gamma-infogerance" {
				t.Fatalf("consents = %+v", a.Consents)
			}
			if a.Met() != tt.met || !strings.Contains(a.Status(), tt.status) {
				t.Fatalf("Met() = %v, Status() = %q; want %v, %q", a.Met(), a.Status(), tt.met, tt.status)
			}
		})
	}
}
