package site

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Paris on any machine

	"github.com/drim-m/trust-space/tool/internal/probe"
)

// The page speaks French: every state and reason has its words here, and
// every colour on the page comes with one of them.

var verdictWords = map[string]string{
	string(probe.Up):       "Opérationnel",
	string(probe.Degraded): "Dégradé",
	string(probe.Down):     "Hors service",
	string(probe.Unknown):  "Inconnu",
	stateNoData:            "Pas de données",
}

const stateNoData = "nodata"

func verdictWord(v string) string {
	if w, ok := verdictWords[v]; ok {
		return w
	}
	return "Inconnu"
}

var pacsWords = map[string]string{
	"up":              "Disponible",
	"degraded":        "Dégradé",
	"down":            "Indisponible",
	"maintenance":     "En maintenance",
	probe.NotReported: "Non communiqué",
}

func pacsWord(s string) string {
	if w, ok := pacsWords[s]; ok {
		return w
	}
	return "Non communiqué"
}

// pacsClass maps a PACS state to the colour class of a verdict.
func pacsClass(s string) string {
	switch s {
	case "up":
		return "up"
	case "degraded", "maintenance":
		return "degraded"
	case "down":
		return "down"
	}
	return "unknown"
}

var reasonWords = map[string]string{
	probe.ReasonSlow:          "temps de réponse élevé",
	probe.ReasonCertExpiring:  "certificat bientôt expiré",
	probe.ReasonDNMismatch:    "certificat servi différent du certificat enregistré",
	probe.ReasonPACSDown:      "PACS indisponible",
	probe.ReasonStatusInvalid: "point d'état non conforme au contrat",
	probe.ReasonVIDown:        "accès visionneuse (vi) indisponible",
	probe.ReasonDBDown:        "accès DICOMweb (db) indisponible",
	probe.ReasonNetwork:       "réseau de la sonde en défaut : état non vérifiable",
	probe.ReasonRunDeadline:   "relevé interrompu avant ce DRIMbox",
	probe.ReasonBadName:       "nom invalide",
	probe.ReasonDNS:           "nom introuvable (DNS)",
	probe.ReasonAddress:       "adresse refusée (non publique)",
	probe.ReasonConnect:       "connexion impossible",
	probe.ReasonTLS:           "échec de la négociation TLS",
	probe.ReasonCertExpired:   "certificat expiré",
	probe.ReasonCertUntrusted: "certificat non reconnu par l'IGC Santé",
	probe.ReasonCertName:      "certificat ne couvrant pas le nom",
	probe.ReasonTimeout:       "délai de réponse dépassé",
	probe.ReasonRedirect:      "redirection refusée",
	probe.ReasonHTTPStatus:    "erreur HTTP",
	probe.ReasonProtocol:      "échange HTTP interrompu",
	probe.ReasonSplit:         "points de mesure en désaccord",
	probe.ReasonDNSMismatch:   "nom national ne pointant pas vers le point d'accès enregistré (DNS)",
}

func reasonWord(r string) string {
	if w, ok := reasonWords[r]; ok {
		return w
	}
	return "cause non précisée"
}

func reasonsText(rs []string) string {
	var out []string
	seen := map[string]bool{}
	for _, r := range rs {
		w := reasonWord(r)
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return strings.Join(out, " ; ")
}

var months = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// paris is the time zone of the page's readers, with its summer time. The
// zone database is compiled in (time/tzdata), so the page reads the same
// on a machine without one.
var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic("the embedded time zone database lacks Europe/Paris: " + err.Error())
	}
	return loc
}()

// frDate writes the day of t in Paris: "2 mars 2026", "1er avril 2026".
func frDate(t time.Time) string {
	t = t.In(paris)
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 {
		day = "1er"
	}
	return day + " " + months[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// frTime writes t in Paris time: "2 mars 2026 à 15 h 05". Pages say once,
// in their footer, that times are Paris times; the UTC instant is in the
// datetime attribute beside it.
func frTime(t time.Time) string {
	p := t.In(paris)
	return fmt.Sprintf("%s à %d h %02d", frDate(p), p.Hour(), p.Minute())
}

// frDay writes a YYYY-MM-DD day as "2 mars 2026". Days of the history
// are UTC days, named as such.
func frDay(day string) string {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return day
	}
	day = strconv.Itoa(t.Day())
	if t.Day() == 1 {
		day = "1er"
	}
	return day + " " + months[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// frPercent writes a ratio as "99,95 %" (non-breaking space).
func frPercent(r float64) string {
	// Floor, so that 99.999 % never reads as a perfect 100 %.
	s := strconv.FormatFloat(math.Floor(r*10000)/100, 'f', 2, 64)
	s = strings.TrimSuffix(strings.TrimSuffix(s, "0"), ",")
	s = strings.TrimSuffix(s, ".0")
	return strings.ReplaceAll(s, ".", ",") + "\u00a0%"
}

// frMillis writes a latency as "84 ms" or "1,2 s".
func frMillis(ms float64) string {
	switch {
	case ms <= 0:
		return "—"
	case ms < 1000:
		return strconv.Itoa(int(ms+0.5)) + "\u00a0ms"
	}
	return strings.ReplaceAll(strconv.FormatFloat(ms/1000, 'f', 1, 64), ".", ",") + "\u00a0s"
}

// frEvery writes a schedule: "5 minutes", "1 heure", "90 secondes".
func frEvery(d time.Duration) string {
	switch {
	case d%time.Hour == 0:
		return plural(int(d/time.Hour), "heure", "heures")
	case d%time.Minute == 0:
		return plural(int(d/time.Minute), "minute", "minutes")
	}
	return plural(int(d/time.Second), "seconde", "secondes")
}

// plural writes a count and its noun, singular for 0 and 1 as French
// does: "0 jour", "1 jour", "2 jours". Thousands are grouped with a
// narrow no-break space: "4 900".
func plural(n int, one, many string) string {
	if n == 1 || n == 0 {
		return frInt(n) + " " + one
	}
	return frInt(n) + " " + many
}

// frInt writes n with its thousands grouped: "12 345".
func frInt(n int) string {
	s := strconv.Itoa(n)
	if n < 0 || len(s) <= 4 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString("\u202f")
		}
		b.WriteRune(c)
	}
	return b.String()
}
