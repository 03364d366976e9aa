package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/site"
	"github.com/drim-m/trust-space/tool/internal/status"
)

type statusBuildOptions struct {
	env      *Env
	data     string
	out      string
	registry string
	days     int
	baseURL  string
	contact  string
}

func newStatusBuildCmd(env *Env) *cobra.Command {
	opts := &statusBuildOptions{env: env}
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build the static weather page from status/",
		Long: `Build the Météo des DRIMbox as a static site in French. The index leads
with the overall state, the disturbed DRIMboxes and the incidents; the full
list is split into pages by number (liste/N.html) and by operator
(operateur/<operator>.html). Each DRIMbox has a page with its db and vi
access points, PACS, uptime over 24 hours, 7, 30 and 90 days, 90 days of
history and response times. Also written: incidents.html (every notice of
status/notices/*.yaml, ended ones included), accessibilite.html (the RGAA
accessibility statement), plan.html (site map), aide.html (help and
glossary), recherche.html (search by number or operator), 404.html (served
by GitHub Pages for a missing file; its links start at --base-url, or at
the host's root without it), mentions-legales.html and
donnees-personnelles.html (linked from every footer), dsfr/ (the Système de
Design de l'État's style sheets and fonts, built into drimm), status.json and a JSON file per DRIMbox
(schemas in schemas/), Atom feeds for the whole trust space, each operator
and each DRIMbox, and an SVG badge per DRIMbox. Times are shown in Paris
time; the pages need no JavaScript and call no API (recherche.js only
makes the search quicker where scripts run).

Operator names and PACS labels come from the registry when it is there.
The first build writes a new folder and swaps it in; later builds update
the folder in place, render again only the DRIMbox pages whose data
changed and write only the files whose bytes changed (.drimm-site records
what was written; delete it to force a full build).`,
		Example: `  drimm status build
  drimm status build --data status --out _site --base-url https://meteo.example.org`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runStatusBuild(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.data, "data", "status", "data folder written by drimm probe")
	f.StringVar(&opts.out, "out", "_site", "folder to write the site to (replaced)")
	f.StringVar(&opts.registry, "registry", "registry", "registry folder, for operator names and PACS labels (optional)")
	f.IntVar(&opts.days, "days", 90, "days of history to show")
	f.StringVar(&opts.baseURL, "base-url", "", "public address of the site, for the Atom feeds' links")
	f.StringVar(&opts.contact, "contact", site.DefaultContact, "mailbox named in the accessibility statement")
	return cmd
}

// check refuses flag values that mean nothing. runStatusBuild calls it
// first, so that no caller reaches the work without it.
func (opts *statusBuildOptions) check() error {
	if opts.days < 1 || opts.days > 366 {
		return usageError("give --days between 1 and 366", "--days %d out of range", opts.days)
	}
	return nil
}

func runStatusBuild(_ context.Context, opts *statusBuildOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	env := opts.env
	abs := env.Path
	data := abs(opts.data)
	if _, err := os.Stat(data); err != nil {
		return envError("run drimm probe first, or pass --data", fmt.Errorf("data folder: %w", err))
	}
	infos, known, err := siteInfos(abs(opts.registry))
	if err != nil {
		return err
	}
	notices, findings, err := status.LoadNotices(filepath.Join(data, status.NoticesDir), displayPath(env, filepath.Join(data, status.NoticesDir)), known)
	if err != nil {
		return envError("make status/notices readable", err)
	}
	for _, f := range findings {
		fmt.Fprintf(env.Stderr, "drimm: warning: %s (notice left out; drimm validate reports it)\n", f.String())
	}
	out := abs(opts.out)
	// Main's GOGC of 400 suits many small records kept to the end; the
	// site build makes ten times its live heap in short-lived pages, and
	// a heap five times the live one is fresh memory the kernel must
	// fault in and zero (900 MB at 5,000 DRIMboxes): collecting at the
	// default rate reuses it, and costs less CPU than the faults.
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	written, err := site.BuildCount(site.Options{Data: status.Dir(data), Notices: notices, Infos: infos, Now: env.Now(), Days: opts.days, Out: out, BaseURL: opts.baseURL, Contact: opts.contact})
	if err != nil {
		return envError("check the data folder and that the output folder is writable", err)
	}
	if written == 1 {
		fmt.Fprintln(env.Stderr, "wrote 1 file; the others were unchanged")
	} else {
		fmt.Fprintf(env.Stderr, "wrote %d files; the others were unchanged\n", written)
	}
	fmt.Fprintf(env.Stdout, "%s\n", filepath.Join(out, "index.html"))
	return nil
}

// siteInfos reads what the weather page shows of the registry at dir,
// and which Identifiants it knows; without a registry, nothing and all.
func siteInfos(dir string) (map[int]site.Info, func(int) bool, error) {
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return map[int]site.Info{}, func(int) bool { return true }, nil
	} else if err != nil {
		return nil, nil, envError("pass a readable --registry", err)
	}
	reg, _, err := registry.Load(dir)
	if err != nil {
		return nil, nil, envError("fix the registry or pass --registry", err)
	}
	return infosOf(reg), func(id int) bool { return reg.DRIMbox(id) != nil }, nil
}

func infosOf(reg *registry.Registry) map[int]site.Info {
	out := map[int]site.Info{}
	for _, d := range reg.DRIMboxes {
		info := site.Info{OperatorID: d.Operator, PACS: map[string]string{}}
		info.Support = d.SupportContact
		if op := reg.Operators[d.Operator]; op != nil {
			info.Operator = op.Denomination
			for _, c := range []site.Contact{{Role: site.RoleSupport, Mail: op.Contacts.Support},
				{Role: site.RoleSecurity, Mail: op.Contacts.Security}, {Role: site.RoleGuichet, Mail: op.Contacts.Guichet}} {
				if c.Mail != "" {
					info.Contacts = append(info.Contacts, c)
				}
			}
		}
		for _, p := range d.PACS {
			info.PACS[p.ID] = p.Label
		}
		out[d.Identifiant] = info
	}
	return out
}
