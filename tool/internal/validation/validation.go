// Package validation applies the trust space's cross-record rules to a
// loaded registry: unique Identifiants, ZED containers, server
// certificates and hosts, records where their operator and Identifiant
// say, complete dossiers for DRIMboxes past declaration, certificate
// subjects that name their own db name, and functional mailboxes for
// contacts.
package validation

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/drim-m/trust-space/tool/internal/mailbox"
	"github.com/drim-m/trust-space/tool/internal/registry"
)

// Check returns the findings of every cross-record rule.
func Check(r *registry.Registry) []registry.Finding {
	c := &checker{r: r}
	// The next list is built beside the other rules, as it only reads the
	// registry; its findings count only when no other rule has any (see
	// published): on a registry with findings the work is thrown away, for
	// a shorter wait on the registry without.
	next := make(chan []registry.Finding, 1)
	go func() {
		n := &checker{r: r}
		n.nextList()
		next <- n.out
	}()
	records := perRecord(r)
	c.conditions()
	c.trustSpace()
	for _, id := range sortedKeys(r.Operators) {
		c.operator(r.Operators[id])
	}
	c.uniqueness()
	c.shared()
	c.identities()
	for _, rec := range records {
		c.out = append(c.out, rec.own...)
	}
	c.published(records)
	if fs := <-next; len(c.out) == 0 {
		c.out = fs
	}
	return c.out
}

type checker struct {
	r   *registry.Registry
	out []registry.Finding
}

func (c *checker) add(src *registry.Source, rule string, path []string, format string, args ...any) {
	c.out = append(c.out, src.Finding(rule, path, format, args...))
}

func f(path ...string) []string { return path }

func (c *checker) conditions() {
	src := c.r.ConditionsSource()
	if src == nil {
		return
	}
	seen := map[string]int{}
	for i, cond := range c.r.Conditions {
		if j, dup := seen[cond.ID]; dup {
			c.add(src, "COND-UNIQUE", f("conditions", strconv.Itoa(i), "id"),
				"condition %s is defined twice (also item %d); give each condition its own id", cond.ID, j+1)
		}
		seen[cond.ID] = i
		if cond.Attestation != nil && cond.AnsweredBy != "both" {
			for _, s := range cond.Attestation.Signers {
				if s != cond.AnsweredBy && s != "subcontractor" {
					c.add(src, "COND-ATTESTATION", f("conditions", strconv.Itoa(i), "attestation", "signers"),
						"condition %s is answered by the %s but its attestation asks the %s to sign; make them agree", cond.ID, cond.AnsweredBy, s)
				}
			}
		}
	}
	if _, ok := seen["COND-01"]; !ok && len(c.r.Conditions) > 0 {
		c.add(src, "COND-UNIQUE", f("conditions"), "the catalogue has no COND-01 (Définir le périmètre de responsabilités entre parties); add it")
	}
}

func (c *checker) trustSpace() {
	src := c.r.TrustSpaceSource()
	if src == nil {
		return
	}
	ts := c.r.TrustSpace
	if ts.Probe.Timeout.Duration > ts.Probe.Interval.Duration {
		c.add(src, "TRUST-SPACE", f("probe", "timeout"), "probe timeout %s is longer than the interval %s; shorten the timeout", ts.Probe.Timeout, ts.Probe.Interval)
	}
	if ts.Whitelist.MaxAge.Duration < ts.Whitelist.Validity.Duration {
		c.add(src, "TRUST-SPACE", f("whitelist", "max_age"), "max_age %s is shorter than validity %s: DRIMboxes would refuse a list before the next one is due; raise max_age", ts.Whitelist.MaxAge, ts.Whitelist.Validity)
	}
}

func (c *checker) operator(o *registry.Operator) {
	if o.Source == nil {
		return
	}
	if !luhn(o.SIREN) {
		c.add(o.Source, "OPERATOR-SIREN", f("siren"), "SIREN %s fails its check digit (Luhn); copy it again from the operator's Kbis", o.SIREN)
	}
	c.mailbox(o.Source, f("contacts", "support"), o.Contacts.Support)
	c.mailbox(o.Source, f("contacts", "security"), o.Contacts.Security)
	if o.Contacts.Guichet != "" {
		c.mailbox(o.Source, f("contacts", "guichet"), o.Contacts.Guichet)
	}
}

// uniqueness checks the trust-space-wide unique keys: Identifiant, ZED
// container and order.
func (c *checker) uniqueness() {
	ids := map[int]*registry.DRIMbox{}
	containers := map[string]*registry.DRIMbox{}
	orders := map[string]*registry.DRIMbox{}
	for _, d := range c.r.DRIMboxes {
		if prev, dup := ids[d.Identifiant]; dup {
			c.add(d.Source, "ID-UNIQUE", f("identifiant"),
				"Identifiant %d is already used by %s; take the next free one with 'drimm new drimbox'", d.Identifiant, prev.Source.Path)
		} else {
			ids[d.Identifiant] = d
		}
		z := d.Dossier.ZED
		if z.Container != "" {
			if prev, dup := containers[z.Container]; dup {
				c.add(d.Source, "ZED-UNIQUE", f("dossier", "zed", "container"),
					"ZED container %s already serves DRIMbox %d (%s); a container serves one DRIMbox order, use the container of this order", z.Container, prev.Identifiant, prev.Source.Path)
			} else {
				containers[z.Container] = d
			}
		}
		if z.Order != "" {
			if prev, dup := orders[z.Order]; dup {
				c.add(d.Source, "ZED-UNIQUE", f("dossier", "zed", "order"),
					"order %s already belongs to DRIMbox %d (%s); each DRIMbox has its own order", z.Order, prev.Identifiant, prev.Source.Path)
			} else {
				orders[z.Order] = d
			}
		}
	}
}

func (c *checker) drimbox(d *registry.DRIMbox) {
	if d.Unchanged() {
		// Read for the cross-record rules only, unchanged since the
		// base revision where its own rules were applied.
		return
	}
	src := d.Source
	_, op, stem := splitPath(src.Path)
	if stem != "" && stem != strconv.Itoa(d.Identifiant) {
		c.add(src, "PATH-MATCH", f("identifiant"), "record file %s.yaml does not match Identifiant %d; the file must be named %d.yaml", stem, d.Identifiant, d.Identifiant)
	}
	if op != "" && op != d.Operator {
		c.add(src, "PATH-MATCH", f("operator"), "operator %q does not match the folder operators/%s/; move the file or fix the operator", d.Operator, op)
	}
	if _, ok := c.r.Operators[d.Operator]; !ok {
		c.add(src, "OPERATOR-EXISTS", f("operator"), "operator %q has no record operators/%s/operator.yaml; ask the ANS to register the operator first", d.Operator, d.Operator)
	}
	c.mailbox(src, f("support_contact"), d.SupportContact)
	c.dn(d)
	c.endpoints(d)
	c.pacs(d)
	c.statusDetails(d)
	c.switches(d)
	c.answerDetails(d)
	switch d.Status {
	case registry.StatusIntegrating, registry.StatusOperational, registry.StatusReintegrating:
		c.dossier(d)
	}
}

func splitPath(p string) (prefix, op, stem string) {
	parts := strings.Split(p, "/")
	n := len(parts)
	if n < 4 || parts[n-2] != "drimboxes" || parts[n-4] != "operators" {
		return "", "", ""
	}
	return strings.Join(parts[:n-4], "/"), parts[n-3], strings.TrimSuffix(parts[n-1], ".yaml")
}

func (c *checker) endpoints(d *registry.DRIMbox) {
	zone := "." + c.r.TrustSpace.Zone
	for name, host := range map[string]string{"db": d.Endpoints.DB, "vi": d.Endpoints.VI} {
		if host != "" && c.r.TrustSpace.Zone != "" && (strings.HasSuffix(host, zone) || host == c.r.TrustSpace.Zone) {
			c.add(d.Source, "ENDPOINT", f("endpoints", name),
				"endpoint %s is inside the trust-space zone %s; point the national name at the operator's own host", host, c.r.TrustSpace.Zone)
		}
	}
}

func (c *checker) pacs(d *registry.DRIMbox) {
	seen := map[string]bool{}
	for i, p := range d.PACS {
		if seen[p.ID] {
			c.add(d.Source, "PACS-UNIQUE", f("pacs", strconv.Itoa(i), "id"), "PACS id %q appears twice; give each PACS its own id", p.ID)
		}
		seen[p.ID] = true
	}
}

func (c *checker) statusDetails(d *registry.DRIMbox) {
	switch d.Status {
	case registry.StatusExcluded:
		if d.Exclusion == nil {
			c.add(d.Source, "STATUS-DETAIL", f("status"), "an excluded DRIMbox records its exclusion; add exclusion: {on: YYYY-MM-DD, reason: …}")
		}
	case registry.StatusWithdrawn:
		if d.Withdrawal == nil {
			c.add(d.Source, "STATUS-DETAIL", f("status"), "a withdrawn DRIMbox records its withdrawal; add withdrawal: {on: YYYY-MM-DD, reason: …}")
		}
	case registry.StatusReintegrating:
		if d.Exclusion == nil {
			c.add(d.Source, "STATUS-DETAIL", f("status"), "a reintegrating DRIMbox keeps the record of its exclusion; restore exclusion: {on, reason}")
		}
	}
	if d.Withdrawal != nil && d.Status != registry.StatusWithdrawn {
		c.add(d.Source, "STATUS-DETAIL", f("withdrawal"), "withdrawal is recorded but status is %s; a withdrawal is final, set status: withdrawn", d.Status)
	}
}

func (c *checker) mailbox(src *registry.Source, path []string, v string) {
	if msg := mailbox.Problem(v); msg != "" {
		c.add(src, "CONTACT-MAILBOX", path, "%s", msg)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func luhn(s string) bool {
	if len(s) == 0 {
		return false
	}
	sum := 0
	for i := range len(s) {
		ch := s[len(s)-1-i]
		if ch < '0' || ch > '9' {
			return false
		}
		v := int(ch - '0')
		if i%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
