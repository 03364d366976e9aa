package site

import (
	"html/template"
	"regexp"

	"github.com/drim-m/trust-space/tool/internal/probe"
)

// Whom to contact and what to do: each DRIMbox page names its operator
// and the support mailbox of the registry, and says, for the state it
// shows, what a radiologist and the operator should do; the operator's
// page gives its functional mailboxes.

// Contact is one functional mailbox of an operator.
type Contact struct {
	// Role says what the mailbox is for, in French: "Support".
	Role string
	Mail string
}

// mailPattern is a mailbox the page may link to: nothing that could make
// the mailto: link do more than address a message.
var mailPattern = regexp.MustCompile(`^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+$`)

// mailLink is a mailbox as a link, or its text when it is not one.
func mailLink(m string) template.HTML {
	if !mailPattern.MatchString(m) {
		return template.HTML(template.HTMLEscapeString(m))
	}
	return template.HTML(`<a href="mailto:` + m + `">` + m + `</a>`)
}

// support is the mailbox a DRIMbox's users write to: its own, or its
// operator's support mailbox.
func (i Info) support() string {
	if i.Support != "" {
		return i.Support
	}
	for _, c := range i.Contacts {
		if c.Role == RoleSupport {
			return c.Mail
		}
	}
	return ""
}

// Roles of the operators' mailboxes, as the page words them.
const (
	RoleSupport  = "Support"
	RoleSecurity = "Sécurité"
	RoleGuichet  = "Guichet DRIMbox"
)

// advice is what to do about a DRIMbox in a state.
type advice struct {
	Radiologist, Operator string
}

var advices = map[string]advice{
	string(probe.Up): {
		Radiologist: "Le DRIMbox répond normalement. Si un examen reste introuvable ou inaccessible, écrivez au support de l'opérateur en donnant le numéro du DRIMbox, la date et l'heure de l'essai.",
		Operator:    "Rien à faire. Annoncez les maintenances prévues par un avis dans status/notices, au moins deux jours avant.",
	},
	string(probe.Degraded): {
		Radiologist: "Les examens restent accessibles, parfois plus lentement ou sans l'un des PACS. Réessayez plus tard ; si le besoin est urgent ou si la gêne dure, écrivez au support de l'opérateur.",
		Operator:    "Traitez la cause indiquée (temps de réponse, certificat, PACS, accès vi ou DNS) ; si elle dure plus d'une heure, publiez un avis d'incident dans status/notices pour informer les utilisateurs.",
	},
	string(probe.Down): {
		Radiologist: "Les échanges d'images avec ce DRIMbox sont impossibles pour le moment. Utilisez les solutions de repli de votre établissement et prévenez le support de l'opérateur si ce n'est déjà fait ; l'état est mis à jour à chaque relevé.",
		Operator:    "Rétablissez le service (point d'accès, réseau, certificat IGC Santé, nom DNS) et publiez sans attendre un avis d'incident dans status/notices ; la sonde constatera le retour à chaque relevé.",
	},
	string(probe.Unknown): {
		Radiologist: "La sonde n'a pas pu établir l'état de ce DRIMbox. Il fonctionne peut-être : essayez, et écrivez au support de l'opérateur en cas d'échec.",
		Operator:    "Vérifiez que le DRIMbox répond sur ses noms nationaux depuis Internet ; si l'état reste inconnu, signalez-le à l'ANS.",
	},
}

// adviceFor is the advice of a verdict, that of unknown when it is none.
func adviceFor(verdict string) advice {
	if a, ok := advices[verdict]; ok {
		return a
	}
	return advices[string(probe.Unknown)]
}
