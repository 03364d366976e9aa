package cli

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"

	"github.com/drim-m/trust-space/tool/internal/probe"
	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/status"
	"github.com/drim-m/trust-space/tool/internal/zone"
)

// targetsOf lists the operational DRIMboxes, with the CNAME each national
// name must have as the registry's zone export writes it.
func targetsOf(reg *registry.Registry) []probe.Target {
	zoneName := reg.TrustSpace.Zone
	cnames := map[string]string{}
	if z, _, err := zone.Build(reg, nil); err == nil {
		for _, r := range z.Records {
			cnames[r.Name+"."+strings.TrimSuffix(z.Origin, ".")] = r.Target
		}
	}
	var out []probe.Target
	for _, d := range reg.Operational() {
		t := probe.Target{ID: d.Identifiant, DB: d.DBName(zoneName), DN: d.Certificates.Server.DN}
		t.DBCNAME = cnames[t.DB]
		if d.Endpoints.VI != "" {
			t.VI = d.VIName(zoneName)
			t.VICNAME = cnames[t.VI]
		}
		for _, p := range d.PACS {
			t.PACS = append(t.PACS, p.ID)
		}
		out = append(out, t)
	}
	return out
}

func loadAnchors(files []string, abs func(string) string) (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	for _, f := range files {
		data, err := os.ReadFile(abs(f))
		if err != nil {
			return nil, fmt.Errorf("reading trust anchor: %w", err)
		}
		if !pool.AppendCertsFromPEM(data) {
			return nil, fmt.Errorf("%s holds no PEM certificate", f)
		}
	}
	return pool, nil
}

func printRun(w io.Writer, format string, run *probe.Run) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(run)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tVERDICT\tDB\tVI\tREASONS")
	for _, r := range run.Results {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", r.ID, r.Verdict, checkWord(r.DB), checkWord(r.VI), strings.Join(r.Reasons, ","))
	}
	return tw.Flush()
}

func checkWord(c *probe.Check) string {
	switch {
	case c == nil:
		return "-"
	case c.OK:
		return c.Timings.Total.Round(time.Millisecond).String()
	}
	return c.Reason
}

// vantageRun is a run and the vantage point it was made from ("" for a
// single prober).
type vantageRun struct {
	vantage string
	run     *probe.Run
}

// record writes runs to the data folder out, or commits and pushes them in
// one commit. Several runs must come from distinct named vantage points.
func record(ctx context.Context, env *Env, out string, commit bool, runs []vantageRun, interval time.Duration) error {
	out = env.Path(out)
	apply := func(fsys status.FS) error {
		if len(runs) == 1 {
			return status.ApplyVantage(fsys, runs[0].vantage, runs[0].run, interval)
		}
		m := map[string]*probe.Run{}
		for _, r := range runs {
			m[r.vantage] = r.run
		}
		return status.ApplyVantages(fsys, m, interval)
	}
	if !commit {
		if err := apply(status.Dir(out)); err != nil {
			return envError("check that the data folder is writable", err)
		}
		fmt.Fprintf(env.Stderr, "recorded in %s\n", out)
		return nil
	}
	rel, err := filepath.Rel(env.Root, out)
	if err != nil || !filepath.IsLocal(rel) {
		return usageError("with --commit, --out must be inside the repository", "%s is outside %s", out, env.Root)
	}
	var from []string
	var summaries strings.Builder
	start := runs[0].run.Start
	for _, r := range runs {
		if r.vantage != "" {
			from = append(from, r.vantage)
		}
		if r.run.Start.Before(start) {
			start = r.run.Start
		}
		fmt.Fprintf(&summaries, "%s%s\n", vantagePrefix(r.vantage), r.run.Summary())
	}
	pub := status.Publish{
		Repo: env.Root, Dir: filepath.ToSlash(rel),
		Author:  object.Signature{Name: "drimm probe", Email: "drimm-probe@users.noreply.github.com", When: env.Now()},
		Message: fmt.Sprintf("status: probe run %s%s\n\n%s", start.UTC().Format(time.RFC3339), vantageSuffix(strings.Join(from, ", ")), summaries.String()),
		Apply:   apply,
	}
	if tok := firstNonEmpty(env.Getenv("DRIMM_GIT_TOKEN"), env.Getenv("GITHUB_TOKEN")); tok != "" {
		pub.Auth = &githttp.BasicAuth{Username: "x-access-token", Password: tok}
	}
	hash, err := pub.Commit(ctx)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return usageError("with --commit, run drimm in a clone of the trust space's repository", "%v", err)
	}
	if errors.Is(err, status.ErrDirty) {
		return usageError("commit or stash your changes first; --commit moves the branch to the pushed commit", "%v", err)
	}
	if err != nil {
		return envError("check the remote and its credentials (DRIMM_GIT_TOKEN or GITHUB_TOKEN)", err)
	}
	fmt.Fprintf(env.Stderr, "committed %s\n", hash)
	return nil
}

func vantagePrefix(name string) string {
	if name == "" {
		return ""
	}
	return name + ": "
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func vantageSuffix(name string) string {
	if name == "" {
		return ""
	}
	return " from " + name
}
