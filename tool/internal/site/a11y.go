package site

// The accessibility statement, as the RGAA asks for it, and the pages of
// the plans it links to.
//
// No audit of the RGAA criteria has been made, so the site is "non
// conforme": a rate of conformity comes only from an audit. What the
// tests of drimm check in a browser is described as automated checks,
// which cover part of the criteria. The statement's date is the day its
// text was established (statementDate), not the build's: a build does not
// re-assess anything. When an audit is made, its date, rate, sample of
// pages, environment and tools replace the section "Résultats des tests".

// statementDate is when the text of the statement was last established,
// as "7 décembre 2026"; change it with the text.
const statementDate, statementISO = "7 décembre 2026", "2026-12-07"

// a11yPlans are the pages of the plans the statement links to. The ANS
// publishes them; until it does, each page says so plainly.
var a11yPlans = []struct{ File, Title, What string }{
	{"schema-pluriannuel.html", "Schéma pluriannuel de mise en accessibilité",
		"Le schéma pluriannuel présente, sur trois ans, la politique de l'Agence du Numérique en Santé pour rendre accessibles ses sites et services numériques."},
	{"plan-annuel.html", "Plan d'action annuel d'accessibilité",
		"Le plan d'action annuel détaille les actions prévues cette année pour l'accessibilité des sites et services numériques de l'Agence du Numérique en Santé, dont la Météo des DRIMbox."},
}

const a11yPage = `{{template "head" .}}<h1>Déclaration d'accessibilité</h1>
<p>L'Agence du Numérique en Santé s'engage à rendre ses sites internet accessibles conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005. À cette fin, elle met en œuvre la stratégie et les actions suivantes :</p>
<ul>{{range a11yPlans}}<li><a href="{{.File}}">{{.Title}}</a></li>{{end}}</ul>
<p>Cette déclaration d'accessibilité s'applique à la Météo des DRIMbox (pages, flux Atom et fichiers de données publiés avec elle).</p>
<h2>État de conformité</h2>
<p>La Météo des DRIMbox est <strong>non conforme</strong> avec le référentiel général d'amélioration de l'accessibilité (RGAA), version 4.1.2 : aucun audit de conformité n'a encore été réalisé.</p>
<h2>Résultats des tests</h2>
<p>Aucun audit n'a été réalisé : il n'y a pas de taux de conformité à publier. Le taux, la date de l'audit, l'échantillon de pages, l'environnement et les outils utilisés seront publiés ici une fois l'audit réalisé.</p>
<p>En attendant, des tests automatiques vérifient les pages à chaque modification du logiciel qui les construit. Ces tests ne constituent pas un audit : un outil automatique ne couvre qu'une partie des critères du RGAA et ne juge pas, par exemple, de la pertinence d'un texte. Ils vérifient, dans le navigateur Chromium sans interface :</p>
<ul>
<li>qu'axe-core (règles WCAG 2.1 de niveaux A et AA) ne relève aucune erreur sur un échantillon de pages : accueil, page d'un DRIMbox, liste, historique des incidents, cette déclaration, plan du site, aide, recherche et page introuvable ;</li>
<li>qu'à 320 pixels de large rien ne défile horizontalement, sauf les tableaux, qui défilent dans un cadre nommé dont le titre reste visible ;</li>
<li>les contrastes des couleurs du texte et des états, et que chaque état est dit par un texte et par la forme des barres, pas seulement par la couleur ;</li>
<li>que la recherche fonctionne sans JavaScript, par les listes ;</li>
<li>que le texte suit la taille de police choisie dans le navigateur, que le thème sombre est respecté et qu'en couleurs forcées (contraste élevé, clair ou sombre) le texte, les axes et les courbes des graphiques restent visibles ; chaque graphique est accompagné d'un tableau de ses valeurs.</li>
</ul>
<h2>Contenus non accessibles</h2>
<h3>Non-conformités</h3>
<p>Sans audit, la liste des non-conformités n'est pas établie.</p>
<h3>Dérogations pour charge disproportionnée</h3>
<p>Aucune.</p>
<h3>Contenus non soumis à l'obligation d'accessibilité</h3>
<p>Aucun. Les flux Atom et les fichiers JSON sont des formats de données destinés à des logiciels ; les informations qu'ils portent sont aussi sur les pages.</p>
<h2>Établissement de cette déclaration</h2>
<p>Cette déclaration a été établie le <time datetime="` + statementISO + `">` + statementDate + `</time>. Aucun audit n'avait été réalisé à cette date.</p>
<h3>Technologies utilisées pour la réalisation du site</h3>
<p>HTML, CSS et SVG. Un petit script JavaScript rend la recherche plus rapide ; aucune page n'en a besoin.</p>
<h2>Retour d'information et contact</h2>
<p>Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez à <a href="mailto:{{.Contact}}">{{.Contact}}</a> pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme.</p>
<h2>Voies de recours</h2>
<p>Si vous constatez un défaut d'accessibilité vous empêchant d'accéder à un contenu ou à une fonctionnalité, que vous nous le signalez et que vous ne parvenez pas à obtenir de réponse de notre part, vous êtes en droit de faire parvenir vos doléances ou une demande de saisine au Défenseur des droits. Plusieurs moyens sont à votre disposition :</p>
<ul>
<li>écrire un message au Défenseur des droits par le <a href="https://formulaire.defenseurdesdroits.fr/">formulaire de contact du Défenseur des droits</a> ;</li>
<li>contacter <a href="https://www.defenseurdesdroits.fr/saisir/delegues">le délégué du Défenseur des droits dans votre région</a> ;</li>
<li>envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.</li>
</ul>
{{template "foot" .}}`

// a11yPlanPage stands for a plan the ANS has yet to publish here: it says
// so, and where to ask for it meanwhile.
const a11yPlanPage = `{{template "head" .}}<h1>{{.Doc.Title}}</h1>
<p>{{.Doc.What}}</p>
<p class="stale">Ce document n'est pas encore publié sur ce site : il est à publier par l'Agence du Numérique en Santé. Cette page le donnera, ou mènera à lui, dès sa publication.</p>
<p>En attendant, vous pouvez le demander à <a href="mailto:{{.Contact}}">{{.Contact}}</a>.</p>
<p><a href="accessibilite.html">Retour à la déclaration d'accessibilité</a></p>
{{template "foot" .}}`

// a11yPages writes the plans' pages.
func a11yPages(render func(name, tmpl string, pv *view) error, v *view) error {
	for _, p := range a11yPlans {
		pv := *v
		pv.Page, pv.Title = p.File, p.Title+" — Météo des DRIMbox"
		pv.Doc = &struct{ Title, What string }{p.Title, p.What}
		if err := render(p.File, "a11yplan", &pv); err != nil {
			return err
		}
	}
	return nil
}
