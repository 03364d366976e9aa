package site

import "strings"

// chartTable is the alternative of a response-time chart: the same
// figures, day by day, in a table the reader opens under the chart. It is
// in the page, not only in the JSON, so that a screen reader, a forced
// colour scheme or a large font loses nothing the chart shows.
func chartTable(days []day, title string) string {
	var s strings.Builder
	s.Grow(200 + len(days)*80)
	s.WriteString(`<details class="data"><summary>Tableau des valeurs du graphique</summary>` + "\n" +
		`<table><caption>` + title + `, par jour (jours UTC)</caption>` + "\n" +
		`<thead><tr><th scope="col">Jour</th><th scope="col">Médiane</th><th scope="col">95e centile</th></tr></thead><tbody>` + "\n")
	for _, d := range days {
		s.WriteString(`<tr><th scope="row">` + dayLabel(d) + `</th><td class="num">` + frMillis(d.P50) + `</td><td class="num">` + frMillis(d.P95) + "</td></tr>\n")
	}
	s.WriteString("</tbody></table>\n</details>")
	return s.String()
}
