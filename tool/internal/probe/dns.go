package probe

import (
	"context"
	"strings"
	"sync"
)

// checkNames checks that each national name resolves as the registry's
// zone export says: a CNAME to the registered endpoint. A name that
// resolves elsewhere (a stale or hijacked record) is recorded on its
// check; a name that does not resolve at all is left to the connection's
// own failure. A name pinned with Resolve is checked only against a
// resolver given in Options.CNAMEs.
func (p *Prober) checkNames(ctx context.Context, targets []Target, db, vi []*Check) {
	sem := make(chan struct{}, p.opts.Concurrency)
	var wg sync.WaitGroup
	check := func(c *Check, host, want string) {
		if c == nil || want == "" || host == "" {
			return
		}
		if _, pinned, _ := p.pinned(host); pinned && !p.opts.checkPinned {
			return
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			actx, cancel := context.WithTimeout(ctx, p.opts.Timeout)
			defer cancel()
			got, err := p.opts.CNAMEs.LookupCNAME(actx, host)
			if err != nil {
				return
			}
			if !sameName(got, want) {
				c.CNAME = strings.TrimSuffix(got, ".")
			}
		}()
	}
	for i, t := range targets {
		check(db[i], t.DB, t.DBCNAME)
		check(vi[i], t.VI, t.VICNAME)
	}
	wg.Wait()
}

func sameName(a, b string) bool {
	return strings.EqualFold(strings.TrimSuffix(a, "."), strings.TrimSuffix(b, "."))
}
