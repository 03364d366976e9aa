package registry

import "strconv"

// DRIMbox is one DRIMbox (registry/operators/<op>/drimboxes/<Identifiant>.yaml).
type DRIMbox struct {
	Identifiant    int            `yaml:"identifiant"`
	Operator       string         `yaml:"operator"`
	Status         Status         `yaml:"status"`
	Funding        string         `yaml:"funding"`
	DeclaredOn     string         `yaml:"declared_on"`
	SupportContact string         `yaml:"support_contact"`
	Endpoints      Endpoints      `yaml:"endpoints"`
	Certificates   Certificates   `yaml:"certificates"`
	PACS           []PACS         `yaml:"pacs"`
	Dossier        Dossier        `yaml:"dossier"`
	Switches       []Switch       `yaml:"switches"`
	Exclusion      *StatusChange  `yaml:"exclusion"`
	Withdrawal     *StatusChange  `yaml:"withdrawal"`
	Reintegration  *Reintegration `yaml:"reintegration"`

	Source *Source `yaml:"-"`
	// indexed records were read for their index fields only (see
	// FromChange).
	indexed bool
	// unchanged records are byte for byte as the change's base revision
	// had them, with their operator's record (see FromChange).
	unchanged bool
}

// Indexed tells whether the record was read for its index fields only:
// Identifiant, operator, status, support contact, endpoints, server
// certificate and ZED container; the change that read it left it as the
// base revision, where it was read in full, had it.
func (d *DRIMbox) Indexed() bool { return d.indexed }

// Unchanged tells whether a change read the record as its base revision
// had it, byte for byte, with its operator's record: indexed, or read in
// full where the index reader declined. Its own rules were applied at the
// base revision; a pull request that does not touch it is not asked to
// fix it, even when main's rules have moved since.
func (d *DRIMbox) Unchanged() bool { return d.indexed || d.unchanged }

// DBName is the national name of the DRIMbox's WADO-RS access point.
func (d *DRIMbox) DBName(zone string) string { return "db" + strconv.Itoa(d.Identifiant) + "." + zone }

// VIName is the national name of the DRIMbox's viewer access point.
func (d *DRIMbox) VIName(zone string) string { return "vi" + strconv.Itoa(d.Identifiant) + "." + zone }

// InWhitelist tells whether the DRIMbox belongs in the Liste Blanche.
func (d *DRIMbox) InWhitelist() bool { return d.Status == StatusOperational }

// Endpoints are the hosts the national names point to (CNAME targets).
type Endpoints struct {
	DB string `yaml:"db"`
	VI string `yaml:"vi"`
}

// Certificates are the DRIMbox's IGC Santé server certificate and its
// market certificate.
type Certificates struct {
	Server ServerCert `yaml:"server"`
	Market Cert       `yaml:"market"`
}

// Cert identifies a certificate without holding it.
type Cert struct {
	SHA256   string `yaml:"sha256"`
	Serial   string `yaml:"serial"`
	NotAfter string `yaml:"not_after"`
}

// ServerCert is the IGC Santé server certificate, whose subject DN the
// whitelist publishes as DNCertificatOperateur.
type ServerCert struct {
	DN   string `yaml:"dn"`
	Cert `yaml:",inline"`
}

// PACS is one PACS behind a DRIMbox.
type PACS struct {
	ID    string `yaml:"id"`
	Label string `yaml:"label"`
}

// Dossier is the integration dossier: what the ZED container delivered.
type Dossier struct {
	ZED            ZED               `yaml:"zed"`
	Subcontracting bool              `yaml:"subcontracting"`
	Answers        map[string]Answer `yaml:"answers"`
	Documents      []Document        `yaml:"documents"`
	Attestations   []Attestation     `yaml:"attestations"`
	VA             *VA               `yaml:"va"`
}

// ZED identifies the container and the order the dossier travelled with.
type ZED struct {
	Container string `yaml:"container"`
	Order     string `yaml:"order"`
}

// Answer is each party's answer to one condition: conforme, non-conforme
// or en-cours, and, as the ANS's condition tables ask, the party's
// detailed answer or a reference to a document extract.
type Answer struct {
	Operator       string `yaml:"operator"`
	Client         string `yaml:"client"`
	OperatorDetail Detail `yaml:"operator_detail"`
	ClientDetail   Detail `yaml:"client_detail"`
}

// Detail is a party's "réponse détaillée": a text, a reference to an
// extract of a document the dossier lists, or both. It stays in the
// record: neither the list nor the weather page publishes it.
type Detail struct {
	Text     string `yaml:"text"`
	Document string `yaml:"document"`
	Extract  string `yaml:"extract"`
}

// Empty tells whether no detail is given.
func (d Detail) Empty() bool { return d == Detail{} }

// By returns the answer of a party ("operator" or "client").
func (a Answer) By(party string) string {
	if party == "client" {
		return a.Client
	}
	return a.Operator
}

// DetailBy returns the detailed answer of a party.
func (a Answer) DetailBy(party string) Detail {
	if party == "client" {
		return a.ClientDetail
	}
	return a.OperatorDetail
}

// Document is one document delivered in the ZED container. A shared
// document names one its operator declares (Shared) instead of giving
// Name and SHA256.
type Document struct {
	Condition string `yaml:"condition"`
	Kind      string `yaml:"kind"`
	Name      string `yaml:"name"`
	SHA256    string `yaml:"sha256"`
	Shared    string `yaml:"shared"`
}

// SharedDocument is a document an operator declares once, for every
// integration of its DRIMbox solution.
type SharedDocument struct {
	Kind   string `yaml:"kind"`
	Name   string `yaml:"name"`
	SHA256 string `yaml:"sha256"`
}

// Resolve returns a dossier document with the name and digest its
// operator declares when it is shared; ok is false when the operator
// declares no such document.
func (r *Registry) Resolve(d *DRIMbox, doc Document) (Document, bool) {
	if doc.Shared == "" {
		return doc, true
	}
	op := r.Operators[d.Operator]
	if op == nil {
		return doc, false
	}
	for _, s := range op.Documents {
		if s.Name == doc.Shared {
			doc.Name, doc.SHA256 = s.Name, s.SHA256
			return doc, s.Kind == doc.Kind
		}
	}
	return doc, false
}

// Attestation is a signed attestation and the functions of its signers.
type Attestation struct {
	Condition string   `yaml:"condition"`
	Kind      string   `yaml:"kind"`
	Document  string   `yaml:"document"`
	SHA256    string   `yaml:"sha256"`
	SignedBy  []Signer `yaml:"signed_by"`
	// SignedOn (YYYY-MM-DD) and Signature say when and how it was signed
	// electronically.
	SignedOn  string     `yaml:"signed_on"`
	Signature *Signature `yaml:"signature"`
}

// Signature says how an attestation was signed: on a recognised
// e-signature platform or with a trust service provider's certificate.
type Signature struct {
	Method   string `yaml:"method"` // platform or tsp-certificate
	Provider string `yaml:"provider"`
}

// Signer is the party and function (never the person) that signed.
type Signer struct {
	Party string `yaml:"party"`
	Role  string `yaml:"role"`
}

// VA is the Validation d'Aptitude document.
type VA struct {
	Variant  string `yaml:"variant"`
	Document string `yaml:"document"`
	SHA256   string `yaml:"sha256"`
	IssuedOn string `yaml:"issued_on"`
}

// Switch records an operator switch and the old operator's revocation deadline.
type Switch struct {
	From          string `yaml:"from"`
	To            string `yaml:"to"`
	On            string `yaml:"on"`
	RevocationDue string `yaml:"revocation_due"`
	RevokedOn     string `yaml:"revoked_on"`
	// Former is what the former operator ran the DRIMbox with; the new
	// operator replaces each of them before RevocationDue.
	Former *Handover `yaml:"former"`
}

// Handover is what a former operator leaves behind at a switch: its server
// certificate, its support contact and its hosts.
type Handover struct {
	DN             string `yaml:"dn"`
	SHA256         string `yaml:"sha256"`
	Serial         string `yaml:"serial"`
	SupportContact string `yaml:"support_contact"`
	DB             string `yaml:"db"`
	VI             string `yaml:"vi"`
}

// HandoverOf is what a DRIMbox runs with now, as a switch records it.
func HandoverOf(d *DRIMbox) Handover {
	s := d.Certificates.Server
	return Handover{DN: s.DN, SHA256: s.SHA256, Serial: s.Serial, SupportContact: d.SupportContact, DB: d.Endpoints.DB, VI: d.Endpoints.VI}
}

// Reintegration is a request to come back after an exclusion: what was
// remedied, the documents that show it, and the ANS's refusal, if any.
type Reintegration struct {
	Remediation string     `yaml:"remediation"`
	Documents   []Document `yaml:"documents"`
	// Refusals are the ANS's refusals of the DRIMbox's reintegration
	// requests, oldest first: the ANS appends one when it refuses
	// (reintegrating → excluded), and they stay.
	Refusals []StatusChange `yaml:"refusals"`
}

// StatusChange dates an exclusion or a withdrawal and says why.
type StatusChange struct {
	On     string `yaml:"on"`
	Reason string `yaml:"reason"`
}
