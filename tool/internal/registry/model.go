// Package registry reads the trust space's records — trust-space settings,
// the conditions catalogue, operators and DRIMboxes — strictly, checking
// each against its JSON Schema in schemas/, and reports every problem as a
// Finding at its file, line and column. Cross-record rules live in package
// validation, change rules in package lifecycle.
package registry

import (
	"strconv"
	"time"
)

// Status is where a DRIMbox stands in the trust-space lifecycle.
type Status string

// The lifecycle statuses, in the order a DRIMbox normally meets them.
const (
	StatusDeclared      Status = "declared"
	StatusIntegrating   Status = "integrating"
	StatusOperational   Status = "operational"
	StatusExcluded      Status = "excluded"
	StatusReintegrating Status = "reintegrating"
	StatusWithdrawn     Status = "withdrawn"
)

// Funding says how a DRIMbox was financed; it decides the VA variant.
const (
	FundingSegur     = "segur"
	FundingHorsSegur = "hors-segur"
)

// VA variants.
const (
	VASegurIntegration = "segur-integration"
	VAIntegration      = "integration"
	VAReintegration    = "reintegration"
)

// TrustSpace holds the settings of the whole trust space (registry/trust-space.yaml).
type TrustSpace struct {
	Zone                 string            `yaml:"zone"`
	Reviewers            Reviewers         `yaml:"reviewers"`
	Whitelist            WhitelistSettings `yaml:"whitelist"`
	Signer               SignerSettings    `yaml:"signer"`
	DNS                  DNSSettings       `yaml:"dns"`
	Probe                ProbeSettings     `yaml:"probe"`
	SwitchRevocationDays int               `yaml:"switch_revocation_days"`
}

// Reviewers are the ANS people who approve merges; they alone make the
// ANS-owned changes.
type Reviewers struct {
	Team   string   `yaml:"team"`
	Logins []string `yaml:"logins"`
}

// IsReviewer tells whether a GitHub login is an ANS reviewer.
func (r Reviewers) IsReviewer(login string) bool {
	for _, l := range r.Logins {
		if equalLogin(l, login) {
			return true
		}
	}
	return false
}

// WhitelistSettings shape the published Liste Blanche.
type WhitelistSettings struct {
	Namespace     string   `yaml:"namespace"`
	VersionFormat string   `yaml:"version_format"`
	Validity      Duration `yaml:"validity"`
	MaxAge        Duration `yaml:"max_age"`
}

// SignerSettings say what the whitelist signing certificate must look like.
type SignerSettings struct {
	CN string `yaml:"cn"`
	OU string `yaml:"ou"`
	O  string `yaml:"o"`
}

// DNSSettings describe the zone the ANS serves for the national names.
type DNSSettings struct {
	TTL         int      `yaml:"ttl"`
	Primary     string   `yaml:"primary"`
	Hostmaster  string   `yaml:"hostmaster"`
	Nameservers []string `yaml:"nameservers"`
	// Addresses are the glue records of nameservers inside the zone.
	Addresses map[string][]string `yaml:"addresses"`
	Refresh   int                 `yaml:"refresh"`
	Retry     int                 `yaml:"retry"`
	Expire    int                 `yaml:"expire"`
	Minimum   int                 `yaml:"minimum"`
}

// ProbeSettings tune the scheduled probe.
type ProbeSettings struct {
	Interval          Duration `yaml:"interval"`
	Timeout           Duration `yaml:"timeout"`
	Concurrency       int      `yaml:"concurrency"`
	SlowThreshold     Duration `yaml:"slow_threshold"`
	ExpiryWarningDays int      `yaml:"expiry_warning_days"`
}

// Duration is a time.Duration written as "24h" or "5m" in records.
type Duration struct{ time.Duration }

// UnmarshalText parses a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	d.Duration = v
	return err
}

// Condition is one entry of the conditions catalogue (registry/conditions.yaml).
type Condition struct {
	ID          string        `yaml:"id"`
	Theme       string        `yaml:"theme"`
	Title       string        `yaml:"title"`
	Description string        `yaml:"description"`
	AnsweredBy  string        `yaml:"answered_by"` // operator, client or both
	SIDRIMbox   bool          `yaml:"si_drimbox"`
	AppliesWhen string        `yaml:"applies_when"` // always or subcontracting
	Optional    bool          `yaml:"optional"`
	Documents   []DocumentReq `yaml:"documents"`
	Attestation *AttestReq    `yaml:"attestation"`
	Example     string        `yaml:"example"`
	// AppliesFrom (YYYY-MM-DD) versions the condition: DRIMboxes declared
	// before it have until AppliesFrom plus GraceDays to meet it.
	AppliesFrom string `yaml:"applies_from"`
	GraceDays   int    `yaml:"grace_days"`
}

// Due returns the last day (YYYY-MM-DD) by which a DRIMbox declared on
// declaredOn must meet the condition, and whether it has a grace period at
// all: only a versioned condition does, and only for DRIMboxes declared
// before it applies.
func (c Condition) Due(declaredOn string) (string, bool) {
	if c.AppliesFrom == "" || declaredOn == "" || declaredOn >= c.AppliesFrom {
		return "", false
	}
	from, err := time.Parse(time.DateOnly, c.AppliesFrom)
	if err != nil {
		return "", false
	}
	return from.AddDate(0, 0, c.GraceDays).Format(time.DateOnly), true
}

// Parties lists who must answer the condition.
func (c Condition) Parties() []string {
	if c.AnsweredBy == "both" {
		return []string{"operator", "client"}
	}
	return []string{c.AnsweredBy}
}

// Applies tells whether the condition applies to a dossier.
func (c Condition) Applies(d Dossier) bool {
	return c.AppliesWhen != "subcontracting" || d.Subcontracting
}

// DocumentReq is a document a condition requires.
type DocumentReq struct {
	Kind     string `yaml:"kind"`
	Title    string `yaml:"title"`
	Template string `yaml:"template"`
}

// AttestReq is an attestation a condition requires, and who must sign it.
type AttestReq struct {
	Kind    string   `yaml:"kind"`
	Signers []string `yaml:"signers"`
}

// Operator is an Opérateur (registry/operators/<id>/operator.yaml).
type Operator struct {
	ID           string   `yaml:"id"`
	Denomination string   `yaml:"denomination"`
	SIREN        string   `yaml:"siren"`
	Maintainers  []string `yaml:"maintainers"`
	Contacts     Contacts `yaml:"contacts"`
	// Documents are declared once and reused by its DRIMboxes' dossiers.
	Documents []SharedDocument `yaml:"documents"`

	Source *Source `yaml:"-"`
}

// IsMaintainer tells whether a GitHub login may act for the operator.
func (o *Operator) IsMaintainer(login string) bool {
	for _, m := range o.Maintainers {
		if equalLogin(m, login) {
			return true
		}
	}
	return false
}

// Contacts are the operator's functional mailboxes.
type Contacts struct {
	Support  string `yaml:"support"`
	Security string `yaml:"security"`
	Guichet  string `yaml:"guichet"`
}

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
}

// Indexed tells whether the record was read for its index fields only:
// Identifiant, operator, status, support contact, endpoints, server
// certificate and ZED container; the change that read it left it as the
// base revision, where it was read in full, had it.
func (d *DRIMbox) Indexed() bool { return d.indexed }

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

// Answer is each party's answer to one condition.
type Answer struct {
	Operator string `yaml:"operator"`
	Client   string `yaml:"client"`
}

// By returns the answer of a party ("operator" or "client").
func (a Answer) By(party string) string {
	if party == "client" {
		return a.Client
	}
	return a.Operator
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
	Remediation string        `yaml:"remediation"`
	Documents   []Document    `yaml:"documents"`
	Refused     *StatusChange `yaml:"refused"`
}

// StatusChange dates an exclusion or a withdrawal and says why.
type StatusChange struct {
	On     string `yaml:"on"`
	Reason string `yaml:"reason"`
}
