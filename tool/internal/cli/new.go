package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/atomicfile"
	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/validation"
)

func newNewCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "new",
		Short: "Scaffold a new record (DRIMbox or operator)",
	}
	cmd.AddCommand(newNewDRIMboxCmd(env), newNewOperatorCmd(env))
	return cmd
}

// scaffold checks a new record in the context of the registry it joins and
// writes it only when it validates; it never overwrites a record.
func scaffold(env *Env, regDir, rel string, content []byte) error {
	if !filepath.IsLocal(filepath.FromSlash(rel)) || path.Clean(rel) != rel {
		// A record's place comes from its fields: it never leaves the
		// registry, whatever a flag holds.
		return usageError("give an operator id of lowercase letters, digits and dashes", "%q is not a path inside the registry", rel)
	}
	full := filepath.Join(regDir, filepath.FromSlash(rel))
	if _, err := os.Lstat(full); err == nil {
		return usageError("records are never overwritten; edit the existing file instead", "%s already exists", displayPath(env, full))
	}
	files, err := registry.ReadDir(regDir)
	if err != nil {
		return envError("check that the registry is readable", err)
	}
	files = append(files, registry.File{Path: rel, Data: content, Size: int64(len(content))})
	prefix := displayPath(env, regDir)
	r, findings, err := registry.FromFiles(prefix, files)
	if err != nil {
		return envError("", err)
	}
	findings = append(findings, validation.Check(r)...)
	target := prefix + "/" + rel
	var own []registry.Finding
	for _, f := range findings {
		if f.Path == target {
			own = append(own, f)
		}
	}
	if len(own) > 0 {
		registry.SortFindings(own)
		for _, f := range own {
			fmt.Fprintln(env.Stderr, f.String())
		}
		return findingsError("the new record would not validate; nothing was written")
	}
	if err := atomicfile.Create(full, content, 0o644); err != nil {
		return envError("check that the registry folder is writable", err)
	}
	fmt.Fprintln(env.Stdout, displayPath(env, full))
	return nil
}

// nextIdentifiant is one more than every Identifiant ever given: records
// are never deleted, so the registry (files that do not parse included)
// holds them all.
func nextIdentifiant(regDir string) (int, error) {
	maxID := 0
	ops, err := os.ReadDir(filepath.Join(regDir, "operators"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return 0, err
	}
	for _, op := range ops {
		boxes, err := os.ReadDir(filepath.Join(regDir, "operators", op.Name(), "drimboxes"))
		if err != nil {
			continue
		}
		for _, b := range boxes {
			if n, err := strconv.Atoi(strings.TrimSuffix(b.Name(), ".yaml")); err == nil && n > maxID {
				maxID = n
			}
		}
	}
	r, _, err := registry.Load(regDir)
	if err != nil {
		return 0, err
	}
	for _, d := range r.DRIMboxes {
		maxID = max(maxID, d.Identifiant)
	}
	return maxID + 1, nil
}

func yamlString(s string) string { return strconv.Quote(s) }
