package cli

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

func newDossierCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "dossier",
		Short: "Check a DRIMbox's integration dossier: the ZED container, what is still missing",
		Long: `The documents of a dossier travel in the ZED container, never in git; the
DRIMbox's record holds their names and SHA-256 digests. 'dossier verify'
checks a received container against the record; 'dossier status' lists what
the record still lacks for its next step.

RECORD names a DRIMbox by its Identifiant (7), its national name (db7) or
the path of its record (registry/operators/<operator>/drimboxes/7.yaml).`,
	}
	cmd.AddCommand(newDossierVerifyCmd(env), newDossierStatusCmd(env), newDossierDigestCmd(env), newDossierFillCmd(env))
	return cmd
}

// findDRIMbox loads the registry and returns the DRIMbox a RECORD argument
// names: an Identifiant, a db name, or the path of its record. A record
// path outside --registry's default names its own registry. The findings
// of the record itself (schema, layout) come along: a record is decoded
// when its shape allows, even with findings.
func findDRIMbox(env *Env, regFlag string, regSet bool, arg string) (*registry.Registry, *registry.DRIMbox, []registry.Finding, error) {
	dir := env.Path(regFlag)
	var recordPath string
	id, isID := parseIdentifiant(arg)
	if !isID {
		recordPath = env.Path(arg)
		if st, err := os.Stat(recordPath); err != nil || st.IsDir() {
			if err == nil || errors.Is(err, fs.ErrNotExist) {
				return nil, nil, nil, usageError("name the DRIMbox by its Identifiant (7), its db name (db7) or the path of its record", "no record file at %s", arg)
			}
			return nil, nil, nil, envError("check the file's permissions", err)
		}
		if !regSet {
			if reg, ok := registryOfRecord(recordPath); ok {
				dir = reg
			}
		}
	}
	r, findings, err := loadRegistry(env, dir)
	if err != nil {
		return nil, nil, nil, err
	}
	own := func(p string) []registry.Finding {
		var out []registry.Finding
		for _, f := range findings {
			if f.Path == p {
				out = append(out, f)
			}
		}
		registry.SortFindings(out)
		return out
	}
	if isID {
		if d := r.DRIMbox(id); d != nil {
			return r, d, own(d.Source.Path), nil
		}
		return nil, nil, nil, usageError("list the DRIMboxes with 'ls "+displayPath(env, dir)+"/operators/*/drimboxes'", "no DRIMbox %d in %s", id, displayPath(env, dir))
	}
	want := displayPath(env, recordPath)
	for _, d := range r.DRIMboxes {
		if d.Source != nil && d.Source.Path == want {
			return r, d, own(want), nil
		}
	}
	if fs := own(want); len(fs) > 0 {
		return nil, nil, nil, reportFindings(env, fs, "the record does not load (%d finding(s)); fix it first (drimm validate)")
	}
	return nil, nil, nil, usageError("pass --registry DIR, the registry the record belongs to", "%s is not a DRIMbox record of the registry %s", want, displayPath(env, dir))
}

// parseIdentifiant reads "7", "db7" or "db7.<zone>".
func parseIdentifiant(arg string) (int, bool) {
	s := strings.TrimPrefix(arg, "db")
	if i := strings.IndexByte(s, '.'); i >= 0 && s != arg {
		s = s[:i]
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0 && !strings.ContainsAny(s, "+-")
}

// registryOfRecord returns the registry folder of a path shaped like
// <registry>/operators/<operator>/drimboxes/<file>.yaml.
func registryOfRecord(p string) (string, bool) {
	drimboxes := filepath.Dir(p)
	operator := filepath.Dir(drimboxes)
	operators := filepath.Dir(operator)
	if filepath.Base(drimboxes) != "drimboxes" || filepath.Base(operators) != "operators" {
		return "", false
	}
	return filepath.Dir(operators), true
}
