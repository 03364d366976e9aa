package site

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

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

// frDate writes "2 mars 2026".
func frDate(t time.Time) string {
	t = t.UTC()
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 {
		day = "1er"
	}
	return day + " " + months[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// frTime writes "2 mars 2026 à 14 h 05 UTC".
func frTime(t time.Time) string {
	t = t.UTC()
	return fmt.Sprintf("%s à %d h %02d UTC", frDate(t), t.Hour(), t.Minute())
}

// frDay writes a YYYY-MM-DD day as "2 mars 2026".
func frDay(day string) string {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return day
	}
	return frDate(t)
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

// frDuration writes how long ago or how long, roughly: "3 h 20 min", "2 j".
func frDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "moins d'une minute"
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h %02d min", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%d jours", int(d.Hours()/24))
}

func plural(n int, one, many string) string {
	if n == 1 || n == 0 {
		return strconv.Itoa(n) + " " + one
	}
	return strconv.Itoa(n) + " " + many
}
