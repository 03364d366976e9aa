package validation

import (
	"strings"
	"time"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// Handover returns the findings of the rule that depends on the day: once
// the revocation deadline of a DRIMbox's latest operator switch has
// passed, the DRIMbox runs with none of what the former operator left
// behind — server certificate (DN, digest, serial), support contact,
// hosts. The former operator revokes that certificate by then, so a
// DRIMbox still presenting it is one its users can no longer reach.
//
// It is apart from Check, which the list builder runs: the list must not
// stop because a day passed. only, when not nil, limits the rule to the
// DRIMboxes it accepts, such as those a pull request changes.
func Handover(r *registry.Registry, now time.Time, only func(*registry.DRIMbox) bool) []registry.Finding {
	today := now.UTC().Format(time.DateOnly)
	var out []registry.Finding
	for _, d := range r.DRIMboxes {
		n := len(d.Switches)
		if n == 0 || d.Source == nil || d.Status == registry.StatusWithdrawn || (only != nil && !only(d)) {
			continue
		}
		s := d.Switches[n-1]
		if s.Former == nil || s.RevocationDue == "" || today <= s.RevocationDue {
			continue
		}
		cur := registry.HandoverOf(d)
		var kept []string
		var path []string
		add := func(what string, same bool, p ...string) {
			if same {
				kept = append(kept, what)
				if path == nil {
					path = p
				}
			}
		}
		add("the server certificate's DN", cur.DN == s.Former.DN, "certificates", "server", "dn")
		add("its SHA-256", cur.SHA256 == s.Former.SHA256, "certificates", "server", "sha256")
		add("its serial", cur.Serial == s.Former.Serial, "certificates", "server", "serial")
		add("the support contact", cur.SupportContact == s.Former.SupportContact, "support_contact")
		add("endpoints.db", cur.DB == s.Former.DB, "endpoints", "db")
		add("endpoints.vi", cur.VI != "" && cur.VI == s.Former.VI, "endpoints", "vi")
		if len(kept) == 0 {
			continue
		}
		out = append(out, d.Source.Finding("SWITCH-HANDOVER", path,
			"DRIMbox %d passed from %s to %s on %s and the revocation deadline %s is past, but it still has %s of %s (switches[%d].former); %s brings its own server certificate, support contact and hosts: record them",
			d.Identifiant, s.From, s.To, s.On, s.RevocationDue, strings.Join(kept, ", "), s.From, n-1, s.To))
	}
	return out
}
