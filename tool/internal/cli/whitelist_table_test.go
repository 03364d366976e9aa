package cli

import (
	"bytes"
	"fmt"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/drim-m/trust-space/tool/internal/whitelist"
)

// The table verify prints is the one text/tabwriter would align, written
// in one go.
func TestWhitelistEntriesTable(t *testing.T) {
	at := time.Date(2026, 6, 19, 18, 6, 52, 0, time.UTC)
	l := &whitelist.List{Domains: []whitelist.Domain{
		{ID: 1, DB: "db1.test.mesimagesmedicales.fr", VI: "vi1.test.mesimagesmedicales.fr", Denomination: "ALPHA IMAGERIE FICTIVE SAS", Updated: at},
		{ID: 175, DB: "db175.test.mesimagesmedicales.fr", Denomination: "CENTRE D'IMAGERIE DE LA CÔTE-D'OR", Updated: at.Add(time.Hour)},
		{ID: 20000, DB: "db20000.test.mesimagesmedicales.fr", VI: "vi20000.test.mesimagesmedicales.fr", Denomination: "É", Updated: at},
	}}
	var want bytes.Buffer
	tw := tabwriter.NewWriter(&want, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "IDENTIFIANT\tDB\tVI\tDENOMINATION\tDATEMAJ")
	for _, d := range l.Domains {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", d.ID, d.DB, dashIfEmpty(d.VI), d.Denomination, whitelist.FormatTime(d.Updated))
	}
	tw.Flush()
	var got bytes.Buffer
	if err := writeWhitelistEntries(&got, l); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("table:\n%s\nwant:\n%s", got.String(), want.String())
	}
}
