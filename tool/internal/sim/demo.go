package sim

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/drim-m/trust-space/tool/internal/site"
	"github.com/drim-m/trust-space/tool/internal/status"
)

// DemoOptions shape the demo.
type DemoOptions struct {
	// Out receives status/ (the probe data), site/ (the page) and root.pem
	// (the simulated PKI's root).
	Out string
	// HistoryDays of simulated history precede the real probe (default 30).
	HistoryDays int
	// Now is the clock.
	Now func() time.Time
	// Log receives progress.
	Log io.Writer
	// Infos name each DRIMbox's operator, its contacts and its PACS, by
	// Identifiant: the sample registry's, with drimm status demo. A
	// DRIMbox without one gets a fictional operator of its own.
	Infos map[int]site.Info
}

// DemoResult says what the demo produced.
type DemoResult struct {
	Run   *probe.Run
	Data  string
	Site  string
	Boxes []Box
}

// demoNotice is a fictional maintenance notice, as an operator would file it.
const demoNotice = `kind: maintenance
title: Mise à jour du DRIMbox 3 (démonstration)
author: alpha-imagerie
drimboxes: [3]
impact: minor
start: %s
end: %s
updates:
  - time: %s
    state: scheduled
    text: Mise à jour logicielle planifiée ; les examens restent consultables, avec des temps de réponse allongés.
`

// Demo starts the demo fleet on loopback, writes simulated history,
// probes the fleet for real, records the run and builds the page.
func Demo(ctx context.Context, o DemoOptions) (*DemoResult, error) {
	if o.HistoryDays == 0 {
		o.HistoryDays = 30
	}
	if o.Now == nil {
		return nil, fmt.Errorf("sim: DemoOptions.Now is required")
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	now := o.Now().UTC()
	// The simulated DRIMboxes report on the PACS the registry lists.
	pacs := map[int][]string{}
	for id, in := range o.Infos {
		for p := range in.PACS {
			pacs[id] = append(pacs[id], p)
		}
		slices.Sort(pacs[id])
	}
	fleet, err := Start(Options{Kinds: DemoKinds, SlowDelay: 1200 * time.Millisecond, Now: now, PACS: pacs})
	if err != nil {
		return nil, fmt.Errorf("starting the simulated DRIMboxes: %w", err)
	}
	defer fleet.Close()
	fmt.Fprintf(o.Log, "demo: %d simulated DRIMboxes on 127.0.0.1\n", len(fleet.Boxes))

	data := filepath.Join(o.Out, "status")
	fsys := status.Dir(data)
	if err := History(fsys, fleet.Boxes, now, o.HistoryDays, 5*time.Minute); err != nil {
		return nil, err
	}
	if err := writeDemoNotice(data, now); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(o.Out, "root.pem"), fleet.PKI.Root.CertPEM(), 0o644); err != nil {
		return nil, err
	}

	prober := probe.New(probe.Options{
		Roots: fleet.Roots(), Resolve: fleet.Resolve(), Canary: fleet.Canary,
		Timeout: 4 * time.Second, SlowAfter: 800 * time.Millisecond, Retries: 1, RetryDelay: 300 * time.Millisecond,
		Now: o.Now,
	})
	run := prober.Run(ctx, fleet.Targets())
	fmt.Fprintf(o.Log, "demo: %s\n", run.Summary())
	if err := status.Apply(fsys, run, 5*time.Minute); err != nil {
		return nil, err
	}
	notices, findings, err := status.LoadNotices(filepath.Join(data, status.NoticesDir), "status/notices", nil)
	if err != nil {
		return nil, err
	}
	for _, f := range findings {
		fmt.Fprintln(o.Log, f.String())
	}
	infos := map[int]site.Info{}
	for _, b := range fleet.Boxes {
		if in, ok := o.Infos[b.ID]; ok {
			infos[b.ID] = in
			continue
		}
		letter := string(rune('a' + (b.ID-1)%3))
		infos[b.ID] = site.Info{OperatorID: "operateur-fictif-" + letter, Operator: "Opérateur fictif " + strings.ToUpper(letter),
			Contacts: []site.Contact{{Role: site.RoleSupport, Mail: "support@operateur-fictif-" + letter + ".example"}},
			PACS:     map[string]string{"pacs-1": "PACS imagerie en coupe", "pacs-2": "PACS radiologie conventionnelle"}}
	}
	out := filepath.Join(o.Out, "site")
	if err := site.Build(site.Options{Data: fsys, Notices: notices, Infos: infos, Now: o.Now().UTC(), Out: out}); err != nil {
		return nil, err
	}
	fmt.Fprintf(o.Log, "demo: weather page in %s\n", filepath.Join(out, "index.html"))
	return &DemoResult{Run: run, Data: data, Site: out, Boxes: fleet.Boxes}, nil
}

func writeDemoNotice(data string, now time.Time) error {
	start := now.Add(48 * time.Hour).Truncate(time.Hour)
	f := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	body := fmt.Sprintf(demoNotice, f(start), f(start.Add(2*time.Hour)), f(now.Truncate(time.Minute)))
	name := filepath.Join(data, status.NoticesDir, start.Format("2006-01-02")+"-maintenance-drimbox-3.yaml")
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, []byte(body), 0o644)
}
