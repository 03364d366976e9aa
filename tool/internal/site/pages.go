package site

import (
	"html/template"
	"strconv"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/drim-m/trust-space/tool/internal/status"
)

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
	"iso":       func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"compact":   func(b *box) template.HTML { return template.HTML(compactBars(b)) },
	"detail":    func(b *box) template.HTML { return template.HTML(detailBars(b)) },
	"chart": func(days []day, id, title string) template.HTML {
		return template.HTML(latencyChart(days, id, title))
	},
	"avail": func(b *box) string {
		if a, ok := b.Availability(); ok {
			return frPercent(a)
		}
		return "—"
	},
	"pacsSummary": pacsSummary,
	"rows":        func(bs []*box) template.HTML { return template.HTML(overviewRows(bs)) },
	"dayRows":     func(ds []day) template.HTML { return template.HTML(dayRows(ds)) },
	"notable": func(ds []day) int {
		n := 0
		for _, d := range ds {
			if notable(d) {
				n++
			}
		}
		return n
	},
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
	"itoa": strconv.Itoa,
	"ago":  func(now, t time.Time) string { return frDuration(now.Sub(t)) },
}

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
	return strconv.Itoa(up) + " sur " + strconv.Itoa(len(s.PACS)) + " disponible" + map[bool]string{true: "s", false: ""}[up > 1]
}

const head = `{{define "head"}}<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<link rel="stylesheet" href="{{.Root}}style.css">
<link rel="alternate" type="application/atom+xml" title="Météo des DRIMbox : changements d'état et incidents" href="{{.Root}}feed.xml">
</head>
<body>
<a class="skip" href="#contenu">Aller au contenu</a>
<header><p class="brand">Espace de Confiance DRIM-M</p><p class="brand"><a href="{{.Root}}index.html">Météo des DRIMbox</a></p></header>
<main id="contenu">
{{end}}
{{define "foot"}}</main>
<footer>
<p>Page générée le <time datetime="{{iso .Now}}">{{frTime .Now}}</time> à partir des relevés de la sonde. Chaque DRIMbox est interrogé en HTTPS sur ses noms nationaux (accès db et vi) ; l'état des PACS est celui que le DRIMbox publie.</p>
<p>Données ouvertes : <a href="{{.Root}}status.json">status.json</a> · <a href="{{.Root}}feed.xml">flux Atom</a>. Cette page fonctionne sans JavaScript.</p>
</footer>
</body>
</html>
{{end}}
{{define "legend"}}<ul class="legend" aria-label="Légende des couleurs">
<li><span class="key up" aria-hidden="true"></span>Opérationnel</li>
<li><span class="key degraded" aria-hidden="true"></span>Dégradé</li>
<li><span class="key down" aria-hidden="true"></span>Hors service</li>
<li><span class="key unknown" aria-hidden="true"></span>Inconnu</li>
<li><span class="key nodata" aria-hidden="true"></span>Pas de données</li>
</ul>{{end}}
{{define "notice"}}<article class="notice {{.N.Kind}}{{if not .Active}} ended{{end}}">
<h3>{{kindWord .N.Kind}} : {{.N.Title}}</h3>
<p>{{if .N.End.IsZero}}Depuis le {{frTime .N.Start}}, en cours.{{else}}Du {{frTime .N.Start}} au {{frTime .N.End}}.{{end}}
{{if .N.DRIMboxes}}DRIMbox concernés : {{range $i, $d := .N.DRIMboxes}}{{if $i}}, {{end}}<a href="{{$.Root}}drimbox/{{$d}}.html">{{$d}}</a>{{end}}.{{else}}Tout l'espace de confiance.{{end}}
{{with .N.Impact}}Impact : {{if eq . "major"}}service indisponible{{else if eq . "minor"}}service dégradé{{else}}aucun{{end}}.{{end}}</p>
<ul>{{range .N.Updates}}<li><time datetime="{{iso .Time}}">{{frTime .Time}}</time> — {{.Text}}</li>{{end}}</ul>
</article>{{end}}
`

const indexPage = `{{template "head" .}}<h1>Météo des DRIMbox</h1>
<section class="overall {{.Overall.Class}}" aria-labelledby="etat">
<h2 id="etat">État général</h2>
<p class="headline"><span class="st {{.Overall.Class}}">{{word .Overall.Class}}</span> {{.Overall.Headline}}</p>
{{if .Last}}<p>Dernier relevé : <time datetime="{{iso .Last}}">{{frTime .Last}}</time>, il y a {{ago .Now .Last}}.{{with .Interval}} Relevé prévu toutes les {{.}}.{{end}}</p>{{end}}
{{if .Stale}}<p class="stale" role="alert">Aucun relevé depuis {{ago .Now .Last}} : les états affichés ne sont plus à jour et sont indiqués comme inconnus. Les créneaux manqués apparaissent « pas de données ».</p>{{end}}
<ul class="counts">
<li><strong>{{index .Overall.Counts "up"}}</strong> opérationnel(s)</li>
<li><strong>{{index .Overall.Counts "degraded"}}</strong> dégradé(s)</li>
<li><strong>{{index .Overall.Counts "down"}}</strong> hors service</li>
<li><strong>{{index .Overall.Counts "unknown"}}</strong> inconnu(s)</li>
<li>sur <strong>{{.Overall.Total}}</strong> DRIMbox suivis</li>
</ul>
</section>
<section aria-labelledby="avis">
<h2 id="avis">Incidents et maintenances</h2>
{{range .Notices}}{{template "notice" .}}{{else}}<p>Aucun incident ni maintenance signalé ces {{.RecentDays}} derniers jours.</p>{{end}}
</section>
<section aria-labelledby="liste">
<h2 id="liste">État de chaque DRIMbox</h2>
<p>Historique : une barre par jour sur {{.Days}} jours, du plus ancien (à gauche) au plus récent. La page de chaque DRIMbox donne le détail jour par jour.</p>
{{template "legend"}}
<div class="scroll">
<table>
<caption>{{len .Boxes}} DRIMbox, par identifiant</caption>
<thead><tr><th scope="col">DRIMbox</th><th scope="col">Opérateur</th><th scope="col">État</th><th scope="col">Accès db</th><th scope="col">Accès vi</th><th scope="col">PACS</th><th scope="col">Disponibilité {{.Days}} j</th><th scope="col">Historique {{.Days}} jours</th><th scope="col">Médiane</th></tr></thead>
<tbody>
{{rows .Boxes}}</tbody>
</table>
</div>
</section>
<section aria-labelledby="temps">
<h2 id="temps">Temps de réponse de l'espace de confiance</h2>
<p>Médiane, pour chaque jour, des temps de réponse médians de tous les DRIMbox (premier octet reçu, connexion et TLS compris). <span class="key p50" aria-hidden="true"></span>médiane · <span class="key p95" aria-hidden="true"></span>95e centile</p>
{{chart .Global "global" "Temps de réponse des DRIMbox sur la période"}}
</section>
{{template "foot" .}}`

const pointTmpl = `{{define "point"}}{{if not .}}<span class="muted">sans accès</span>{{else if .OK}}<span class="ok">✓ disponible</span>{{else}}<span class="ko">✗ indisponible</span>{{end}}{{end}}`

const boxPage = `{{template "head" .}}{{$b := .Box}}<h1>DRIMbox {{$b.ID}}</h1>
<p class="headline"><span class="st {{$b.Verdict}}">{{word $b.Verdict}}</span>{{with $b.State}} depuis le <time datetime="{{iso .Since}}">{{frTime .Since}}</time>{{if .Reasons}} — {{reasons .Reasons}}{{end}}{{end}}</p>
{{if .Stale}}<p class="stale" role="alert">Aucun relevé depuis {{ago .Now .Last}} : l'état actuel de ce DRIMbox n'est pas connu.</p>{{end}}
<section aria-labelledby="acces">
<h2 id="acces">Accès et certificat</h2>
<dl class="facts">
{{with $b.Info.Operator}}<dt>Opérateur</dt><dd>{{.}}</dd>{{end}}
{{with $b.State}}{{with .DB}}<dt>Accès db (DICOMweb)</dt><dd><code>{{.Host}}</code> : {{template "point" .}}{{if not .OK}} ({{reasons (list .Reason)}}){{end}}{{with .HTTP}}, HTTP {{.}}{{end}}</dd>{{end}}
<dt>Accès vi (visionneuse)</dt><dd>{{with .VI}}<code>{{.Host}}</code> : {{template "point" .}}{{if not .OK}} ({{reasons (list .Reason)}}){{end}}{{else}}aucun{{end}}</dd>
<dt>Certificat serveur</dt><dd>{{with .CertNotAfter}}valable jusqu'au {{frDate .}} ({{daysLeft $.Now .}}){{else}}non lu lors du dernier relevé{{end}}</dd>
<dt>Sujet du certificat</dt><dd>{{with .CertSubject}}<span class="warn">différent du DN enregistré : <code>{{.}}</code></span>{{else}}{{if .CertNotAfter}}conforme au DN enregistré{{else}}—{{end}}{{end}}</dd>
{{end}}
<dt>Disponibilité sur {{.Days}} jours</dt><dd>{{avail $b}}</dd>
</dl>
</section>
<section aria-labelledby="pacs">
<h2 id="pacs">PACS</h2>
{{with $b.State}}{{if .PACS}}<table><caption>État publié par le DRIMbox sur son point d'état</caption><thead><tr><th scope="col">PACS</th><th scope="col">État</th><th scope="col">Précision</th></tr></thead><tbody>
{{range .PACS}}<tr><th scope="row">{{label $b .ID}}</th><td><span class="st {{pacsClass .State}}">{{pacsWord .State}}</span></td><td>{{.Detail}}</td></tr>
{{end}}</tbody></table>{{else}}<p>Aucun PACS enregistré.</p>{{end}}{{else}}<p>—</p>{{end}}
</section>
<section aria-labelledby="histo">
<h2 id="histo">Historique sur {{.Days}} jours</h2>
{{template "legend"}}
{{detail $b}}
<table><caption>{{with notable $b.Days}}{{.}} jour(s) à signaler{{else}}Aucun jour à signaler{{end}} : indisponibilité, dégradation ou relevés manquants (relevés reçus sur relevés attendus). Les autres jours, le DRIMbox était opérationnel à chaque relevé ; l'historique complet est dans <a href="../api/drimbox/{{$b.ID}}.json">api/drimbox/{{$b.ID}}.json</a>.</caption><thead><tr><th scope="col">Jour</th><th scope="col">État</th><th scope="col">Relevés</th><th scope="col">Disponible</th><th scope="col">Médiane</th><th scope="col">95e centile</th></tr></thead><tbody>
{{dayRows $b.Days}}</tbody></table>
</section>
<section aria-labelledby="temps">
<h2 id="temps">Temps de réponse</h2>
<p><span class="key p50" aria-hidden="true"></span>médiane · <span class="key p95" aria-hidden="true"></span>95e centile, par jour</p>
{{chart $b.Days "lat" "Temps de réponse de ce DRIMbox"}}
</section>
<section aria-labelledby="changements">
<h2 id="changements">Changements d'état</h2>
{{if $b.Events}}<ul>{{range $b.Events}}<li><time datetime="{{iso .Time}}">{{frTime .Time}}</time> : {{if .From}}{{word (str .From)}} → {{end}}{{word (str .To)}}{{if .Reasons}} ({{reasons .Reasons}}){{end}}</li>{{end}}</ul>{{else}}<p>Aucun changement d'état sur la période.</p>{{end}}
</section>
<section aria-labelledby="avis">
<h2 id="avis">Incidents et maintenances</h2>
{{range .Notices}}{{template "notice" .}}{{else}}<p>Aucun incident ni maintenance signalé pour ce DRIMbox.</p>{{end}}
</section>
<section aria-labelledby="badge">
<h2 id="badge">Badge</h2>
<p><img src="../badge/{{$b.ID}}.svg" alt="DRIMbox {{$b.ID}} : {{word $b.Verdict}}"> — adresse : <code>badge/{{$b.ID}}.svg</code> ; données : <a href="../api/drimbox/{{$b.ID}}.json">api/drimbox/{{$b.ID}}.json</a></p>
</section>
{{template "foot" .}}`

func parseTemplates() *template.Template {
	f := template.FuncMap{
		"list":  func(s ...string) []string { return s },
		"str":   func(v probe.Verdict) string { return string(v) },
		"ratio": func(a, b int) float64 { return float64(a) / float64(b) },
		"daysLeft": func(now time.Time, t *time.Time) string {
			d := int(t.Sub(now).Hours() / 24)
			switch {
			case t.Before(now):
				return "expiré"
			case d <= 1:
				return "expire dans moins de deux jours"
			}
			return "dans " + strconv.Itoa(d) + " jours"
		},
	}
	for k, v := range funcs {
		f[k] = v
	}
	t := template.Must(template.New("site").Funcs(f).Parse(head + pointTmpl))
	template.Must(t.New("index").Parse(indexPage))
	template.Must(t.New("box").Parse(boxPage))
	return t
}
