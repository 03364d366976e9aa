package site

// The templates of the pages that help a visitor find their way: the
// search form, the site map, the help page, the search page and the 404
// page. Their words are for the public: a radiologist, an operator's
// support, a journalist.

const searchForm = `{{define "searchform"}}<form id="recherche" class="search" action="{{.Root}}recherche.html" method="get" role="search" data-root="{{.Root}}" data-ids="{{.IDs}}">
<label for="q">Numéro du DRIMbox ou nom de l'opérateur</label>
<div class="search-row"><input id="q" name="q" type="search" autocomplete="off" spellcheck="false"><button type="submit">Rechercher</button></div>
</form>{{end}}
{{define "pagelinks"}}<ul class="columns">{{range .Pages}}<li><a href="{{$.Root}}{{.File}}">{{.Text}}</a></li>{{end}}</ul>{{end}}
{{define "oplinks"}}<ul class="columns">{{range .Operators}}<li data-nom="{{.Name}}"><a href="{{$.Root}}{{.File}}">{{.Name}}</a> ({{.Count}})</li>{{end}}</ul>{{end}}
`

const planPage = `{{template "head" .}}<h1>Plan du site</h1>
<ul class="sitemap">
<li><a href="index.html">Accueil : état général de l'espace de confiance</a>
<ul>
<li><a href="perturbes.html">DRIMbox perturbés</a></li>
<li><a href="incidents.html">Historique des incidents et maintenances</a></li>
</ul></li>
<li><a href="recherche.html">Rechercher un DRIMbox</a></li>
<li>Tous les DRIMbox, par numéro ; chaque ligne mène à la page du DRIMbox
{{template "pagelinks" .}}</li>
<li>Les DRIMbox de chaque opérateur
{{template "oplinks" .}}</li>
<li><a href="aide.html">Aide et glossaire</a></li>
<li><a href="mentions-legales.html">Mentions légales</a></li>
<li><a href="donnees-personnelles.html">Données personnelles</a></li>
<li><a href="accessibilite.html">Déclaration d'accessibilité</a>
<ul>
<li><a href="schema-pluriannuel.html">Schéma pluriannuel de mise en accessibilité</a></li>
<li><a href="plan-annuel.html">Plan d'action annuel d'accessibilité</a></li>
</ul></li>
<li>Données ouvertes
<ul>
<li><a href="feed.xml">Flux Atom des changements d'état et des incidents</a></li>
<li><a href="status.json">État de tous les DRIMbox (status.json)</a></li>
</ul></li>
</ul>
{{template "foot" .}}`

const helpPage = `{{template "head" .}}<h1>Aide et glossaire</h1>
<section aria-labelledby="quoi">
<h2 id="quoi">Ce que montre cette page</h2>
<p>La Météo des DRIMbox dit, presque en temps réel, si chaque DRIMbox de l'Espace de Confiance DRIM-M répond et si les PACS derrière lui sont disponibles. Une sonde interroge chaque DRIMbox en HTTPS toutes les quelques minutes, depuis un ou plusieurs points de mesure ; ces pages sont construites à partir de ses relevés.</p>
</section>
<section aria-labelledby="trouver">
<h2 id="trouver">Trouver un DRIMbox</h2>
<ul>
<li>par son numéro ou le nom de son opérateur, avec le <a href="recherche.html">formulaire de recherche</a> (aussi en page d'accueil) ;</li>
<li>par les listes de tous les DRIMbox, par tranche de numéros ou par opérateur, depuis le <a href="plan.html">plan du site</a> ;</li>
<li>par la liste des <a href="perturbes.html">DRIMbox perturbés</a>, si le vôtre ne répond pas.</li>
</ul>
<p>Chaque DRIMbox a une page à l'adresse <code>drimbox/</code><em>numéro</em><code>.html</code>.</p>
</section>
<section aria-labelledby="etats">
<h2 id="etats">Les états</h2>
<dl class="facts">
<dt><span class="st up">Opérationnel</span></dt><dd>Le DRIMbox répond sur ses noms nationaux, son certificat est valide et reconnu, ses PACS sont disponibles.</dd>
<dt><span class="st degraded">Dégradé</span></dt><dd>Le DRIMbox répond, mais quelque chose ne va pas : réponse lente, certificat expirant dans moins de 30 jours ou différent de celui enregistré, un PACS ou l'accès visionneuse indisponible, ou points de mesure en désaccord.</dd>
<dt><span class="st down">Hors service</span></dt><dd>Le DRIMbox ne répond pas sur son accès DICOMweb, après plusieurs essais, alors que le réseau de la sonde fonctionne.</dd>
<dt><span class="st unknown">Inconnu</span></dt><dd>L'état n'a pas pu être établi : réseau de la sonde en défaut, relevé interrompu ou aucun relevé récent.</dd>
<dt><span class="st nodata">Pas de données</span></dt><dd>Aucun relevé ce jour-là (dans l'historique).</dd>
</dl>
</section>
<section aria-labelledby="glossaire">
<h2 id="glossaire">Glossaire</h2>
<dl class="facts">
<dt lang="en">DRIMbox</dt><dd>Passerelle qui permet aux centres d'imagerie et aux établissements de santé de partager des images médicales.</dd>
<dt>Espace de Confiance</dt><dd>Ensemble des DRIMbox qui se font mutuellement confiance ; l'Agence du Numérique en Santé (ANS) en tient le registre.</dd>
<dt>Liste blanche</dt><dd>Fichier signé par l'ANS qui liste les DRIMbox opérationnels ; un DRIMbox ne fait confiance qu'aux DRIMbox qu'elle liste.</dd>
<dt>Opérateur</dt><dd>Entreprise qui déploie et exploite des DRIMbox pour ses clients ; c'est elle qu'il faut contacter en cas de panne.</dd>
<dt lang="en">PACS</dt><dd>Système d'archivage et de transmission d'images (<span lang="en">Picture Archiving and Communication System</span>) : là où un centre conserve ses examens. Le DRIMbox publie l'état des PACS qu'il dessert.</dd>
<dt lang="en">DICOMweb</dt><dd>Protocole web d'échange d'images médicales au format DICOM ; c'est par lui que les DRIMbox s'échangent les examens (accès db).</dd>
<dt>Accès db</dt><dd>Nom national du DRIMbox pour les échanges DICOMweb entre DRIMbox.</dd>
<dt>Accès vi</dt><dd>Nom national de la visionneuse du DRIMbox, pour consulter les images.</dd>
<dt>Relevé</dt><dd>Un passage de la sonde sur tous les DRIMbox.</dd>
<dt>Point de mesure</dt><dd>Machine d'où la sonde interroge les DRIMbox ; avec plusieurs points de mesure, l'état affiché est décidé à la majorité.</dd>
<dt>Disponibilité</dt><dd>Part du temps où le DRIMbox répondait (opérationnel ou dégradé), hors périodes où son état n'était pas connu.</dd>
<dt>Temps de réponse</dt><dd>Temps écoulé jusqu'au premier octet de la réponse, connexion et négociation TLS comprises.</dd>
<dt>Médiane</dt><dd>Valeur du milieu : la moitié des temps de réponse du jour sont plus courts, l'autre moitié plus longs.</dd>
<dt>Centile (95e centile)</dt><dd>95 % des temps de réponse du jour sont plus courts que le 95e centile ; il montre les réponses les plus lentes sans s'arrêter à une seule.</dd>
<dt>IGC Santé</dt><dd>Infrastructure de gestion de clés du secteur de la santé, qui délivre les certificats des DRIMbox.</dd>
<dt>Flux Atom</dt><dd>Fichier qu'un lecteur de flux ou un logiciel suit pour être prévenu des changements d'état et des incidents.</dd>
</dl>
</section>
{{template "foot" .}}`

const searchPage = `{{template "head" .}}<h1>Rechercher un DRIMbox</h1>
{{template "searchform" .}}
<p id="recherche-resultat" role="status"></p>
<p>Cette page est statique : sans JavaScript, elle ne peut pas lire votre recherche. Choisissez ci-dessous la tranche de numéros ou l'opérateur : chaque ligne de la liste mène à la page du DRIMbox.</p>
<section aria-labelledby="par-numero">
<h2 id="par-numero">Par numéro</h2>
{{template "pagelinks" .}}
</section>
<section aria-labelledby="par-operateur">
<h2 id="par-operateur">Par opérateur</h2>
{{template "oplinks" .}}
</section>
{{template "foot" .}}`

const notFoundPage = `{{template "head" .}}<h1>Page introuvable</h1>
<p>La page demandée n'existe pas, ou plus. Si vous cherchiez un DRIMbox, il n'est peut-être pas suivi : un DRIMbox apparaît ici une fois déclaré opérationnel dans l'espace de confiance, et sa page reste tant qu'il est suivi.</p>
{{template "searchform" .}}
<ul>
<li><a href="{{.Root}}index.html">Accueil de la Météo des DRIMbox</a></li>
<li><a href="{{.Root}}plan.html">Plan du site</a></li>
<li><a href="{{.Root}}aide.html">Aide et glossaire</a></li>
</ul>
{{template "foot" .}}`
