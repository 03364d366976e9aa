// Package registry reads the trust space's records — trust-space settings,
// the conditions catalogue, operators and DRIMboxes — strictly, checking
// each against its JSON Schema in schemas/, and reports every problem as a
// Finding at its file, line and column. Cross-record rules live in package
// validation, change rules in package lifecycle.
package registry

import "time"

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
