package whitelist

import (
	"fmt"
	"time"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// Build makes the list of the registry's operational DRIMboxes, sorted by
// Identifiant, generated at at. updated gives each entry's DateMAJ (see
// Dates); an entry it lacks gets at. The namespace and format version come
// from trust-space.yaml.
func Build(reg *registry.Registry, updated map[int]time.Time, at time.Time) (*List, error) {
	l, _, err := BuildHolding(reg, nil, nil, updated, at)
	return l, err
}

// Entries returns the published fields of every operational DRIMbox,
// without DateMAJ, in Identifiant order. Two registries whose entries are
// equal publish the same list but for the dates.
func Entries(reg *registry.Registry) ([]Domain, error) {
	zone := reg.TrustSpace.Zone
	if zone == "" {
		return nil, fmt.Errorf("trust-space.yaml has no zone")
	}
	var out []Domain
	for _, d := range reg.Operational() {
		op := reg.Operators[d.Operator]
		if op == nil {
			return nil, fmt.Errorf("DRIMbox %d names operator %q, which has no record", d.Identifiant, d.Operator)
		}
		e := Domain{
			ID:             d.Identifiant,
			DB:             d.DBName(zone),
			Denomination:   op.Denomination,
			CertDN:         d.Certificates.Server.DN,
			SupportContact: d.SupportContact,
		}
		if d.Endpoints.VI != "" {
			e.VI = d.VIName(zone)
		}
		out = append(out, e)
	}
	return out, nil
}
