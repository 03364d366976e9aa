package site

import (
	"html/template"

	"github.com/drim-m/trust-space/tool/internal/probe"
)

const head = `{{define "head"}}<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="` + csp + `">
<title>{{.Title}}</title>
{{range dsfrSheets}}<link rel="stylesheet" href="{{$.Root}}{{.}}">
{{end}}<link rel="stylesheet" href="{{.Root}}style.css">
<link rel="alternate" type="application/atom+xml" title="{{.FeedTitle}}" href="{{.Root}}{{.Feed}}">
{{if .Search}}<script src="{{.Root}}recherche.js" defer></script>
{{end}}</head>
<body>
<a class="skip" href="#contenu">Aller au contenu</a>
<header class="fr-header">
<div class="fr-header__body"><div class="fr-container"><div class="fr-header__body-row">
<div class="fr-header__brand fr-enlarge-link">
<div class="fr-header__brand-top"><div class="fr-header__logo"><p class="fr-logo">République<br>Française</p></div></div>
<div class="fr-header__service"><a href="{{.Root}}index.html"><p class="fr-header__service-title">Météo des DRIMbox</p></a>
<p class="fr-header__service-tagline">Espace de Confiance DRIM-M — Agence du Numérique en Santé</p></div>
</div>
</div></div></div>
<div class="fr-container"><nav class="menu" aria-label="Menu principal"><ul>{{range menu}}<li><a href="{{$.Root}}{{.File}}"{{if eq .File $.Page}} aria-current="page"{{end}}>{{.Text}}</a></li>{{end}}</ul></nav></div>
</header>
<main id="contenu">
{{end}}
{{define "foot"}}</main>
<footer class="fr-footer" id="pied">
<div class="fr-container">
<div class="fr-footer__body">
<div class="fr-footer__brand"><p class="fr-logo">République<br>Française</p></div>
<div class="fr-footer__content">
<p class="fr-footer__content-desc">{{if not .Box}}Page générée le <time datetime="{{iso .Now}}">{{frTime .Now}}</time> à partir des relevés de la sonde. {{end}}Les heures sont celles de Paris ; les jours de l'historique vont de minuit à minuit en temps universel (UTC). Chaque DRIMbox est interrogé en HTTPS sur ses noms nationaux (accès db et vi) ; l'état des PACS est celui que le DRIMbox publie.</p>
<ul class="links">
<li><a href="{{.Root}}incidents.html">Historique des incidents et maintenances</a></li>
<li><a href="{{.Root}}{{.Feed}}">{{.FeedTitle}} (flux Atom)</a></li>
<li><a href="{{.Root}}status.json">Données ouvertes de la page d'accueil (status.json)</a></li>
</ul>
<p>Ces pages fonctionnent sans JavaScript.</p>
</div>
</div>
<div class="fr-footer__bottom">
<ul class="fr-footer__bottom-list">
<li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="{{.Root}}plan.html">Plan du site</a></li>
<li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="{{.Root}}aide.html">Aide et glossaire</a></li>
<li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="{{.Root}}accessibilite.html">Accessibilité : non conforme</a></li>
<li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="{{.Root}}mentions-legales.html">Mentions légales</a></li>
<li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="{{.Root}}donnees-personnelles.html">Données personnelles</a></li>
</ul>
</div>
</div>
</footer>
</body>
</html>
{{end}}
{{define "legend"}}<ul class="legend" aria-label="Légende de l'historique : la hauteur de la barre et sa couleur disent l'état du jour">
<li>{{key "up"}}Opérationnel (barre pleine)</li>
<li>{{key "degraded"}}Dégradé (deux tiers)</li>
<li>{{key "down"}}Hors service (un tiers)</li>
<li>{{key "nodata"}}Pas de données (trait)</li>
</ul>{{end}}
{{define "notice"}}<article class="notice {{noticeClass .N.Kind}}{{if not .Active}} ended{{end}}">
<h3>{{kindWord .N.Kind}} : {{.N.Title}}</h3>
<p>{{if .N.End.IsZero}}Depuis le <time datetime="{{iso .N.Start}}">{{frTime .N.Start}}</time>, en cours.{{else}}Du <time datetime="{{iso .N.Start}}">{{frTime .N.Start}}</time> au <time datetime="{{iso .N.End}}">{{frTime .N.End}}</time>.{{end}}
{{if .N.DRIMboxes}}{{if eq (len .N.DRIMboxes) 1}}DRIMbox concerné{{else}}DRIMbox concernés{{end}} : {{range $i, $d := .N.DRIMboxes}}{{if $i}}, {{end}}<a href="{{$.Root}}drimbox/{{$d}}.html">DRIMbox {{$d}}</a>{{end}}.{{else}}Tout l'espace de confiance.{{end}}
{{with .N.Impact}}Impact : {{if eq . "major"}}service indisponible{{else if eq . "minor"}}service dégradé{{else}}aucun{{end}}.{{end}}</p>
<ul>{{range .N.Updates}}<li><time datetime="{{iso .Time}}">{{frTime .Time}}</time> — {{.Text}}</li>{{end}}</ul>
</article>{{end}}
{{define "pager"}}<nav class="pager" aria-label="{{.Label}}"><ul>{{range .Items}}<li>{{if .Current}}<a href="{{.Href}}" aria-current="page">{{.Text}}</a>{{else}}<a href="{{.Href}}">{{.Text}}</a>{{end}}</li>{{end}}</ul></nav>{{end}}
{{define "boxtable"}}<p class="caption" id="cap-liste">{{.Caption}}</p>
<div class="scroll" role="region" aria-labelledby="cap-liste" tabindex="0">
<table aria-labelledby="cap-liste">
<thead><tr><th scope="col">DRIMbox</th><th scope="col">Opérateur</th><th scope="col">État</th><th scope="col">Accès db</th><th scope="col">Accès vi</th><th scope="col">PACS</th><th scope="col">Disponibilité 90 jours</th><th scope="col">Historique {{.Days}} jours</th><th scope="col">Médiane</th></tr></thead>
<tbody>
{{.Rows}}</tbody>
</table>
</div>{{end}}
`

const pointTmpl = `{{define "point"}}{{if not .}}<span class="muted">sans accès</span>{{else if .OK}}<span class="ok">✓ disponible</span>{{else}}<span class="ko">✗ indisponible</span>{{end}}{{with .CNAME}} — <span class="warn">le nom pointe vers <code>{{.}}</code>, pas vers le point d'accès enregistré</span>{{end}}{{end}}`

const indexPage = `{{template "head" .}}<h1>Météo des DRIMbox</h1>
<section class="overall {{.Overall.Class}}" aria-labelledby="etat">
<h2 id="etat">État général</h2>
<p class="headline"><span class="st {{.Overall.Class}}">{{.Overall.Word}}</span> {{.Overall.Headline}}</p>
<p class="rule">{{.GradeRule}}</p>
{{if .Last}}<p>Dernier relevé : <time id="dernier-releve" datetime="{{iso .Last}}">{{frTime .Last}}</time><span data-age-of="dernier-releve"></span>.{{with .Interval}} Un relevé est prévu toutes les {{.}}.{{end}}</p>
<script src="{{.Root}}age.js" defer></script>{{end}}
{{if .Stale}}<p class="stale" role="alert">Aucun relevé depuis le <time datetime="{{iso .Last}}">{{frTime .Last}}</time> : les états affichés ne sont plus à jour et sont indiqués comme inconnus. Les créneaux manqués apparaissent « pas de données ».</p>{{end}}
<ul class="counts">{{range .Overall.Lines}}
<li>{{.}}</li>{{end}}
</ul>
</section>
<section aria-labelledby="perturbes">
<h2 id="perturbes">DRIMbox perturbés</h2>
{{if .Disturbed}}{{.DisturbedTable}}
{{if .DisturbedMore}}<p><a href="perturbes.html">Voir la liste complète des {{len .Disturbed}} DRIMbox perturbés</a></p>{{end}}{{else}}<p>Aucun DRIMbox n'est perturbé.</p>{{end}}
</section>
<section aria-labelledby="avis">
<h2 id="avis">Incidents et maintenances</h2>
{{range .Notices}}{{template "notice" .}}{{else}}<p>Aucun incident ni maintenance signalé ces {{.RecentDays}} derniers jours.</p>{{end}}
<p><a href="incidents.html">Historique de tous les incidents et maintenances</a></p>
</section>
<section aria-labelledby="liste">
<h2 id="liste">Tous les DRIMbox</h2>
<p>{{.TotalWords}}, chacun avec son historique sur {{.Days}} jours.</p>
{{template "searchform" .}}
<h3>Par numéro</h3>
<ul class="columns">{{range .Pages}}<li><a href="{{.File}}">{{.Text}}</a></li>{{end}}</ul>
<h3>Par opérateur</h3>
<ul class="columns">{{range .Operators}}<li><a href="{{.File}}">{{.Name}}</a> ({{.Count}})</li>{{end}}</ul>
</section>
<section aria-labelledby="temps">
<h2 id="temps">Temps de réponse de l'espace de confiance</h2>
<p>Médiane, pour chaque jour, des temps de réponse médians de tous les DRIMbox (premier octet reçu, connexion et TLS compris). <span class="key p50" aria-hidden="true"></span>médiane · <span class="key p95" aria-hidden="true"></span>95e centile</p>
{{chart .Global "global" "Temps de réponse des DRIMbox sur la période"}}
</section>
{{template "foot" .}}`

const listPage = `{{template "head" .}}<h1>{{.List.Heading}}</h1>
{{if .List.Intro}}<p>{{.List.Intro}}</p>{{end}}
{{with .List.Contacts}}<section aria-labelledby="contacts">
<h2 id="contacts">Contacts de l'opérateur</h2>
<dl class="facts">{{range .}}<dt>{{.Role}}</dt><dd>{{mail .Mail}}</dd>{{end}}</dl>
</section>
{{end}}{{template "pager" .List.Nav}}
<p>Historique : une barre par jour sur {{.Days}} jours, du plus ancien (à gauche) au plus récent. La page de chaque DRIMbox donne le détail jour par jour.</p>
{{template "legend"}}
{{template "boxtable" .List.Table}}
{{template "pager" (bottom .List.Nav)}}
{{template "foot" .}}`

const disturbedPage = `{{template "head" .}}<h1>DRIMbox perturbés</h1>
<p>{{.Overall.Headline}}</p>
{{.DisturbedTable}}
{{template "foot" .}}`

const incidentsPage = `{{template "head" .}}<h1>Historique des incidents et maintenances</h1>
<p>Tous les incidents et maintenances publiés, du plus récent au plus ancien ; les avis terminés restent ici.</p>
<section aria-labelledby="encours">
<h2 id="encours">En cours ou à venir</h2>
{{range .Notices}}{{if .Active}}{{template "notice" .}}{{end}}{{end}}{{if not .ActiveCount}}<p>Aucun incident ni maintenance en cours ou annoncé.</p>{{end}}
</section>
<section aria-labelledby="termines">
<h2 id="termines">Terminés</h2>
{{range .Notices}}{{if not .Active}}{{template "notice" .}}{{end}}{{end}}{{if eq .ActiveCount (len .Notices)}}<p>Aucun incident ni maintenance terminé.</p>{{end}}
</section>
{{template "foot" .}}`

// boxPage is boxBody in the head and foot; boxes renders the head and
// foot once for every DRIMbox (boxFrame).
const boxPage = `{{template "head" .}}{{template "boxbody" .}}{{template "foot" .}}`

const boxBody = `{{$b := .Box}}<h1>DRIMbox {{$b.ID}}</h1>
<p class="headline"><span class="st {{$b.Verdict}}">{{word $b.Verdict}}</span>{{with $b.State}} {{sinceWords $b}}{{if .Reasons}} — {{reasons .Reasons}}{{end}}{{end}}</p>
{{if .Stale}}<p class="stale" role="alert">Aucun relevé depuis le <time datetime="{{iso .Last}}">{{frTime .Last}}</time> : l'état actuel de ce DRIMbox n'est pas connu.</p>{{end}}
<p><a href="../{{.Feed}}">S'abonner aux changements d'état et aux incidents du DRIMbox {{$b.ID}} (flux Atom)</a>{{with $b.Info.OperatorID}} · <a href="../{{opFeed .}}">flux de tous les DRIMbox de l'opérateur</a>{{end}}</p>
<section aria-labelledby="contact">
<h2 id="contact">Contact et conduite à tenir</h2>
<dl class="facts">
<dt>Opérateur</dt><dd>{{with $b.Info.Operator}}<a href="../{{opPage $b.Info.OperatorID}}">{{.}}</a> (ses DRIMbox et ses contacts){{else}}non renseigné{{end}}</dd>
<dt>Support</dt><dd>{{with support $b.Info}}{{mail .}}{{else}}non renseigné dans le registre{{end}}</dd>
</dl>
{{$a := advice $b.Verdict}}<h3>Vous êtes radiologue ou utilisateur du DRIMbox</h3>
<p>{{$a.Radiologist}}</p>
<h3>Vous êtes l'opérateur de ce DRIMbox</h3>
<p>{{$a.Operator}}</p>
</section>
<section aria-labelledby="acces">
<h2 id="acces">Accès et certificat</h2>
<dl class="facts">
{{with $b.State}}{{with .DB}}<dt>Accès db (DICOMweb)</dt><dd><code>{{.Host}}</code> : {{template "point" .}}{{if not .OK}} ({{reasons (list .Reason)}}){{end}}{{with .HTTP}}, HTTP {{.}}{{end}}</dd>{{end}}
<dt>Accès vi (visionneuse)</dt><dd>{{with .VI}}<code>{{.Host}}</code> : {{template "point" .}}{{if not .OK}} ({{reasons (list .Reason)}}){{end}}{{else}}aucun{{end}}</dd>
<dt>Certificat serveur</dt><dd>{{with .CertNotAfter}}valable jusqu'au {{frDate .}} ({{daysLeft $.Now .}}){{else}}non lu lors du dernier relevé{{end}}</dd>
<dt>Sujet du certificat</dt><dd>{{with .CertSubject}}<span class="warn">différent du DN enregistré : <code>{{.}}</code></span>{{else}}{{if .CertNotAfter}}conforme au DN enregistré{{else}}—{{end}}{{end}}</dd>
{{end}}
</dl>
</section>
{{with $b.State}}{{if .Vantages}}<section aria-labelledby="vues">
<h2 id="vues">Points de mesure</h2>
<p>L'état affiché est décidé à la majorité des points de mesure qui ont relevé : hors service seulement si la majorité d'entre eux le voient hors service, dégradé s'ils sont en désaccord.</p>
<ul>{{range .Vantages}}<li>{{.Name}} : {{word (str .Verdict)}}{{if .Reasons}} ({{reasons .Reasons}}){{end}}, relevé du <time datetime="{{iso .Run}}">{{frTime .Run}}</time></li>{{end}}</ul>
</section>
{{end}}{{end}}<section aria-labelledby="dispo">
<h2 id="dispo">Disponibilité</h2>
<p>Part des relevés où le DRIMbox a répondu (opérationnel ou dégradé), calculée sur les mêmes relevés que l'historique ci-dessous. Les relevés qui n'ont pas pu conclure et les créneaux sans relevé ne comptent pas : l'absence de données n'est pas une panne.</p>
<dl class="facts uptime">{{range $b.Uptimes}}<dt>{{.Words}}</dt><dd>{{if .Known}}{{pct .Ratio}}{{else}}non mesurée{{end}}</dd>{{end}}</dl>
</section>
<section aria-labelledby="pacs">
<h2 id="pacs">PACS</h2>
{{with $b.State}}{{if .PACS}}<p class="caption" id="cap-pacs">État publié par le DRIMbox sur son point d'état</p>
<div class="scroll" role="region" aria-labelledby="cap-pacs" tabindex="0"><table aria-labelledby="cap-pacs"><thead><tr><th scope="col">PACS</th><th scope="col">État</th><th scope="col">Précision</th></tr></thead><tbody>
{{range .PACS}}<tr><th scope="row">{{label $b .ID}}</th><td><span class="st {{pacsClass .State}}">{{pacsWord .State}}</span></td><td>{{.Detail}}</td></tr>
{{end}}</tbody></table></div>{{else}}<p>Aucun PACS enregistré.</p>{{end}}{{else}}<p>Aucun relevé de ce DRIMbox.</p>{{end}}
</section>
<section aria-labelledby="histo">
<h2 id="histo">Historique sur {{.Days}} jours</h2>
<p class="daycounts">{{dayCounts $b}}</p>
{{template "legend"}}
{{detail $b}}
<p class="caption" id="cap-jours">{{notableWords $b.Days}} : indisponibilité, dégradation ou relevés manquants (relevés reçus sur relevés attendus). Les autres jours, le DRIMbox était opérationnel à chaque relevé.</p>
<div class="scroll" role="region" aria-labelledby="cap-jours" tabindex="0">
<table aria-labelledby="cap-jours"><thead><tr><th scope="col">Jour</th><th scope="col">État</th><th scope="col">Relevés</th><th scope="col">Disponible</th><th scope="col">Médiane</th><th scope="col">95e centile</th></tr></thead><tbody>
{{dayRows $b.Days}}</tbody></table>
</div>
<p>L'historique complet jour par jour est dans les <a href="../api/drimbox/{{$b.ID}}.json">données du DRIMbox {{$b.ID}} au format JSON</a>.</p>
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
<p><img src="../badge/{{$b.ID}}.svg" alt="DRIMbox {{$b.ID}} : {{word $b.Verdict}}"> — adresse : <code>badge/{{$b.ID}}.svg</code></p>
</section>
`

func parseTemplates() *template.Template {
	f := template.FuncMap{
		"list":       func(s ...string) []string { return s },
		"str":        func(v probe.Verdict) string { return string(v) },
		"ratio":      func(a, b int) float64 { return float64(a) / float64(b) },
		"daysLeft":   daysLeft,
		"menu":       func() any { return menu },
		"dsfrSheets": func() any { return dsfrSheets },
		"a11yPlans":  func() any { return a11yPlans },
		// bottom is the pager repeated under a long list, named apart
		// from the one above it.
		"bottom": func(p pager) pager { p.Label += " (bas de page)"; return p },
	}
	for k, v := range funcs {
		f[k] = v
	}
	t := template.Must(template.New("site").Funcs(f).Parse(head + pointTmpl + searchForm))
	for name, text := range map[string]string{"index": indexPage, "box": boxPage, "boxbody": boxBody, "list": listPage,
		"disturbed": disturbedPage, "incidents": incidentsPage, "a11y": a11yPage,
		"plan": planPage, "aide": helpPage, "recherche": searchPage, "notfound": notFoundPage,
		"a11yplan": a11yPlanPage, "legal": legalPage, "privacy": privacyPage} {
		template.Must(t.New(name).Parse(text))
	}
	return t
}
