package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/drim-m/trust-space/tool/internal/atomicfile"
	"github.com/drim-m/trust-space/tool/internal/codeowners"
	"github.com/drim-m/trust-space/tool/internal/registry"
)

type codeownersOptions struct {
	env      *Env
	registry string
	check    bool
}

func newCodeownersCmd(env *Env) *cobra.Command {
	opts := &codeownersOptions{env: env}
	cmd := &cobra.Command{
		Use:   "codeowners",
		Short: "Write .github/CODEOWNERS from the registry's reviewers and maintainers",
		Long: `Generate .github/CODEOWNERS so that GitHub asks the right people to review
each pull request: the ANS reviewers of registry/trust-space.yaml own
everything, and each operator's maintainers also own that operator's folder.
Run it after changing reviewers or maintainers, and commit the file;
'drimm validate' reports a stale file. With --check, write nothing and exit 1
when the committed file is stale.`,
		Example: `  drimm codeowners
  drimm codeowners --check`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCodeowners(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.registry, "registry", "registry", "registry folder")
	cmd.Flags().BoolVar(&opts.check, "check", false, "check the committed file instead of writing it")
	return cmd
}

func runCodeowners(_ context.Context, opts *codeownersOptions) error {
	env := opts.env
	dir := env.Path(opts.registry)
	r, _, err := loadRegistry(env, dir)
	if err != nil {
		return err
	}
	regRel, err := filepath.Rel(env.Root, dir)
	if err != nil || !filepath.IsLocal(regRel) {
		return usageError("pass a --registry folder inside the repository", "%s is outside the repository root %s", dir, env.Root)
	}
	regRel = filepath.ToSlash(regRel)
	out := filepath.Join(env.Root, filepath.FromSlash(codeowners.Path))
	if opts.check {
		committed, err := readOptional(out)
		if err != nil {
			return envError("check the file's permissions", err)
		}
		if f := codeowners.Check(r, regRel, committed); f != nil {
			fmt.Fprintln(env.Stdout, f.String())
			return findingsError("%s is stale", codeowners.Path)
		}
		fmt.Fprintf(env.Stderr, "drimm: %s is up to date\n", codeowners.Path)
		return nil
	}
	data, err := codeowners.Generate(r, regRel)
	if err != nil {
		return findingsError("%v", err)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return envError("check that the repository is writable", err)
	}
	if err := atomicfile.Write(out, data, 0o644); err != nil {
		return envError("check that the repository is writable", err)
	}
	fmt.Fprintln(env.Stdout, displayPath(env, out))
	return nil
}

// readOptional reads a file; a missing file reads as nil.
func readOptional(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if data == nil && err == nil {
		data = []byte{}
	}
	return data, err
}

// codeownersTreeFindings checks the working tree's CODEOWNERS against the
// registry. It applies only to a registry inside a repository that has a
// .github folder: a registry on its own has no reviewers to route.
func codeownersTreeFindings(env *Env, r *registry.Registry, dir string) []registry.Finding {
	regRel, err := filepath.Rel(env.Root, dir)
	if err != nil || !filepath.IsLocal(regRel) {
		return nil
	}
	if st, err := os.Stat(filepath.Join(env.Root, ".github")); err != nil || !st.IsDir() {
		return nil
	}
	committed, err := readOptional(filepath.Join(env.Root, filepath.FromSlash(codeowners.Path)))
	if err != nil {
		return []registry.Finding{{Path: codeowners.Path, Line: 1, Col: 1, Rule: codeowners.Rule, Msg: fmt.Sprintf("cannot read: %v", err)}}
	}
	if f := codeowners.Check(r, filepath.ToSlash(regRel), committed); f != nil {
		return []registry.Finding{*f}
	}
	return nil
}

// codeownersChangeFindings checks CODEOWNERS as committed in the head
// revision against the head registry, when that revision has a .github folder.
func codeownersChangeFindings(g *gitChange) ([]registry.Finding, error) {
	files, err := g.repo.Files(g.head, ".github")
	if err != nil {
		return nil, envError("check the repository's integrity (git fsck)", err)
	}
	if len(files) == 0 {
		return nil, nil
	}
	var committed []byte
	for _, f := range files {
		if ".github/"+f.Path == codeowners.Path {
			committed = f.Data
			if committed == nil {
				committed = []byte{}
			}
		}
	}
	if f := codeowners.Check(g.change.Head, g.rel, committed); f != nil {
		return []registry.Finding{*f}, nil
	}
	return nil, nil
}
