package site

import (
	"strings"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/drim-m/trust-space/tool/internal/status"
)

// The overall state grades the trust space by the share of its DRIMboxes
// that are down and by the incidents in force, as public status pages
// grade a service made of many parts: one DRIMbox down among thousands is
// not the trust space down. The thresholds are written on the index
// (gradeRule), so a reader knows what each grade means.

// Grades, in the JSON's words.
const (
	gradeOperational = "operational"
	gradeDegraded    = "degraded"
	gradePartial     = "partial-outage"
	gradeMajor       = "major-outage"
	gradeUnknown     = "unknown"
)

// Thresholds, in per cent of the DRIMboxes with a state.
const (
	partialPercent = 1  // down from which the outage is partial
	majorPercent   = 20 // down from which it is major
)

var gradeWords = map[string]string{
	gradeOperational: "Opérationnel",
	gradeDegraded:    "Dégradé",
	gradePartial:     "Panne partielle",
	gradeMajor:       "Panne majeure",
	gradeUnknown:     "État inconnu",
}

// gradeClass is the colour of a grade: the style sheet's state classes.
var gradeClass = map[string]string{
	gradeOperational: string(probe.Up),
	gradeDegraded:    string(probe.Degraded),
	gradePartial:     string(probe.Down),
	gradeMajor:       string(probe.Down),
	gradeUnknown:     string(probe.Unknown),
}

// gradeRule says on the index how the grade is given.
const gradeRule = "Comment l'état général est établi : opérationnel quand tous les DRIMbox suivis le sont ; dégradé dès qu'un DRIMbox est dégradé, hors service ou dans un état inconnu, ou qu'un incident de faible impact touche tout l'espace de confiance ; panne partielle à partir de 1\u00a0% des DRIMbox hors service ; panne majeure à partir de 20\u00a0% des DRIMbox hors service, ou pendant un incident qui rend le service indisponible dans tout l'espace de confiance. Chaque DRIMbox garde son propre état sur sa page."

// overall is the headline state of the trust space.
type overall struct {
	Grade    string
	Class    string // colour
	Word     string
	Headline string
	Counts   map[string]int
	Total    int
	// Lines are the counts in words.
	Lines []string
}

func overallOf(boxes []*box, h *status.History, stale bool, notices []*status.Notice, now time.Time) overall {
	o := overall{Counts: map[string]int{}}
	for _, b := range boxes {
		if b.State == nil {
			continue
		}
		o.Counts[b.Verdict]++
		o.Total++
	}
	up, deg, down, unk := o.Counts[string(probe.Up)], o.Counts[string(probe.Degraded)], o.Counts[string(probe.Down)], o.Counts[string(probe.Unknown)]
	o.Lines = []string{
		plural(up, "opérationnel", "opérationnels"),
		plural(deg, "dégradé", "dégradés"),
		plural(down, "hors service", "hors service"),
		plural(unk, "dans un état inconnu", "dans un état inconnu"),
		"sur " + plural(o.Total, "DRIMbox suivi", "DRIMbox suivis"),
	}
	major, minor := wholeSpaceImpact(notices, now)
	parts := []string{plural(down, "DRIMbox hors service", "DRIMbox hors service") + " (" + share(down, o.Total) + ")"}
	if deg > 0 {
		parts = append(parts, plural(deg, "dégradé", "dégradés"))
	}
	if unk > 0 {
		parts = append(parts, plural(unk, "dans un état inconnu", "dans un état inconnu"))
	}
	disturbed := "Perturbations en cours : " + strings.Join(parts, ", ") + ", sur " + plural(o.Total, "DRIMbox suivi", "DRIMbox suivis") + "."
	switch {
	case h.Latest == nil:
		o.Grade, o.Headline = gradeUnknown, "Aucun relevé n'a encore été enregistré."
	case stale:
		o.Grade, o.Headline = gradeUnknown, "Relevés interrompus : l'état actuel des DRIMbox n'est pas connu."
	case !h.Latest.NetworkOK && unk > 0:
		o.Grade, o.Headline = gradeUnknown, "Le dernier relevé n'a pas pu vérifier tous les DRIMbox : le réseau de la sonde était en défaut."
	case major || down*100 >= majorPercent*o.Total && down > 0:
		o.Grade, o.Headline = gradeMajor, disturbed
		if major {
			o.Headline = "Incident en cours sur tout l'espace de confiance. " + disturbed
		}
	case down*100 >= partialPercent*o.Total && down > 0:
		o.Grade, o.Headline = gradePartial, disturbed
	case down+deg+unk > 0 || minor:
		o.Grade, o.Headline = gradeDegraded, disturbed
		if down+deg+unk == 0 {
			o.Headline = "Incident en cours sur tout l'espace de confiance ; tous les DRIMbox répondent."
		}
	default:
		o.Grade, o.Headline = gradeOperational, "Tous les DRIMbox sont opérationnels."
	}
	o.Class, o.Word = gradeClass[o.Grade], gradeWords[o.Grade]
	return o
}

// wholeSpaceImpact tells whether an incident in force concerns the whole
// trust space with a major or a minor impact.
func wholeSpaceImpact(notices []*status.Notice, now time.Time) (major, minor bool) {
	for _, n := range notices {
		if n.Kind != "incident" || len(n.DRIMboxes) > 0 || !n.Active(now) {
			continue
		}
		switch n.Impact {
		case "major":
			major = true
		case "minor":
			minor = true
		}
	}
	return major, minor
}

// share writes n of total as a percentage, "2 %", "0,02 %".
func share(n, total int) string {
	if total == 0 {
		return frPercent(0)
	}
	return frPercent(float64(n) / float64(total))
}
