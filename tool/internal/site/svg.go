package site

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// Colours of the states. Each is at least 4.5:1 against white, so they
// can carry white text and stand out as graphics (checked by a test).
var stateColours = map[string]string{
	"up":        "#18753c",
	"degraded":  "#a94000",
	"down":      "#c9191e",
	"unknown":   "#4d4d4d",
	stateNoData: "#6e6e6e",
}

const (
	barStep  = 5 // a day's bar and its gap, in SVG units
	barWidth = 4
	barH     = 24
)

// barShape gives each day state its own bar height, bottom-aligned, so
// that state reads from the shape as well as from the colour: full for
// operational, two thirds for degraded, one third for down, a line for no
// data. mid is the bar's middle line, width its stroke width (the style
// sheet sets the same widths).
var barShape = map[string]struct{ mid, height int }{
	"up":        {12, 24},
	"degraded":  {16, 16},
	"down":      {20, 8},
	stateNoData: {23, 2},
	"unknown":   {23, 2},
}

func shapeOf(class string) (mid, height int) {
	s, ok := barShape[class]
	if !ok {
		s = barShape[stateNoData]
	}
	return s.mid, s.height
}

// compactBars draws a DRIMbox's days for the lists: one dashed line per
// run of days in the same state, so a mostly quiet DRIMbox costs a few
// dozen bytes whatever the window.
func compactBars(b *box) string {
	n := len(b.Days)
	return bars(b, `<svg class="bars" viewBox="0 0 `+strconv.Itoa(n*barStep)+` 24" width="`+strconv.Itoa(n*2)+
		`" height="20" preserveAspectRatio="none" role="img" aria-label="`+html.EscapeString(barsSummary(b))+`">`)
}

// detailBars draws the same days larger; the text above it and the table
// under it give the days in words.
func detailBars(b *box) string {
	return bars(b, `<svg class="bars big" viewBox="0 0 `+strconv.Itoa(len(b.Days)*barStep)+
		` 24" preserveAspectRatio="none" role="img" aria-labelledby="bars-title"><title id="bars-title">`+html.EscapeString(barsSummary(b))+`</title>`)
}

func bars(b *box, open string) string {
	var s strings.Builder
	s.WriteString(open)
	n := len(b.Days)
	for i := 0; i < n; {
		j := i
		for j+1 < n && b.Days[j+1].Class == b.Days[i].Class {
			j++
		}
		mid, _ := shapeOf(b.Days[i].Class)
		s.WriteString(`<path class="` + b.Days[i].Class + `" d="M` + strconv.Itoa(i*barStep) + " " + strconv.Itoa(mid) + "h" + strconv.Itoa((j-i+1)*barStep) + `"/>`)
		i = j + 1
	}
	s.WriteString(`</svg>`)
	return s.String()
}

// keySwatch is a legend key: the bar of a state, same shape and colour,
// kept in forced-colours mode by the style sheet.
func keySwatch(class string) string {
	_, h := shapeOf(class)
	return `<svg class="key bars" viewBox="0 0 6 24" width="9" height="18" aria-hidden="true" focusable="false"><rect class="` + class +
		`" x="0" y="` + strconv.Itoa(24-h) + `" width="6" height="` + strconv.Itoa(h) + `"/></svg>`
}

// barsSummary is the text alternative of the bars.
func barsSummary(b *box) string {
	parts := []string{plural(len(b.Days), "dernier jour", "derniers jours")}
	if u := b.Uptimes[len(b.Uptimes)-1]; u.Known {
		parts = append(parts, "disponibilité sur "+u.Words+" "+frPercent(u.Ratio))
	}
	parts = append(parts,
		plural(b.DownDays, "jour hors service", "jours hors service"),
		plural(b.DegDays, "jour dégradé", "jours dégradés"),
		plural(b.Gaps, "jour sans données", "jours sans données"))
	return strings.Join(parts, ", ")
}

// latencyChart draws the daily median and 95th percentile of the
// first-byte time; its text alternative gives the figures.
func latencyChart(days []day, id string, title string) string {
	const w, h, left, bottom = 450, 140, 44, 20
	top := 8.0
	maxMS := 0.0
	first, last := -1, -1
	for i, d := range days {
		if d.P95 > 0 {
			maxMS = math.Max(maxMS, d.P95)
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	var s strings.Builder
	if first < 0 {
		return `<p class="nochart">Pas encore de mesure de temps de réponse.</p>`
	}
	maxMS = niceCeil(maxMS)
	x := func(i int) float64 { return left + float64(i)*(w-left-4)/float64(max(len(days)-1, 1)) }
	y := func(ms float64) float64 { return top + (1-ms/maxMS)*(h-bottom-top) }
	desc := fmt.Sprintf("Temps de réponse du %s au %s : médiane du dernier jour %s, 95e centile %s ; maximum de l'échelle %s.",
		frDay(days[first].Day), frDay(days[last].Day), frMillis(days[last].P50), frMillis(days[last].P95), frMillis(maxMS))
	fmt.Fprintf(&s, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-t %s-d"><title id="%s-t">%s</title><desc id="%s-d">%s</desc>`,
		w, h, id, id, id, html.EscapeString(title), id, html.EscapeString(desc))
	fmt.Fprintf(&s, `<path class="axis" d="M%d %.0fH%dM%d %.0fH%d"/>`, left, y(0), w, left, y(maxMS), w)
	fmt.Fprintf(&s, `<text x="%d" y="%.0f" text-anchor="end">%s</text><text x="%d" y="%.0f" text-anchor="end">0</text>`,
		left-4, y(maxMS)+4, html.EscapeString(frMillis(maxMS)), left-4, y(0)+4)
	fmt.Fprintf(&s, `<text x="%d" y="%d">%s</text><text x="%d" y="%d" text-anchor="end">%s</text>`,
		left, h-4, html.EscapeString(frDay(days[0].Day)), w, h-4, html.EscapeString(frDay(days[len(days)-1].Day)))
	line := func(class string, val func(day) float64) {
		s.WriteString(`<path class="` + class + `" d="`)
		pen := "M"
		var num []byte
		for i, d := range days {
			v := val(d)
			if v <= 0 {
				pen = "M"
				continue
			}
			num = strconv.AppendFloat(append(num[:0], pen...), x(i), 'f', 1, 64)
			num = strconv.AppendFloat(append(num, ' '), y(v), 'f', 1, 64)
			s.Write(num)
			pen = "L"
		}
		s.WriteString(`"/>`)
	}
	line("p95", func(d day) float64 { return d.P95 })
	line("p50", func(d day) float64 { return d.P50 })
	s.WriteString(`</svg>`)
	return s.String()
}

// niceCeil rounds up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// badge draws a small "DRIMbox N | état" image for operators' own pages.
func badge(id int, verdict string) string {
	left := "DRIMbox " + strconv.Itoa(id)
	right := strings.ToLower(verdictWord(verdict))
	lw, rw := textWidth(left)+12, textWidth(right)+12
	label := left + " : " + right
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="20" role="img" aria-label="%s"><title>%s</title>`+
		`<rect width="%d" height="20" fill="#333"/><rect x="%d" width="%d" height="20" fill="%s"/>`+
		`<g fill="#fff" font-family="DejaVu Sans,Verdana,Geneva,sans-serif" font-size="11">`+
		`<text x="6" y="14">%s</text><text x="%d" y="14">%s</text></g></svg>`+"\n",
		lw+rw, html.EscapeString(label), html.EscapeString(label),
		lw, lw, rw, stateColours[colourKey(verdict)],
		html.EscapeString(left), lw+6, html.EscapeString(right))
}

func colourKey(v string) string {
	if _, ok := stateColours[v]; ok {
		return v
	}
	return "unknown"
}

// textWidth estimates the width of text in 11 px DejaVu Sans.
func textWidth(s string) int {
	w := 0.0
	for _, r := range s {
		switch {
		case r == ' ':
			w += 3.5
		case strings.ContainsRune("il.,:;!|'", r):
			w += 3.2
		case r >= 'A' && r <= 'Z':
			w += 7.5
		default:
			w += 6.6
		}
	}
	return int(math.Ceil(w))
}
