package lifecycle

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"time"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// SwitchDateMargin is how far before the check a switch may be dated: the
// date starts the former operator's revocation deadline, so a switch dated
// further back would shorten it.
const SwitchDateMargin = 3 * 24 * time.Hour

// checkSwitch applies the rules of the switch history: a switch appends
// one entry, dated today or a few days back, naming what the former
// operator leaves behind; past entries never change but for the former
// operator's revoked_on.
func (c *Change) checkSwitch(bc BoxChange) []registry.Finding {
	b, h := bc.Base, bc.Head
	if b == nil || h == nil {
		return nil
	}
	var out []registry.Finding
	out = append(out, c.checkHistory(b, h)...)
	if !bc.Switch {
		return out
	}
	n := len(h.Switches)
	days := c.Head.TrustSpace.SwitchRevocationDays
	if n != len(b.Switches)+1 || h.Switches[n-1].From != b.Operator || h.Switches[n-1].To != h.Operator {
		return append(out, at(h.Source, "CHG-SWITCH", []string{"operator"},
			"DRIMbox %d moves from %s to %s: append to switches an entry {from: %s, to: %s, on: <today>, revocation_due: <today + %d days>, former: {…}} (the message on former says what to write)",
			h.Identifiant, b.Operator, h.Operator, b.Operator, h.Operator, days))
	}
	if h.Status == registry.StatusWithdrawn {
		return append(out, at(h.Source, "CHG-SWITCH", []string{"status"}, "a withdrawn DRIMbox cannot change operator"))
	}
	s, p := h.Switches[n-1], strconv.Itoa(n-1)
	if want := registry.HandoverOf(b); s.Former == nil || *s.Former != want {
		out = append(out, at(h.Source, "CHG-SWITCH", []string{"switches", p},
			"the switch records what %s leaves behind, so that the new operator is seen to replace it before the revocation deadline; set former: {dn: %q, sha256: %s, serial: %s, support_contact: %s, db: %s%s}",
			b.Operator, want.DN, want.SHA256, want.Serial, want.SupportContact, want.DB, viField(want.VI)))
	}
	if s.RevokedOn != "" {
		out = append(out, at(h.Source, "CHG-REVOKED", []string{"switches", p, "revoked_on"},
			"revoked_on is recorded later by %s once it has revoked its certificates and access; remove it from the switch", b.Operator))
	}
	if on, err := time.Parse(time.DateOnly, s.On); err == nil && !c.Now.IsZero() {
		today := day(c.Now)
		switch {
		case on.After(today):
			out = append(out, at(h.Source, "CHG-SWITCH-DATE", []string{"switches", p, "on"},
				"the switch is dated %s, after today (%s): a switch takes effect when it is merged; date it today", s.On, today.Format(time.DateOnly)))
		case on.Before(today.Add(-SwitchDateMargin)):
			out = append(out, at(h.Source, "CHG-SWITCH-DATE", []string{"switches", p, "on"},
				"the switch is dated %s, more than %d days before today (%s): a backdated switch shortens the former operator's %d days; date it today and set revocation_due: %s",
				s.On, int(SwitchDateMargin.Hours()/24), today.Format(time.DateOnly), days, today.AddDate(0, 0, days).Format(time.DateOnly)))
		}
	}
	return out
}

// checkHistory: past switches are history, but for revoked_on, which the
// former operator (or an ANS reviewer) records once, not before the switch
// and not in the future.
func (c *Change) checkHistory(b, h *registry.DRIMbox) []registry.Finding {
	var out []registry.Finding
	for i, old := range b.Switches {
		p := strconv.Itoa(i)
		if i >= len(h.Switches) {
			out = append(out, at(h.Source, "CHG-SWITCH", []string{"switches"},
				"switches[%d] (from %s to %s on %s) is removed; the switch history is kept for ever, restore it", i, old.From, old.To, old.On))
			continue
		}
		cur := h.Switches[i]
		kept := cur
		kept.RevokedOn = old.RevokedOn
		if !reflect.DeepEqual(kept, old) {
			out = append(out, at(h.Source, "CHG-SWITCH", []string{"switches", p},
				"switches[%d] is history and cannot change (only revoked_on is recorded later); restore it", i))
			continue
		}
		if cur.RevokedOn == old.RevokedOn {
			continue
		}
		if old.RevokedOn != "" {
			out = append(out, at(h.Source, "CHG-REVOKED", []string{"switches", p, "revoked_on"},
				"revoked_on was recorded as %s and stays so; restore it", old.RevokedOn))
			continue
		}
		if c.Author != "" && !c.isReviewer() && !c.maintains(old.From) {
			out = append(out, at(h.Source, "CHG-REVOKED", []string{"switches", p, "revoked_on"},
				"revoked_on is %s's statement that it revoked its certificates and access: only its maintainers or ANS reviewers record it, and %s is neither; remove it and ask %s", old.From, c.Author, old.From))
		}
		if on, err := time.Parse(time.DateOnly, cur.RevokedOn); err == nil && !c.Now.IsZero() && on.After(day(c.Now)) {
			out = append(out, at(h.Source, "CHG-REVOKED", []string{"switches", p, "revoked_on"},
				"revoked_on %s is in the future; record the revocation once it is done, with the day it was done", cur.RevokedOn))
		}
	}
	return out
}

// revocationOnly tells whether the author maintains a former operator of
// the DRIMbox and the change records that operator's revocations and
// nothing else.
func (c *Change) revocationOnly(b, h *registry.DRIMbox) bool {
	if b == nil || c.Author == "" || len(b.Switches) != len(h.Switches) {
		return false
	}
	want := *b
	want.Switches = slices.Clone(b.Switches)
	changed := false
	for i := range want.Switches {
		if h.Switches[i].RevokedOn != b.Switches[i].RevokedOn {
			if !c.maintains(b.Switches[i].From) {
				return false
			}
			want.Switches[i].RevokedOn, changed = h.Switches[i].RevokedOn, true
		}
	}
	want.Source = h.Source
	return changed && reflect.DeepEqual(&want, h)
}

func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func viField(vi string) string {
	if vi == "" {
		return ""
	}
	return fmt.Sprintf(", vi: %s", vi)
}
