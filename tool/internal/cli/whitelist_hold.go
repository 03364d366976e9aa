package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/drim-m/trust-space/tool/internal/gitrepo"
	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/validation"
	"github.com/drim-m/trust-space/tool/internal/whitelist"
)

// registryHold loads and validates the registry, prints its findings on
// stderr and says which DRIMboxes they hold back from the list.
func registryHold(env *Env, dir string) (*registry.Registry, *whitelist.Hold, error) {
	reg, findings, err := loadRegistry(env, dir)
	if err != nil {
		return nil, nil, err
	}
	findings = append(findings, validation.Check(reg)...)
	registry.SortFindings(findings)
	for _, f := range findings {
		fmt.Fprintln(env.Stderr, f.String())
	}
	return reg, whitelist.HoldFor(reg, findings), nil
}

// buildHolding builds the list to publish: fresh entries for the DRIMboxes
// whose records are clean, the last published entry for those held back.
func buildHolding(env *Env, dir string, previous *whitelist.List, at time.Time) (*whitelist.List, *registry.Registry, *whitelist.Hold, []whitelist.Held, error) {
	reg, hold, err := registryHold(env, dir)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	fresh, err := whitelist.FreshEntries(reg, hold)
	if err != nil {
		return nil, nil, nil, nil, envError("", err)
	}
	dates, err := entryDates(env, dir, fresh)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	l, held, err := whitelist.BuildHolding(reg, hold, previous, dates, at)
	if err != nil {
		return nil, nil, nil, nil, withHint(findingsError("%v", err), "fix the findings above (drimm validate lists them); the published list stays as it is")
	}
	return l, reg, hold, held, nil
}

// entryDates gives each entry its DateMAJ from the git history, or none
// when the registry is not in a repository.
func entryDates(env *Env, dir string, entries []whitelist.Domain) (map[int]time.Time, error) {
	repo, err := gitrepo.Open(dir)
	if err != nil {
		fmt.Fprintf(env.Stderr, "drimm: warning: %s is not in a git repository: every DateMAJ is the generation time\n", displayPath(env, dir))
		return map[int]time.Time{}, nil
	}
	dates, err := whitelist.Dates(repo, dir, entries)
	if err != nil {
		return nil, envError("DateMAJ comes from the git history; check the repository", err)
	}
	return dates, nil
}

// reportHeld says what a publication held back, as warnings on stderr
// and in the job summary. The list was published, so the exit status stays
// 0: exit 1 would read as "nothing published" (a list going back in time
// exits 1); drimm github held and drimm validate fail on the findings.
func reportHeld(env *Env, sequence int, hold *whitelist.Hold, held []whitelist.Held) error {
	for _, h := range ownHeld(held) {
		fmt.Fprintf(env.Stderr, "drimm: warning: held back DRIMbox %d: %s\n", h.Identifiant, heldOutcome(h))
	}
	if len(hold.Global) > 0 {
		fmt.Fprintf(env.Stderr, "drimm: warning: the shared records have %d finding(s): every DRIMbox kept its last published entry\n", len(hold.Global))
	}
	if err := appendSummary(env, []byte(heldMarkdown(env, sequence, hold, held))); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "drimm: warning: published list %d, but held back %d DRIMbox(es) whose records have findings; fix the findings above on main, the next publication takes the records again\n", sequence, len(ownHeld(held)))
	return nil
}

func heldOutcome(h whitelist.Held) string {
	if h.InList {
		return "the list keeps its last published entry until its record is fixed"
	}
	return "left out of the list until its record is fixed (it had no published entry)"
}

// heldMarkdown is the job summary of a publication that held DRIMboxes back.
func heldMarkdown(env *Env, sequence int, hold *whitelist.Hold, held []whitelist.Held) string {
	link := recordLink(env)
	var b strings.Builder
	fmt.Fprintf(&b, "### Liste Blanche %d published, %d DRIMbox(es) held back\n\n", sequence, len(held))
	if len(hold.Global) > 0 {
		b.WriteString("The shared records have findings, so **every DRIMbox kept its last published entry**:\n\n")
		writeFindings(&b, hold.Global, link)
		b.WriteString("\n")
	}
	for _, h := range ownHeld(held) {
		fmt.Fprintf(&b, "- **DRIMbox %d**: %s.\n", h.Identifiant, heldOutcome(h))
		for _, f := range h.Findings {
			fmt.Fprintf(&b, "  - %s `%s`: %s\n", link(f.Path, f.Line), f.Rule, f.Msg)
		}
	}
	return b.String()
}

func writeFindings(b *strings.Builder, fs []registry.Finding, link func(string, int) string) {
	for _, f := range fs {
		fmt.Fprintf(b, "- %s `%s`: %s\n", link(f.Path, f.Line), f.Rule, f.Msg)
	}
}

// ownHeld leaves out the DRIMboxes held only by the shared records'
// findings, which are reported once.
func ownHeld(held []whitelist.Held) []whitelist.Held {
	var out []whitelist.Held
	for _, h := range held {
		if len(h.Findings) > 0 {
			out = append(out, h)
		}
	}
	return out
}
