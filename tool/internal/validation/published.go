package validation

import (
	"strconv"
	"strings"
	"time"

	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/whitelist"
	"github.com/drim-m/trust-space/tool/listeblanche/xmltext"
)

// listCheckTime stands for the generation time when the next list is built
// in memory: the time is not what is checked, only that the entries make a
// list.
var listCheckTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// published checks every value the Liste Blanche or the weather page
// publishes with the list builder's own rule (package xmltext), on the
// values as the program reads them, then builds the next list in memory
// and reads it back (Check, beside the other rules), so that a registry
// without findings is one 'drimm whitelist build' turns into a list; any
// other finding already makes validate refuse the registry, and the list
// is not built from records with findings, so the build's findings would
// only say again what those say and are dropped. Withdrawn DRIMboxes are never
// published again and their records are frozen, so they are left out.
func (c *checker) published(records []recordFindings) {
	for _, id := range sortedKeys(c.r.Operators) {
		o := c.r.Operators[id]
		if o.Source != nil {
			c.text(o.Source, f("denomination"), "the denomination", o.Denomination)
		}
	}
	for _, rec := range records {
		c.out = append(c.out, rec.published...)
	}
}

// publishedRecord checks the values a DRIMbox publishes.
func (c *checker) publishedRecord(d *registry.DRIMbox) {
	if d.Status == registry.StatusWithdrawn || d.Source == nil || d.Unchanged() {
		return
	}
	c.text(d.Source, f("support_contact"), "the support contact", d.SupportContact)
	c.text(d.Source, f("certificates", "server", "dn"), "the server certificate's DN", d.Certificates.Server.DN)
	for i, p := range d.PACS {
		c.text(d.Source, f("pacs", strconv.Itoa(i), "id"), "the PACS id", p.ID)
		if p.Label != "" {
			c.text(d.Source, f("pacs", strconv.Itoa(i), "label"), "the PACS label", p.Label)
		}
	}
}

// text reports a published value XML or the list's schema cannot carry.
func (c *checker) text(src *registry.Source, path []string, what, v string) {
	if msg := xmltext.Problem(v, 0); msg != "" {
		c.add(src, "PUBLISHED-TEXT", path, "%s is published in the Liste Blanche or on the weather page, but %s", what, strings.TrimPrefix(msg, "the value "))
	}
}

// nextList builds the list as 'drimm whitelist build' would, writes it and
// reads it back: whatever the builder, the writer or a reader would refuse
// is a finding here, on the record it comes from when it can be told.
func (c *checker) nextList() {
	if c.r.TrustSpaceSource() == nil {
		return
	}
	l, err := whitelist.Build(c.r, nil, listCheckTime)
	if err == nil {
		var data []byte
		if data, err = whitelist.Marshal(l); err == nil {
			var back *whitelist.List
			if back, err = whitelist.Parse(data); err == nil {
				err = sameEntries(l, back)
			}
		}
	}
	if err == nil {
		return
	}
	src, path := c.r.TrustSpaceSource(), f("whitelist")
	for _, d := range c.r.Operational() {
		if strings.Contains(err.Error(), "Identifiant "+strconv.Itoa(d.Identifiant)+":") || strings.Contains(err.Error(), "DRIMbox "+strconv.Itoa(d.Identifiant)+" ") {
			src, path = d.Source, nil
			break
		}
	}
	c.add(src, "WHITELIST-BUILD", path, "the next Liste Blanche cannot be built from the registry: %v; fix this record so that the list can be published", err)
}

// sameEntries tells whether a list read back holds what was written.
func sameEntries(a, b *whitelist.List) error {
	if len(a.Domains) != len(b.Domains) {
		return errorf("the list read back holds %d entries instead of %d", len(b.Domains), len(a.Domains))
	}
	for i := range a.Domains {
		x, y := a.Domains[i], b.Domains[i]
		x.Updated, y.Updated = time.Time{}, time.Time{}
		if x != y {
			return errorf("Identifiant %d: the entry read back differs from the one written", x.ID)
		}
	}
	return nil
}
