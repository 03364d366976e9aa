package site

import (
	"html"
	"html/template"
	"slices"
	"strconv"
	"strings"

	"github.com/drim-m/trust-space/tool/internal/probe"
)

// The index leads with what visitors come for (the overall state, the
// disturbed DRIMboxes, the incidents); the full list is split into pages
// of pageSize DRIMboxes, by number and by operator, linked without
// script.

// pageSize is how many DRIMboxes a list page holds.
const pageSize = 250

// indexDisturbed is how many disturbed DRIMboxes the index lists; the rest
// are on perturbes.html.
const indexDisturbed = 100

// noOperator names the list of DRIMboxes whose operator is not known (no
// registry beside the data).
const noOperator = "sans-operateur"

// link is one entry of a list of links.
type link struct {
	Href, Text string
	Current    bool
}

// pager is the navigation between the pages of one list.
type pager struct {
	Label string
	Items []link
}

// table is a table of DRIMboxes, rows written ahead.
type table struct {
	Caption string
	Days    int
	Rows    template.HTML
}

// list is one page of a list of DRIMboxes.
type list struct {
	File    string // path from the site's root
	Heading string
	Intro   string
	Nav     pager
	Table   table
	Feed    string // the feed of what the page lists
	// Contacts are the operator's mailboxes, on an operator's pages.
	Contacts []Contact
}

// listEntry is an entry of the index's lists of pages.
type listEntry struct {
	File, Text, Name string
	Count            int
}

func numberFile(n int) string { return "liste/" + strconv.Itoa(n) + ".html" }

func operatorFile(id string, n int) string {
	if id == "" {
		id = noOperator
	}
	if n == 1 {
		return "operateur/" + id + ".html"
	}
	return "operateur/" + id + "-" + strconv.Itoa(n) + ".html"
}

func operatorFeed(id string) string {
	if id == "" {
		id = noOperator
	}
	return "flux/operateur/" + id + ".xml"
}

func boxFeed(id int) string { return "flux/drimbox/" + strconv.Itoa(id) + ".xml" }

// chunks splits boxes into pages.
func chunks(boxes []*box) [][]*box {
	var out [][]*box
	for len(boxes) > pageSize {
		out = append(out, boxes[:pageSize])
		boxes = boxes[pageSize:]
	}
	return append(out, boxes)
}

// numberLists are the pages of every DRIMbox by Identifiant.
func numberLists(boxes []*box, days int) ([]list, []listEntry) {
	parts := chunks(boxes)
	var entries []listEntry
	for i, p := range parts {
		text := "Aucun DRIMbox"
		if len(p) > 0 {
			text = "DRIMbox " + strconv.Itoa(p[0].ID) + " à " + strconv.Itoa(p[len(p)-1].ID)
		}
		entries = append(entries, listEntry{File: numberFile(i + 1), Text: text, Count: len(p)})
	}
	out := make([]list, len(parts))
	for i, p := range parts {
		l := list{File: numberFile(i + 1), Heading: entries[i].Text, Feed: "feed.xml",
			Intro: "Liste de tous les DRIMbox par identifiant, page " + strconv.Itoa(i+1) + " sur " + strconv.Itoa(len(parts)) + "."}
		l.Nav = pager{Label: "Pages de la liste par identifiant"}
		for j, e := range entries {
			l.Nav.Items = append(l.Nav.Items, link{Href: "../" + e.File, Text: e.Text, Current: i == j})
		}
		l.Table = table{Caption: entries[i].Text + ", par identifiant", Days: days, Rows: template.HTML(overviewRows(p, "../"))}
		out[i] = l
	}
	return out, entries
}

// operatorLists are the pages of each operator's DRIMboxes, operators in
// the order of their names.
func operatorLists(boxes []*box, days int) ([]list, []listEntry) {
	byOp := map[string][]*box{}
	names := map[string]string{}
	contacts := map[string][]Contact{}
	for _, b := range boxes {
		id := b.Info.OperatorID
		if id == "" {
			id = noOperator
		}
		byOp[id] = append(byOp[id], b)
		if names[id] == "" {
			names[id] = b.Info.Operator
		}
		if contacts[id] == nil {
			contacts[id] = b.Info.Contacts
		}
	}
	ids := make([]string, 0, len(byOp))
	for id := range byOp {
		if names[id] == "" {
			names[id] = "Opérateur non renseigné"
		}
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		if c := strings.Compare(foldName(names[a]), foldName(names[b])); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	var out []list
	var entries []listEntry
	for _, id := range ids {
		name := names[id]
		entries = append(entries, listEntry{File: operatorFile(id, 1), Name: name, Count: len(byOp[id]),
			Text: name + " (" + plural(len(byOp[id]), "DRIMbox", "DRIMbox") + ")"})
		parts := chunks(byOp[id])
		for i, p := range parts {
			l := list{File: operatorFile(id, i+1), Heading: "DRIMbox de " + name, Feed: operatorFeed(id), Contacts: contacts[id],
				Intro: plural(len(byOp[id]), "DRIMbox suivi", "DRIMbox suivis") + " pour cet opérateur."}
			if len(parts) > 1 {
				l.Heading += ", page " + strconv.Itoa(i+1) + " sur " + strconv.Itoa(len(parts))
			}
			l.Nav = pager{Label: "Pages de la liste de l'opérateur"}
			for j := range parts {
				l.Nav.Items = append(l.Nav.Items, link{Href: "../" + operatorFile(id, j+1), Current: i == j,
					Text: "DRIMbox " + strconv.Itoa(parts[j][0].ID) + " à " + strconv.Itoa(parts[j][len(parts[j])-1].ID)})
			}
			l.Table = table{Caption: "DRIMbox de " + name + ", par identifiant", Days: days, Rows: template.HTML(overviewRows(p, "../"))}
			out = append(out, l)
		}
	}
	return out, entries
}

// foldName sorts names without regard to case and the commonest accents.
func foldName(s string) string {
	return strings.NewReplacer("É", "e", "È", "e", "é", "e", "è", "e", "ê", "e", "à", "a", "â", "a", "ç", "c", "ô", "o", "î", "i").Replace(strings.ToLower(s))
}

// disturbed lists the DRIMboxes that are down, then degraded, then (when
// the runs have not stopped, which would make every one unknown)
// unknown.
func disturbed(boxes []*box, stale bool) []*box {
	rank := map[string]int{string(probe.Down): 0, string(probe.Degraded): 1, string(probe.Unknown): 2}
	var out []*box
	for _, b := range boxes {
		r, ok := rank[b.Verdict]
		if ok && b.State != nil && (r < 2 || !stale) {
			out = append(out, b)
		}
	}
	slices.SortStableFunc(out, func(a, b *box) int { return rank[a.Verdict] - rank[b.Verdict] })
	return out
}

// disturbedTable is the table of disturbed DRIMboxes: why and since when,
// without history bars, so that it stays small. boxes are the first of
// all disturbed ones; the caption counts both.
func disturbedTable(boxes []*box, all int, root string) template.HTML {
	var s strings.Builder
	caption := plural(len(boxes), "DRIMbox perturbé", "DRIMbox perturbés") + ", les hors service en premier"
	if len(boxes) < all {
		caption = "Les " + frInt(len(boxes)) + " premiers des " + plural(all, "DRIMbox perturbé", "DRIMbox perturbés") + ", les hors service en premier"
	}
	s.WriteString(`<p class="caption" id="cap-perturbes">` + caption + `</p>` + "\n" +
		`<div class="scroll" role="region" aria-labelledby="cap-perturbes" tabindex="0">` + "\n" + `<table aria-labelledby="cap-perturbes">` + "\n" +
		`<thead><tr><th scope="col">DRIMbox</th><th scope="col">État</th><th scope="col">Depuis</th><th scope="col">Cause</th><th scope="col">Opérateur</th></tr></thead>` + "\n<tbody>\n")
	for _, b := range boxes {
		id := strconv.Itoa(b.ID)
		s.WriteString(`<tr><th scope="row"><a href="` + root + `drimbox/` + id + `.html">DRIMbox ` + id + `</a></th><td><span class="st ` + b.Verdict + `">` +
			verdictWord(b.Verdict) + `</span></td><td>` + sinceCell(b) + `</td><td>` +
			html.EscapeString(reasonsText(b.State.Reasons)) + `</td><td>` + operatorCell(b) + "</td></tr>\n")
	}
	s.WriteString("</tbody>\n</table>\n</div>")
	return template.HTML(s.String())
}

func operatorCell(b *box) string {
	if b.Info.Operator == "" {
		return "—"
	}
	return html.EscapeString(b.Info.Operator)
}

// sinceCell is the "since" of the disturbed table: the same date as the
// DRIMbox's page.
func sinceCell(b *box) string {
	t := `<time datetime="` + iso(b.Since) + `">`
	if b.SinceBound {
		return t + frDate(b.Since) + "</time> au plus tard"
	}
	return t + frTime(b.Since) + "</time>"
}
