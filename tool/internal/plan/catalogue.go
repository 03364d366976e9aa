package plan

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/drim-m/trust-space/tool/internal/lifecycle"
	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/validation"
)

// CatalogueImpact is what a new or changed condition of the catalogue does
// to the park: which DRIMboxes past declaration get a deadline (declared
// before the version applies) and which lack it at once (findings).
type CatalogueImpact struct {
	Condition, Title string
	New              bool
	AppliesFrom      string
	GraceDays        int
	// Due is the deadline of the DRIMboxes in Pending.
	Due     string
	Pending []int
	Failing []int
}

// catalogueImpacts compares the catalogue of the base and the head and,
// for each new or changed condition, sorts the head's DRIMboxes past
// declaration by what the change asks of them.
func catalogueImpacts(c *lifecycle.Change) []CatalogueImpact {
	base := map[string]registry.Condition{}
	for _, cond := range c.Base.Conditions {
		base[cond.ID] = cond
	}
	var out []CatalogueImpact
	for _, cond := range c.Head.Conditions {
		old, existed := base[cond.ID]
		if existed && reflect.DeepEqual(old, cond) {
			continue
		}
		im := CatalogueImpact{Condition: cond.ID, Title: cond.Title, New: !existed, AppliesFrom: cond.AppliesFrom, GraceDays: cond.GraceDays}
		for _, d := range c.Head.DRIMboxes {
			switch d.Status {
			case registry.StatusIntegrating, registry.StatusOperational, registry.StatusReintegrating:
			default:
				continue
			}
			if i := slices.IndexFunc(validation.Pending(c.Head, d), func(r validation.Requirement) bool { return r.Condition == cond.ID }); i >= 0 {
				im.Pending = append(im.Pending, d.Identifiant)
				im.Due = validation.Pending(c.Head, d)[i].Due
			} else if slices.ContainsFunc(validation.Missing(c.Head, d, d.Status), func(r validation.Requirement) bool { return r.Condition == cond.ID }) {
				im.Failing = append(im.Failing, d.Identifiant)
			}
		}
		out = append(out, im)
	}
	return out
}

func (p *Plan) catalogue(m *md) {
	for _, im := range p.Catalogue {
		what := "changes"
		if im.New {
			what = "is new"
		}
		version := "applies at once to every DRIMbox (no applies_from)"
		if im.AppliesFrom != "" {
			version = fmt.Sprintf("applies from %s with %d days of grace", im.AppliesFrom, im.GraceDays)
		}
		m.printf("- **Catalogue:** %s (%s) %s; it %s. ", code(im.Condition), text(im.Title), what, version)
		if len(im.Pending) == 0 && len(im.Failing) == 0 {
			m.line("Every DRIMbox past declaration already meets it.")
			continue
		}
		if len(im.Pending) > 0 {
			m.printf("%d DRIMbox(es) declared before get a deadline on %s: %s. ", len(im.Pending), im.Due, ids(im.Pending))
		}
		if len(im.Failing) > 0 {
			m.printf("**%d DRIMbox(es) lack it at once** (findings; each is held back from the Liste Blanche until its record meets it): %s.", len(im.Failing), ids(im.Failing))
		}
		m.line("")
	}
}

func ids(ns []int) string {
	s := make([]string, 0, min(len(ns), 20))
	for i, n := range ns {
		if i == 20 {
			s = append(s, fmt.Sprintf("and %d more", len(ns)-20))
			break
		}
		s = append(s, strconv.Itoa(n))
	}
	return strings.Join(s, ", ")
}
