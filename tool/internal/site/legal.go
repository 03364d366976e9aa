package site

// The pages every French public site links from its footer: the legal
// notice and personal data. They say what the project knows for certain;
// what only the ANS can state (its publication director, its data
// protection officer's address) is said to be the ANS's to add.

// csp is the pages' Content-Security-Policy: only the site's own files,
// no inline script or style, forms sent only to the site. A meta element
// cannot set frame-ancestors; GitHub Pages sets no header for it.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'"

const legalPage = `{{template "head" .}}<h1>Mentions légales</h1>
<h2>Éditeur</h2>
<p>La Météo des DRIMbox est publiée par l'Agence du Numérique en Santé (ANS), qui tient l'Espace de Confiance DRIM-M et son registre. Le nom du directeur ou de la directrice de la publication et l'adresse postale de l'éditeur sont à compléter par l'ANS.</p>
<h2>Hébergement</h2>
<p>Les pages sont des fichiers statiques publiés avec GitHub Pages.</p>
<h2>Contenus</h2>
<p>Les états affichés sont établis automatiquement à partir des relevés de la sonde de l'espace de confiance ; les incidents et maintenances sont publiés par l'ANS et les opérateurs. Ils informent, sans engager l'ANS sur la disponibilité d'un DRIMbox.</p>
<h2>Système de design</h2>
<p>Ces pages utilisent le Système de Design de l'État (DSFR), réservé aux sites de l'État et de ses opérateurs, et la police Marianne.</p>
<h2>Contact</h2>
<p><a href="mailto:{{.Contact}}">{{.Contact}}</a></p>
{{template "foot" .}}`

const privacyPage = `{{template "head" .}}<h1>Données personnelles</h1>
<p>La Météo des DRIMbox ne collecte aucune donnée personnelle : elle ne dépose aucun cookie, ne mesure pas l'audience et ne charge rien d'un autre site. Le formulaire de recherche ne transmet rien : sans JavaScript il ouvre une page statique, avec JavaScript la recherche se fait dans votre navigateur.</p>
<p>Les pages ne publient aucune donnée personnelle : les DRIMbox y sont désignés par leur numéro, les opérateurs par leur dénomination, et les contacts sont des boîtes aux lettres fonctionnelles.</p>
<p>L'hébergeur des pages (GitHub Pages) peut, comme tout serveur web, conserver l'adresse IP des visiteurs dans ses journaux techniques.</p>
<p>Pour exercer vos droits ou poser une question sur ce site, écrivez à <a href="mailto:{{.Contact}}">{{.Contact}}</a>. Les coordonnées du délégué à la protection des données de l'ANS sont à compléter par l'ANS.</p>
{{template "foot" .}}`

// legalPages writes the legal notice and the personal data page.
func legalPages(render func(name, tmpl string, pv *view) error, v *view) error {
	for _, p := range []struct{ file, tmpl, title string }{
		{"mentions-legales.html", "legal", "Mentions légales"},
		{"donnees-personnelles.html", "privacy", "Données personnelles"},
	} {
		pv := *v
		pv.Page, pv.Title = p.file, p.title+" — Météo des DRIMbox"
		if err := render(p.file, p.tmpl, &pv); err != nil {
			return err
		}
	}
	return nil
}
