package dossier

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// Finding rule identifiers for the flow matrix.
const (
	RuleFlowID     = "FLOW-ID"
	RuleFlowField  = "FLOW-FIELD"
	RuleFlowPort   = "FLOW-PORT"
	RuleFlowTLS    = "FLOW-TLS"
	RuleFlowMutual = "FLOW-MUTUAL"
)

const (
	flowID       = "ID"
	flowSource   = "Source"
	flowDest     = "Destination"
	flowProtocol = "Protocole"
	flowPort     = "Port"
	flowRole     = "Rôle du flux"
	flowSecurity = "Mesures de sécurité"
	flowComment  = "Commentaire"
)

func flowsTemplate() Template {
	return Template{
		Name:  TemplateFlows,
		Title: "Matrice des flux (COND-11)",
		Columns: []Column{
			{Name: flowID, Aliases: []string{"Identifiant", "Réf", "N°", "Numéro"}, Required: true, Help: "identifier of the flow, unique"},
			{Name: flowSource, Aliases: []string{"Origine"}, Required: true, Help: "where the flow starts, e.g. DRIMbox, PACS, Poste d'administration"},
			{Name: flowDest, Aliases: []string{"Cible"}, Required: true, Help: "where the flow goes"},
			{Name: flowProtocol, Aliases: []string{"Protocol", "Protocoles"}, Required: true, Help: "e.g. HTTPS, DICOM TLS, SSH"},
			{Name: flowPort, Aliases: []string{"Ports", "Port(s)"}, Required: true, Help: "a port, a list (443, 8443) or a range (11112-11115), with or without its transport as the ANS writes it (TCP/443, UDP/53); - for ICMP"},
			{Name: flowRole, Aliases: []string{"Rôle", "Role du flux", "Description", "Objet du flux", "Rôle des flux"}, Required: true, Help: "what the flow is for"},
			{Name: flowSecurity, Aliases: []string{"Mesure de sécurité", "Sécurité", "Mesures de securite"}, Required: true, Help: "how the flow is protected"},
			{Name: flowComment, Aliases: []string{"Commentaires", "Remarques"}, Help: "free text, not checked"},
		},
		Layout: `One row per flow, every column filled in. A flow is an HTTPS flow when its
protocol says HTTPS; it is a DRIMbox–PACS flow when one end names a DRIMbox
and the other a PACS.`,
		Rules: []string{
			"every flow has an ID, unique, and every column filled in",
			"Port is a number from 1 to 65535, a list or a range of them, optionally after its transport (TCP/443)",
			"HTTPS flows state TLS 1.2 or newer in Mesures de sécurité (e.g. \"TLS 1.2 minimum\", \"TLS 1.3\")",
			"flows between a DRIMbox and a PACS state mutual authentication (e.g. \"authentification mutuelle\", \"mTLS\")",
		},
		Example: example(TemplateFlows),
		check:   checkFlows,
	}
}

var (
	httpsRe  = regexp.MustCompile(`(?i)\bhttps\b`)
	tlsRe    = regexp.MustCompile(`(?i)\btls\s*(?:v|version)?\s*(?:≥|>=|>)?\s*1[.,]([0-9])`)
	mutualRe = regexp.MustCompile(`\bmutuel(le)?\b|\bmtls\b|\bmutual\b|\breciproque\b`)
	icmpRe   = regexp.MustCompile(`(?i)\bicmp\b`)
)

func checkFlows(t *table, _ Context) []registry.Finding {
	var out []registry.Finding
	ids := map[string]int{}
	flows := 0
	for _, r := range t.rows {
		flows++
		id := t.get(r, flowID)
		if id == "" {
			out = append(out, t.atColumn(r, flowID, RuleFlowID, "the flow has no ID; give each flow an identifier such as F01"))
		} else if prev, dup := ids[id]; dup {
			out = append(out, t.atColumn(r, flowID, RuleFlowID, "ID %q is used again (first on line %d); give each flow its own ID", id, prev))
		} else {
			ids[id] = r.line
		}
		label := id
		if label == "" {
			label = "line " + strconv.Itoa(r.line)
		}
		for _, c := range []string{flowSource, flowDest, flowProtocol, flowRole, flowSecurity} {
			if t.get(r, c) == "" {
				out = append(out, t.atColumn(r, c, RuleFlowField, "flow %s has no %s; fill it in", label, c))
			}
		}
		proto, security := t.get(r, flowProtocol), t.get(r, flowSecurity)
		if msg := portProblem(t.get(r, flowPort), icmpRe.MatchString(proto)); msg != "" {
			out = append(out, t.atColumn(r, flowPort, RuleFlowPort, "flow %s: %s", label, msg))
		}
		if httpsRe.MatchString(proto) && !statesModernTLS(security) {
			out = append(out, t.atColumn(r, flowSecurity, RuleFlowTLS, "flow %s is HTTPS; its security measures must state TLS 1.2 or newer (e.g. \"TLS 1.2 minimum\")", label))
		}
		if isDRIMboxPACS(t.get(r, flowSource), t.get(r, flowDest)) && !mutualRe.MatchString(fold(security)) {
			out = append(out, t.atColumn(r, flowSecurity, RuleFlowMutual, "flow %s goes between a DRIMbox and a PACS; its security measures must state mutual authentication (e.g. \"authentification mutuelle TLS\")", label))
		}
	}
	if flows == 0 && t.skipped == 0 {
		out = append(out, finding(t.path, t.headerLine, 1, RuleFlowID, "the matrix lists no flow; fill in one row per flow under the header"))
	}
	return out
}

// statesModernTLS tells whether a text names TLS 1.2 or a later version.
func statesModernTLS(s string) bool {
	for _, m := range tlsRe.FindAllStringSubmatch(s, -1) {
		if m[1] >= "2" {
			return true
		}
	}
	return false
}

func isDRIMboxPACS(src, dst string) bool {
	has := func(s, word string) bool {
		for _, w := range strings.Fields(fold(s)) {
			if strings.HasPrefix(w, word) {
				return true
			}
		}
		return false
	}
	return has(src, "drimbox") && has(dst, "pacs") || has(src, "pacs") && has(dst, "drimbox")
}

// portProblem says what is wrong with a Port cell, or "".
func portProblem(cell string, icmp bool) string {
	if cell == "" || cell == "-" || strings.EqualFold(cell, "n/a") || strings.EqualFold(cell, "na") {
		if icmp {
			return ""
		}
		return "no port; give the destination port, a list (443, 8443) or a range (11112-11115)"
	}
	ports := 0
	for _, part := range strings.FieldsFunc(cell, func(r rune) bool { return r == ',' || r == '/' || r == ';' || r == ' ' }) {
		// The ANS's template writes the transport before the port:
		// TCP/443, UDP/53.
		switch strings.ToUpper(part) {
		case "TCP", "UDP", "SCTP":
			continue
		}
		ports++
		lo, hi, isRange := strings.Cut(part, "-")
		a, errA := port(lo)
		b, errB := a, errA
		if isRange {
			b, errB = port(hi)
		}
		if errA != nil || errB != nil {
			return "port " + strconv.Quote(part) + " is not a number from 1 to 65535"
		}
		if a > b {
			return "range " + strconv.Quote(part) + " goes downwards; write the lower port first"
		}
	}
	if ports == 0 {
		return strconv.Quote(cell) + " names a transport but no port; write it as TCP/443"
	}
	return ""
}

func port(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err == nil && (n < 1 || n > 65535) {
		err = strconv.ErrRange
	}
	return n, err
}
