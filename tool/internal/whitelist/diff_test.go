package whitelist

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCompare(t *testing.T) {
	old := buildTestList(t)
	next := buildTestList(t)
	next.Generated = old.Generated.Add(24 * time.Hour)
	next.Domains[0].CertDN = strings.Replace(next.Domains[0].CertDN, "OU=391230001900017", "OU=391230001900018", 1)
	next.Domains = next.Domains[:1]
	next.Domains = append(next.Domains, Domain{ID: 40, DB: "db40.test.mesimagesmedicales.fr", Denomination: "NOUVEL OPERATEUR",
		CertDN: "CN=db40.test.mesimagesmedicales.fr,OU=3,O=X,ST=Paris (75),C=FR", SupportContact: "support@nouvel.example", Updated: next.Generated})

	d := Compare(old, next)
	if got := []int{d.Added[0].ID, d.Removed[0].ID, d.Changed[0].ID}; !cmp.Equal(got, []int{40, 12, 3}) {
		t.Errorf("added, removed, changed = %v", got)
	}
	if diff := cmp.Diff([]FieldChange{{"DNCertificatOperateur",
		"CN=db3.test.mesimagesmedicales.fr,OU=391230001900017,O=CENTRE D'IMAGERIE FICTIF,ST=Côte-d'Or (21),C=FR",
		"CN=db3.test.mesimagesmedicales.fr,OU=391230001900018,O=CENTRE D'IMAGERIE FICTIF,ST=Côte-d'Or (21),C=FR"}}, d.Changed[0].Fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	var b strings.Builder
	if err := d.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"2 → 2 DRIMbox(es)",
		"1 added, 1 removed, 1 changed.",
		"Added DRIMbox 40 (db40.test.mesimagesmedicales.fr), operated by NOUVEL OPERATEUR",
		"Removed DRIMbox 12 (db12.test.mesimagesmedicales.fr), operated by TÉLÉRADIO D'EXEMPLE: DRIMboxes will stop trusting it",
		"certificate DN (DNCertificatOperateur): CN=db3.test.mesimagesmedicales.fr,OU=391230001900017",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the text lacks %q:\n%s", want, b.String())
		}
	}
	if !Compare(old, old).Empty() {
		t.Error("a list differs from itself")
	}
}
