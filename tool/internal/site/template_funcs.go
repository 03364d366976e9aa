package site

import (
	"html"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/drim-m/trust-space/tool/internal/status"
)

// funcs are the functions the page templates call; parseTemplates adds
// a few of its own.
var funcs = template.FuncMap{
	"word":      verdictWord,
	"pacsWord":  pacsWord,
	"pacsClass": pacsClass,
	"reasons":   reasonsText,
	"frTime":    frTime,
	"frDate":    frDate,
	"frDay":     frDay,
	"ms":        frMillis,
	"pct":       frPercent,
	"iso":       iso,
	"compact":   func(b *box) template.HTML { return template.HTML(compactBars(b)) },
	"detail":    func(b *box) template.HTML { return template.HTML(detailBars(b)) },
	"chart": func(days []day, id, title string) template.HTML {
		c := latencyChart(days, id, title)
		if strings.HasPrefix(c, "<svg") {
			c += "\n" + chartTable(days, html.EscapeString(title))
		}
		return template.HTML(c)
	},
	"avail": func(b *box) string {
		if a, ok := b.Availability(); ok {
			return frPercent(a)
		}
		return "—"
	},
	"pacsSummary":  pacsSummary,
	"dayRows":      func(ds []day) template.HTML { return template.HTML(dayRows(ds)) },
	"notableWords": notableWords,
	"dayCounts":    dayCounts,
	"key":          func(class string) template.HTML { return template.HTML(keySwatch(class)) },
	"opPage":       func(id string) string { return operatorFile(id, 1) },
	"opFeed":       operatorFeed,
	"label": func(b *box, id string) string {
		if l := b.Info.PACS[id]; l != "" {
			return l
		}
		return id
	},
	"kindWord": func(k string) string {
		if k == "maintenance" {
			return "Maintenance"
		}
		return "Incident"
	},
	"itoa":        strconv.Itoa,
	"noticeClass": noticeClass,
	"mail":        mailLink,
	"advice":      adviceFor,
	"support":     func(i Info) string { return i.support() },
	"sinceWords":  func(b *box) template.HTML { return template.HTML(sinceHTML(b)) },
}

// sinceHTML says since when b is in its state: to the minute after a
// recorded change, to the day when the records only bound it (the day
// is a UTC day of the history, whose midnight is the same date in Paris).
func sinceHTML(b *box) string {
	if b.State == nil {
		return ""
	}
	if b.SinceBound {
		return `au moins depuis le <time datetime="` + iso(b.Since) + `">` + frDate(b.Since) + `</time>`
	}
	return `depuis le <time datetime="` + iso(b.Since) + `">` + frTime(b.Since) + `</time>`
}

// notableWords heads the table of notable days: "3 jours à signaler".
func notableWords(ds []day) string {
	n := 0
	for _, d := range ds {
		if notable(d) {
			n++
		}
	}
	if n == 0 {
		return "Aucun jour à signaler"
	}
	return plural(n, "jour à signaler", "jours à signaler")
}

// dayCounts says in words what the history bars show.
func dayCounts(b *box) string {
	return "Sur les " + plural(len(b.Days), "dernier jour", "derniers jours") + " : " +
		plural(b.UpDays, "jour opérationnel", "jours opérationnels") + ", " +
		plural(b.DegDays, "jour dégradé", "jours dégradés") + ", " +
		plural(b.DownDays, "jour hors service", "jours hors service") + ", " +
		plural(b.Gaps, "jour sans données", "jours sans données") + "."
}

func iso(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// pacsSummary says in words how the PACS of a DRIMbox stand.
func pacsSummary(s *status.State) string {
	if s == nil || len(s.PACS) == 0 {
		return "—"
	}
	up, reported := 0, 0
	for _, p := range s.PACS {
		if p.State != "not-reported" {
			reported++
		}
		if p.State == "up" {
			up++
		}
	}
	if reported == 0 {
		return "non communiqué"
	}
	if up > 1 {
		return strconv.Itoa(up) + " sur " + strconv.Itoa(len(s.PACS)) + " disponibles"
	}
	return strconv.Itoa(up) + " sur " + strconv.Itoa(len(s.PACS)) + " disponible"
}

// daysLeft says how long a certificate has left.
func daysLeft(now time.Time, t *time.Time) string {
	d := int(t.Sub(now).Hours() / 24)
	switch {
	case t.Before(now):
		return "expiré"
	case d <= 1:
		return "expire dans moins de deux jours"
	}
	return "dans " + strconv.Itoa(d) + " jours"
}
