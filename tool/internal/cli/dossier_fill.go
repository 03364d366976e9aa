package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/atomicfile"
	"github.com/drim-m/trust-space/tool/internal/dossier"
)

type dossierFillOptions struct {
	env         *Env
	registry    string
	registrySet bool
	zed         string
	record      string
}

func newDossierFillCmd(env *Env) *cobra.Command {
	opts := &dossierFillOptions{env: env}
	cmd := &cobra.Command{
		Use:   "fill --zed DIR RECORD",
		Short: "Write the record's dossier from a ZED container unpacked in a folder",
		Long: `Write the dossier of a DRIMbox's record from the ZED container unpacked in
DIR, so that no entry is typed by hand:

  - each document named COND-xx_<kind>.<ext> goes under dossier.documents
    with its condition, kind, name and SHA-256;
  - each attestation named COND-xx_attestation-<kind>.<ext> goes under
    dossier.attestations with its digest and its signers as the conditions
    catalogue names them, each with the function the ANS's models name
    (Représentant légal for the operator, Direction de l'établissement for
    the Client): correct it when another function signed;
  - an entry already listed keeps its place and gets its digest brought up
    to date;
  - each party of each applicable condition that has not answered gets the
    answer en-cours, which it replaces with its own (conforme once met).

These are the names 'drimm explain COND-xx' suggests. Only the record's
top-level dossier block is rewritten; the rest of the file stays as it is.
Files whose names say neither condition nor kind are listed with what to do.

Exit status 1 when a file could not be placed or the container has a
problem (the record is written all the same); then 'drimm dossier status'
lists what the dossier still lacks.`,
		Example: `  drimm dossier fill --zed ~/ZED-2026-000003 3`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.zed == "" {
				return usageError("unpack the ZED container into a folder and pass it with --zed DIR", "--zed is required")
			}
			opts.record = args[0]
			opts.registrySet = cmd.Flags().Changed("registry")
			return runDossierFill(cmd.Context(), opts)
		},
		ValidArgsFunction: completeDRIMboxes(env),
	}
	f := cmd.Flags()
	f.StringVar(&opts.registry, "registry", "registry", "registry folder (default: the one holding RECORD when it is a path)")
	f.StringVar(&opts.zed, "zed", "", "folder holding the unpacked ZED container (required)")
	cmd.MarkFlagDirname("zed")
	return cmd
}

func runDossierFill(ctx context.Context, opts *dossierFillOptions) error {
	env := opts.env
	dir := env.Path(opts.zed)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return usageError("unpack the ZED container into a folder and pass it with --zed DIR", "no folder at %s", opts.zed)
	}
	r, d, _, err := findDRIMbox(env, opts.registry, opts.registrySet, opts.record)
	if err != nil {
		return err
	}
	files, problems, err := dossier.ListContainer(ctx, dir, filepath.ToSlash(filepath.Clean(opts.zed)))
	if err != nil {
		return envError("check that the container folder is readable", err)
	}
	recordPath := env.Path(d.Source.Path)
	src, err := os.ReadFile(recordPath)
	if err != nil {
		return envError("check the record's permissions", err)
	}
	out, rep, err := dossier.Write(src, r, d, files)
	if err != nil {
		return withHint(findingsError("%s: %v", d.Source.Path, err), "fix the record's YAML first (drimm validate)")
	}
	if err := atomicfile.Write(recordPath, out, 0o644); err != nil {
		return envError("check that the record is writable", err)
	}
	ew := &errWriter{w: env.Stdout}
	for _, p := range rep.Placed {
		how := "listed"
		switch {
		case !p.New && p.Changed:
			how = "digest updated"
		case !p.New:
			how = "already listed, digest unchanged"
		}
		ew.printf("%s: %s under %s\n", shown(p.File), how, p.Field)
	}
	for _, u := range rep.Unplaced {
		ew.printf("%s: not placed: %s\n", shown(u.File), u.Reason)
	}
	for _, f := range problems {
		ew.printf("%s\n", f.String())
	}
	if ew.err != nil {
		return ew.err
	}
	fmt.Fprintf(env.Stderr, "drimm: %s: %d file(s) placed, %d not placed, %d answer(s) to give (%s)\n",
		d.Source.Path, len(rep.Placed), len(rep.Unplaced), len(rep.Answers), strings.Join(rep.Answers, ", "))
	if n := len(rep.Unplaced) + len(problems); n > 0 {
		return withHint(findingsError("%d file(s) of the container could not be placed", n), "rename them as 'drimm explain COND-xx' suggests, or list them by hand; then run drimm dossier status "+opts.record)
	}
	return nil
}

// shown writes a file name of the container as it is, or quoted when it
// holds what a terminal would act on (escapes, line breaks): a name must
// not forge another line of the report.
func shown(name string) string {
	if strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return strconv.Quote(name)
	}
	return name
}
