package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/atomicfile"
	"github.com/drim-m/trust-space/tool/internal/dossier"
)

type dossierDigestOptions struct {
	env         *Env
	registry    string
	registrySet bool
	zed         string
	record      string
}

func newDossierDigestCmd(env *Env) *cobra.Command {
	opts := &dossierDigestOptions{env: env}
	cmd := &cobra.Command{
		Use:   "digest --zed DIR RECORD",
		Short: "Fill the record's document digests from a ZED container unpacked in a folder",
		Long: `Compute the SHA-256 of every document, attestation and VA the record lists,
from the ZED container unpacked in DIR, and write each into the record's
sha256 field, leaving the rest of the file as it is. Files the container
holds but the record does not list are printed with their digest, to add
under dossier.documents. Then run 'drimm dossier verify' for the templates'
rules.

Exit status 1 when a listed file is missing from the container or an entry
has no sha256 field to fill (the record is written all the same).`,
		Example: `  drimm dossier digest --zed ~/ZED-2026-000003 3`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.zed == "" {
				return usageError("unpack the ZED container into a folder and pass it with --zed DIR", "--zed is required")
			}
			opts.record = args[0]
			opts.registrySet = cmd.Flags().Changed("registry")
			return runDossierDigest(cmd.Context(), opts)
		},
		ValidArgsFunction: completeDRIMboxes(env),
	}
	f := cmd.Flags()
	f.StringVar(&opts.registry, "registry", "registry", "registry folder (default: the one holding RECORD when it is a path)")
	f.StringVar(&opts.zed, "zed", "", "folder holding the unpacked ZED container (required)")
	cmd.MarkFlagDirname("zed")
	return cmd
}

func runDossierDigest(ctx context.Context, opts *dossierDigestOptions) error {
	env := opts.env
	dir := env.Path(opts.zed)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return usageError("unpack the ZED container into a folder and pass it with --zed DIR", "no folder at %s", opts.zed)
	}
	r, d, _, err := findDRIMbox(env, opts.registry, opts.registrySet, opts.record)
	if err != nil {
		return err
	}
	display := filepath.ToSlash(filepath.Clean(opts.zed))
	rep, err := dossier.Verify(ctx, r, d, dir, display)
	if err != nil {
		return envError("check that the container folder is readable", err)
	}
	digests := map[string]string{}
	problems := 0
	for _, f := range rep.Files {
		switch {
		case f.Match:
		case f.Shared:
			// The digest lives in operator.yaml, shared by every
			// DRIMbox of the operator: say so rather than rewrite it.
			problems++
			fmt.Fprintf(env.Stderr, "%s: %s is %s; its digest there is not the container's %s: update it if this is the new version\n",
				d.Source.Path, f.Name, f.What, f.SHA256)
		default:
			digests[strings.Join(f.Field, ".")] = f.SHA256
		}
	}
	recordPath := env.Path(d.Source.Path)
	if len(digests) > 0 {
		src, err := os.ReadFile(recordPath)
		if err != nil {
			return envError("check the record's permissions", err)
		}
		out, missing, err := dossier.SetDigests(src, digests)
		if err != nil {
			return envError("fix the record's YAML first (drimm validate)", err)
		}
		for _, m := range missing {
			problems++
			fmt.Fprintf(env.Stderr, "%s: %s has no sha256 field; add sha256: %s\n", d.Source.Path, m, digests[m])
		}
		if err := atomicfile.Write(recordPath, out, 0o644); err != nil {
			return envError("check that the record is writable", err)
		}
	}
	for _, f := range rep.Findings {
		switch f.Rule {
		case dossier.RuleMissing, dossier.RuleUnlisted, dossier.RuleAmbiguous, dossier.RuleSymlink, dossier.RulePath:
			fmt.Fprintln(env.Stdout, f.String())
			if f.Rule != dossier.RuleUnlisted {
				problems++
			}
		}
	}
	fmt.Fprintf(env.Stderr, "drimm: %s: %d digest(s) filled, %d already right\n", d.Source.Path, len(digests), countMatching(rep.Files))
	if problems > 0 {
		return withHint(findingsError("%d listed file(s) could not be digested", problems), "put the missing files in the container, or correct their names in the record")
	}
	return nil
}

func countMatching(files []dossier.File) int {
	n := 0
	for _, f := range files {
		if f.Match {
			n++
		}
	}
	return n
}
