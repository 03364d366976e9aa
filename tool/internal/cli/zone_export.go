package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/atomicfile"
	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/validation"
	"github.com/drim-m/trust-space/tool/internal/zone"
)

type zoneExportOptions struct {
	env       *Env
	registry  string
	out       string
	previous  string
	serial    uint32
	serialSet bool
	addresses []string
}

func newZoneExportCmd(env *Env) *cobra.Command {
	opts := &zoneExportOptions{env: env}
	cmd := &cobra.Command{
		Use:   "export [--out FILE]",
		Short: "Write the BIND zone file of the national names",
		Long: `Write the zone of trust-space.yaml as a BIND zone file: SOA and NS from the
dns settings of trust-space.yaml, and a CNAME for db<Identifiant> and
vi<Identifiant> (vi only when the record has a vi endpoint) of every DRIMbox
that is integrating or operational. Withdrawn and excluded DRIMboxes have
no records; their names stay reserved in the registry for ever. The
registry must validate: a zone is never exported from a broken registry.

The serial grows: it is today's date serial (YYYYMMDD00), or the previous
serial plus one when that is not greater. The previous zone is --previous,
or --out when that file exists; when the export is identical to it, the
serial and the file stay as they are. --serial N sets the serial, which
must be greater than the previous one when the content changed.

Nameservers inside the zone need their addresses in the zone (glue): give
them with --ns-address NAME=ADDRESS, once per address.

Check the result with: named-checkzone <zone> FILE.`,
		Example: `  drimm zone export --out /var/lib/drimm/test.mesimagesmedicales.fr.zone \
    --ns-address ns1.test.mesimagesmedicales.fr=192.0.2.53 \
    --ns-address ns2.test.mesimagesmedicales.fr=198.51.100.53
  drimm zone export --previous published.zone --serial 2026113005 > next.zone`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.serialSet = cmd.Flags().Changed("serial")
			return runZoneExport(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.registry, "registry", "registry", "registry folder")
	f.StringVar(&opts.out, "out", "", "zone file to write (default: standard output)")
	f.StringVar(&opts.previous, "previous", "", "zone file last published, whose serial the new one exceeds (default: --out when it exists)")
	f.Uint32Var(&opts.serial, "serial", 0, "serial to use instead of the computed one")
	f.StringArrayVar(&opts.addresses, "ns-address", nil, "NAME=ADDRESS of a nameserver inside the zone (repeatable)")
	return cmd
}

func runZoneExport(_ context.Context, opts *zoneExportOptions) error {
	env := opts.env
	glue, err := parseNSAddresses(opts.addresses)
	if err != nil {
		return err
	}
	r, findings, err := loadRegistry(env, env.Path(opts.registry))
	if err != nil {
		return err
	}
	findings = append(findings, validation.Check(r)...)
	if len(findings) > 0 {
		return reportFindings(env, findings, "the registry has %d finding(s); no zone is exported from it (run drimm validate)")
	}
	z, findings, err := zone.Build(r, glue)
	if err != nil {
		return usageError("give --ns-address only for the nameservers of trust-space.yaml that lie inside the zone", "%v", err)
	}
	if len(findings) > 0 {
		return reportFindings(env, findings, "%d nameserver(s) inside the zone lack an address")
	}
	previous, err := readPrevious(env, opts)
	if err != nil {
		return err
	}
	serial, changed, err := zone.NextSerial(z, previous, env.Now())
	if err != nil {
		return usageError("pass the zone file last published with --previous, or --serial N", "%v", err)
	}
	if opts.serialSet {
		if serial, changed, err = explicitSerial(z, previous, opts.serial); err != nil {
			return err
		}
	}
	data := z.Render(serial)
	if opts.out == "" {
		if _, err := env.Stdout.Write(data); err != nil {
			return envError("", fmt.Errorf("writing the zone: %w", err))
		}
	} else if out := env.Path(opts.out); changed || !sameFile(out, data) {
		if err := atomicfile.Write(out, data, 0o644); err != nil {
			return envError("check that the folder of --out is writable", err)
		}
	}
	state := "new serial"
	if !changed {
		state = "unchanged"
	}
	fmt.Fprintf(env.Stderr, "drimm: zone %s, serial %d (%s): %d name(s)\n", r.TrustSpace.Zone, serial, state, len(z.Records))
	return nil
}

// explicitSerial checks --serial against the previous zone: secondaries
// only load a zone whose serial is greater.
func explicitSerial(z *zone.Zone, previous []byte, serial uint32) (uint32, bool, error) {
	if previous == nil {
		return serial, true, nil
	}
	prev, err := zone.ParseSerial(previous)
	if err != nil {
		return 0, false, usageError("pass the zone file last published with --previous", "reading the previous zone's serial: %v", err)
	}
	same := bytes.Equal(z.Render(prev), previous)
	switch {
	case serial == prev && same:
		return serial, false, nil
	case !zone.Greater(serial, prev):
		return 0, false, usageError(fmt.Sprintf("use a serial greater than %d, or leave --serial out", prev),
			"--serial %d is not greater than the previous zone's serial %d; secondaries would keep the old zone", serial, prev)
	}
	return serial, true, nil
}

func readPrevious(env *Env, opts *zoneExportOptions) ([]byte, error) {
	p, required := opts.previous, true
	if p == "" {
		p, required = opts.out, false
	}
	if p == "" {
		return nil, nil
	}
	data, err := os.ReadFile(env.Path(p))
	switch {
	case errors.Is(err, fs.ErrNotExist) && !required:
		return nil, nil
	case errors.Is(err, fs.ErrNotExist):
		return nil, usageError("pass the zone file last published", "no previous zone at %s", p)
	case err != nil:
		return nil, envError("check the file's permissions", err)
	}
	return data, nil
}

func parseNSAddresses(specs []string) (map[string][]netip.Addr, error) {
	glue := map[string][]netip.Addr{}
	for _, s := range specs {
		name, addr, ok := strings.Cut(s, "=")
		a, err := netip.ParseAddr(strings.TrimSpace(addr))
		if !ok || name == "" || err != nil {
			return nil, usageError("write --ns-address ns1.example.org=192.0.2.53 or =2001:db8::53", "--ns-address %q is not NAME=ADDRESS", s)
		}
		glue[name] = append(glue[name], a)
	}
	return glue, nil
}

// reportFindings prints findings on stderr and returns a findings error.
func reportFindings(env *Env, findings []registry.Finding, format string) error {
	registry.SortFindings(findings)
	for _, f := range findings {
		fmt.Fprintln(env.Stderr, f.String())
	}
	return findingsError(format, len(findings))
}

func sameFile(p string, data []byte) bool {
	old, err := os.ReadFile(p)
	return err == nil && bytes.Equal(old, data)
}
