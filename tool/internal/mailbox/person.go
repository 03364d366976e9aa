package mailbox

import (
	"strings"
)

// personalName tells whether a mailbox's local part reads as a person's
// name, and says which pattern it matched. The heuristic, chosen to flag
// the usual ways French organisations name personal mailboxes while
// leaving functional ones alone:
//
//   - the local part, without a "+tag" and trailing digits, is cut at
//     ".", "-" and "_" into two or three words;
//   - if any word is a functional one (support, pacs, admin, imagerie…,
//     functionalWords), it is a functional mailbox: "support.imagerie",
//     "pacs.admin", "drimbox-support";
//   - otherwise it is a person's name when one word is a common French
//     given name (givenNames) and the others are words of two letters or
//     more — "jean.dupont", "dupont.jean", "jean-pierre.martin" — or when
//     the first word is one letter and the last a word: "j.dupont".
//
// A single word ("jdupont", "marie") is left alone: without a separator a
// name cannot be told from a service's name reliably.
func personalName(local string) (pattern string, ok bool) {
	local, _, _ = strings.Cut(local, "+")
	local = strings.TrimRight(local, "0123456789")
	words := strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '-' || r == '_' })
	if len(words) < 2 || len(words) > 3 {
		return "", false
	}
	for _, w := range words {
		if functionalWords[w] || !alphabetic(w) {
			return "", false
		}
	}
	for i, w := range words {
		if !givenNames[w] {
			continue
		}
		for j, o := range words {
			if j != i && len(o) < 2 {
				return "", false
			}
		}
		return "a given name and a family name", true
	}
	if len(words[0]) == 1 && len(words[len(words)-1]) >= 2 {
		return "an initial and a family name", true
	}
	return "", false
}

func alphabetic(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return w != ""
}

// functionalWords name a service, a role or a place, never a person: a
// local part holding one is a functional mailbox.
var functionalWords = set(`accueil admin administrateur administration agence aide assistance astreinte
bureau cabinet centre chu clinique communication compta comptabilite contact contrat dev devops direction
dpo drim drimbox drimm dsi equipe etablissement exploitation facturation gestion groupe guichet helpdesk
dicom echographie ght hopital hotline imagerie irm info informatique infra ipp it labo mail medecine medical nucleaire noreply
no-reply ops operateur operations pacs planning pole projet qualite radio radiologie rdv reception region reseau ris rssi saint
sainte sante scanner secretariat securite service services si site sos st ste supervision support sys sysadmin systeme
team tech technique tel test ticket ticketing urgence urgences web webmaster`)

// givenNames are common French given names, in lower case without
// accents, as local parts write them.
var givenNames = set(`adam adele adrien agathe agnes alain alban albert alexandre alexandra alexis alice aline
amandine amelie anais andre andrea ange angelique anne annie anthony antoine arnaud arthur aurelie aurelien
axel baptiste barbara benedicte benjamin benoit bernard bertrand brigitte bruno camille carole caroline
catherine cecile celine chantal charles charlotte chloe christelle christian christine christophe claire
claude clement clemence colette coralie corinne cyril damien daniel danielle david delphine denis didier
dominique dorian edouard eliane elise elodie emilie emma emmanuel emmanuelle eric estelle etienne eva fabien
fabienne fabrice fanny florence florent florian francine francis franck francois francoise frederic
gabriel gaelle genevieve georges gerard gilbert gilles gisele guillaume guy helene henri herve hugo hugues
ines irene isabelle jacqueline jacques jean jeanne jeremy jerome joel johan jordan joseph josiane julia julie
julien juliette justine karine kevin laetitia laura laure laurence laurent lea leo leon lionel louis louise
lucas luc lucie lucien ludovic madeleine manon marc marcel margaux marguerite marie marine marion martin
martine mathieu mathilde matthieu maxime melanie mathis michel micheline michele mickael monique muriel
myriam nadine nathalie nicolas nicole noemie odile olivier pascal pascale patrice patricia patrick paul
pauline philippe pierre quentin raphael raymond regis remi renaud rene robert romain sabine sabrina samuel
sandrine sarah sebastien serge simon simone solene sophie stephane stephanie suzanne sylvain sylvie theo
thierry thomas timothee valentin valerie vanessa veronique victor vincent virginie xavier yann yannick
yves yvette yvonne zoe`)

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
