package site

import (
	"html"
	"strconv"
	"strings"

	"github.com/drim-m/trust-space/tool/internal/status"
)

// The two long tables, one row per DRIMbox and one row per day, are
// written directly rather than through html/template: with thousands of
// DRIMboxes they are most of the build. Every text from data goes through
// html.EscapeString.

func pointCell(p *status.Point) string {
	switch {
	case p == nil:
		return `<span class="muted">sans accès</span>`
	case p.OK:
		return `<span class="ok">✓ disponible</span>`
	}
	return `<span class="ko">✗ indisponible</span>`
}

func overviewRows(boxes []*box, root string) string {
	var s strings.Builder
	s.Grow(len(boxes) * 900)
	for _, b := range boxes {
		id := strconv.Itoa(b.ID)
		s.WriteString(`<tr><th scope="row"><a href="` + root + `drimbox/` + id + `.html">DRIMbox ` + id + `</a></th><td>` + operatorCell(b) +
			`</td><td><span class="st ` + b.Verdict + `">` + verdictWord(b.Verdict) + `</span></td>`)
		if b.State != nil {
			s.WriteString(`<td>` + pointCell(b.State.DB) + `</td><td>` + pointCell(b.State.VI) + `</td>`)
		} else {
			s.WriteString(`<td>—</td><td>—</td>`)
		}
		avail := "—"
		if u := b.Uptimes[len(b.Uptimes)-1]; u.Known {
			avail = frPercent(u.Ratio)
		}
		s.WriteString(`<td>` + html.EscapeString(pacsSummary(b.State)) + `</td><td class="num">` + avail + `</td><td>` +
			compactBars(b) + `</td><td class="num">` + frMillis(b.LastP50) + "</td></tr>\n")
	}
	return s.String()
}

// notable tells the days worth a line on a DRIMbox's page: not fully
// operational, or with more than one run in ten missing.
func notable(d day) bool {
	if d.Class != "up" {
		return true
	}
	return d.Expected > 0 && (d.Checks+d.D.Unknown)*10 < d.Expected*9
}

// dayRows lists the notable days, newest first; a stretch of days
// without data takes one row.
func dayRows(days []day) string {
	var s strings.Builder
	for i := len(days) - 1; i >= 0; i-- {
		d := days[i]
		if !notable(d) {
			continue
		}
		if j := i; d.Checks == 0 && j > 0 && days[j-1].Checks == 0 {
			for j > 0 && days[j-1].Checks == 0 {
				j--
			}
			s.WriteString(`<tr><th scope="row">du ` + dayLabel(days[j]) + ` au ` + dayLabel(d) + `</th><td>` + verdictWord(stateNoData) +
				`</td><td class="num">0</td><td class="num">—</td><td class="num">—</td><td class="num">—</td></tr>` + "\n")
			i = j
			continue
		}
		s.WriteString(`<tr><th scope="row">` + dayLabel(d) + `</th><td>` + verdictWord(d.Class) + `</td><td class="num">` + strconv.Itoa(d.Checks))
		if d.Expected > 0 {
			s.WriteString(" / " + strconv.Itoa(d.Expected))
		}
		s.WriteString(`</td><td class="num">`)
		if d.Checks > 0 {
			s.WriteString(frPercent(float64(d.OK) / float64(d.Checks)))
		} else {
			s.WriteString("—")
		}
		s.WriteString(`</td><td class="num">` + frMillis(d.P50) + `</td><td class="num">` + frMillis(d.P95) + "</td></tr>\n")
	}
	return s.String()
}

func dayLabel(d day) string {
	if d.Label != "" {
		return d.Label
	}
	return frDay(d.Day)
}
