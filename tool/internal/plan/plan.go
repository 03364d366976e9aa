// Package plan says what merging a pull request will change in the trust
// space, in the words an ANS reviewer decides with: the procedure
// recognised for each DRIMbox, its status change, the Liste Blanche entries
// added, removed or changed, the national names, the deadlines it starts,
// what the dossier still lacks and who must approve. It renders the plan as
// the Markdown of the pull request's sticky comment and job summary.
package plan

import (
	"bytes"
	"slices"
	"strings"
	"time"

	"github.com/drim-m/trust-space/tool/internal/lifecycle"
	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/validation"
	"github.com/drim-m/trust-space/tool/internal/whitelist"
)

// Marker is the hidden line that identifies the plan comment.
const Marker = "<!-- drimm:plan -->"

// Input is what a plan is made from.
type Input struct {
	Change *lifecycle.Change
	// Now dates the deadlines.
	Now time.Time
	// BaseSHA and HeadSHA name the revisions compared: BaseSHA is the
	// merge-base of the pull request's base and head.
	BaseSHA, HeadSHA string
	// Files are the repository paths the pull request changes; those
	// outside the registry are listed for review as code.
	Files []string
	// RegistryDir is the registry folder in the repository ("registry").
	RegistryDir string
	// Findings are drimm validate's findings on the change.
	Findings []registry.Finding
	// Reviews are the pull request's reviews, when they were read.
	Reviews []Review
	// ReviewsKnown says whether Reviews were read at all.
	ReviewsKnown bool
	// ReviewedSHA is the commit an approval must name; empty means HeadSHA.
	ReviewedSHA string
}

// Plan is what a merge will change.
type Plan struct {
	Author           string
	BaseSHA, HeadSHA string
	Now              time.Time
	Boxes            []Box
	Operators        []OperatorChange
	// Settings are the ANS-owned global records the change touches.
	Settings []string
	// Catalogue is what each new or changed condition does to the park.
	Catalogue []CatalogueImpact
	// Whitelist is the difference between the lists the base and the head
	// give; WhitelistErr says why it could not be computed.
	Whitelist    *whitelist.Diff
	WhitelistErr string
	// Other are the changed files outside the registry.
	Other    []string
	Findings []registry.Finding
	Approval Approval
}

// Box is what happens to one DRIMbox.
type Box struct {
	ID int
	// Operator is the operator owning the head record (the base one when
	// the record is deleted); Denomination its legal name.
	Operator, Denomination string
	Procedure              lifecycle.Procedure
	// Allowed is false for a status change the lifecycle forbids.
	Allowed  bool
	ANSOnly  bool
	From, To registry.Status
	Deleted  bool
	// DB and VI are the national names and the hosts they point to.
	DB, VI         string
	DBHost, VIHost string
	// FormerOperator is set for an operator switch, with what control of
	// the national names passes from.
	FormerOperator string
	Former         *Handover
	Changes        []Field
	Deadlines      []Deadline
	// Missing is what the dossier lacks for MissingFor.
	Missing    []validation.Requirement
	MissingFor registry.Status
}

// Handover is what an operator switch takes from the former operator:
// control of the national names, which pointed at its hosts and presented
// its server certificate.
type Handover struct {
	Denomination string
	// Hosts are the db and vi hosts the names pointed to before.
	Hosts string
	// Serial is the former operator's server certificate serial;
	// CertKept tells whether the head still presents that certificate.
	Serial   string
	CertKept bool
	// Due is the former operator's revocation deadline.
	Due string
}

func hostsOf(d *registry.DRIMbox) string {
	if d.Endpoints.VI == "" {
		return d.Endpoints.DB
	}
	return d.Endpoints.DB + " · " + d.Endpoints.VI
}

// Field is one changed field of a record.
type Field struct {
	Name, Old, New string
}

// Deadline is a date the change starts or that comes close.
type Deadline struct {
	What string
	Due  string // YYYY-MM-DD
	Days int    // from Now's date; negative when past
}

// OperatorChange is a new or changed operator record.
type OperatorChange struct {
	ID           string
	Denomination string
	New          bool
	Changes      []Field
}

// Make computes the plan of a change.
func Make(in Input) *Plan {
	c := in.Change
	p := &Plan{Author: c.Author, BaseSHA: in.BaseSHA, HeadSHA: in.HeadSHA, Now: in.Now, Findings: in.Findings}
	zone := c.Head.TrustSpace.Zone
	for _, bc := range c.Boxes() {
		p.Boxes = append(p.Boxes, makeBox(c, bc, zone, in.Now))
	}
	p.Operators = operatorChanges(c)
	p.Settings = settingsChanged(c)
	if slices.Contains(p.Settings, "conditions.yaml") {
		p.Catalogue = catalogueImpacts(c)
	}
	p.Whitelist, p.WhitelistErr = whitelistDiff(c)
	regDir := strings.Trim(in.RegistryDir, "/")
	for _, f := range in.Files {
		if regDir == "" || (f != regDir && !strings.HasPrefix(f, regDir+"/")) {
			p.Other = append(p.Other, f)
		}
	}
	slices.Sort(p.Other)
	p.Other = slices.Compact(p.Other)
	p.Approval = approval(c, p, in)
	return p
}

func makeBox(c *lifecycle.Change, bc lifecycle.BoxChange, zone string, now time.Time) Box {
	b := Box{ID: bc.Identifiant, Procedure: bc.Procedure}
	rec := bc.Head
	if rec == nil {
		rec, b.Deleted = bc.Base, true
	}
	b.Operator = rec.Operator
	if op := c.Head.Operators[rec.Operator]; op != nil {
		b.Denomination = op.Denomination
	} else if op := c.Base.Operators[rec.Operator]; op != nil {
		b.Denomination = op.Denomination
	}
	b.DB, b.DBHost = rec.DBName(zone), rec.Endpoints.DB
	if rec.Endpoints.VI != "" {
		b.VI, b.VIHost = rec.VIName(zone), rec.Endpoints.VI
	}
	if bc.Base != nil {
		b.From = bc.Base.Status
	}
	if b.Deleted {
		return b
	}
	b.To = bc.Head.Status
	t, ok := lifecycle.Lookup(b.From, b.To)
	b.Allowed, b.ANSOnly = ok && b.From != registry.StatusWithdrawn, ok && t.ANSOnly
	if bc.Switch {
		b.FormerOperator = bc.Base.Operator
		b.Former = &Handover{Hosts: hostsOf(bc.Base), Serial: bc.Base.Certificates.Server.Serial,
			CertKept: bc.Base.Certificates.Server.SHA256 == bc.Head.Certificates.Server.SHA256}
		if op := c.Base.Operators[bc.Base.Operator]; op != nil {
			b.Former.Denomination = op.Denomination
		}
		if n := len(bc.Head.Switches); n > 0 {
			b.Former.Due = bc.Head.Switches[n-1].RevocationDue
		}
	}
	b.Changes = boxFields(bc.Base, bc.Head)
	b.Deadlines = boxDeadlines(c.Head, bc.Head, now)
	b.MissingFor = missingTarget(b.Procedure, bc.Head.Status)
	if b.MissingFor != "" {
		b.Missing = validation.Missing(c.Head, bc.Head, b.MissingFor)
	}
	return b
}

// missingTarget is the status whose requirements the checklist shows: the
// one the procedure reaches, or for a declaration the next step.
func missingTarget(p lifecycle.Procedure, head registry.Status) registry.Status {
	switch p {
	case lifecycle.Declaration:
		return registry.StatusIntegrating
	case lifecycle.Withdrawal, lifecycle.Exclusion:
		return ""
	}
	switch head {
	case registry.StatusIntegrating, registry.StatusOperational, registry.StatusReintegrating:
		return head
	}
	return ""
}

func operatorChanges(c *lifecycle.Change) []OperatorChange {
	var out []OperatorChange
	ids := make([]string, 0, len(c.Head.Operators))
	for id := range c.Head.Operators {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		h, b := c.Head.Operators[id], c.Base.Operators[id]
		oc := OperatorChange{ID: id, Denomination: h.Denomination, New: b == nil}
		if b == nil {
			b = &registry.Operator{}
		}
		oc.Changes = operatorFields(b, h)
		if oc.New || len(oc.Changes) > 0 {
			out = append(out, oc)
		}
	}
	return out
}

func settingsChanged(c *lifecycle.Change) []string {
	base, head := files(c.BaseFiles), files(c.HeadFiles)
	var out []string
	for _, name := range []string{"trust-space.yaml", "conditions.yaml"} {
		if !bytes.Equal(base[name], head[name]) {
			out = append(out, name)
		}
	}
	return out
}

func files(fs []registry.File) map[string][]byte {
	m := make(map[string][]byte, len(fs))
	for _, f := range fs {
		m[f.Path] = f.Data
	}
	return m
}

// whitelistDiff compares the entries the base and the head publish. The
// dates of the entries are left out: they come from the merge itself.
func whitelistDiff(c *lifecycle.Change) (*whitelist.Diff, string) {
	base, err := whitelist.Entries(c.Base)
	if err != nil {
		return nil, "the base registry gives no list: " + err.Error()
	}
	head, err := whitelist.Entries(c.Head)
	if err != nil {
		return nil, "the registry after the merge gives no list: " + err.Error()
	}
	settings := func(r *registry.Registry) (string, string) {
		ns, vf := r.TrustSpace.Whitelist.Namespace, r.TrustSpace.Whitelist.VersionFormat
		return cmpOr(ns, whitelist.DefaultNamespace), cmpOr(vf, whitelist.VersionFormat)
	}
	bns, bvf := settings(c.Base)
	hns, hvf := settings(c.Head)
	return whitelist.Compare(&whitelist.List{Namespace: bns, VersionFormat: bvf, Domains: base},
		&whitelist.List{Namespace: hns, VersionFormat: hvf, Domains: head}), ""
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
