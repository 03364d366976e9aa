package probe

import (
	"context"
	"net"
	"sync"
	"time"
)

// Prober probes DRIMboxes. It is safe for one Run at a time.
type Prober struct {
	opts Options
	// resolved holds the addresses looked up during the current run.
	resolved sync.Map
}

// New returns a Prober with opts, defaults filled in.
func New(opts Options) *Prober {
	return &Prober{opts: opts.withDefaults()}
}

// Run is the outcome of probing a set of DRIMboxes once.
type Run struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// NetworkOK tells whether the prober's own network was shown to work:
	// by the canary, or, without one, by at least one answering access point.
	NetworkOK bool `json:"network_ok"`
	// Canary is the canary's failure, empty when it answered or was not needed.
	Canary string `json:"canary,omitempty"`
	// Complete is false when the run deadline cut the run short.
	Complete bool     `json:"complete"`
	Results  []Result `json:"results"`
}

// job is one access point to probe for one target.
type job struct {
	target int // index in targets
	vi     bool
}

// Run probes every target: a first pass, then up to Retries passes over
// the access points that failed, then the canary if any still fail. It
// returns one Result per target, in the order given.
func (p *Prober) Run(ctx context.Context, targets []Target) *Run {
	ctx, cancel := context.WithTimeout(ctx, p.opts.RunTimeout)
	defer cancel()
	p.resolved.Clear()
	run := &Run{Start: p.opts.Now().UTC(), Complete: true}
	db := make([]*Check, len(targets))
	vi := make([]*Check, len(targets))
	bodies := make([][]byte, len(targets))

	var jobs []job
	for i, t := range targets {
		jobs = append(jobs, job{target: i})
		if t.VI != "" {
			jobs = append(jobs, job{target: i, vi: true})
		}
	}
	for pass := 0; pass <= p.opts.Retries && len(jobs) > 0; pass++ {
		if pass > 0 && !sleep(ctx, p.opts.RetryDelay) {
			break
		}
		p.pass(ctx, targets, jobs, db, vi, bodies, pass == 0)
		var failed []job
		for _, j := range jobs {
			if c := pick(db, vi, j); c != nil && !c.OK {
				failed = append(failed, j)
			}
		}
		jobs = failed
	}

	p.checkNames(ctx, targets, db, vi)
	run.NetworkOK = p.networkOK(ctx, db, vi, &run.Canary)
	if ctx.Err() != nil {
		run.Complete = false
	}
	run.Results = make([]Result, len(targets))
	for i, t := range targets {
		run.Results[i] = p.judge(t, db[i], vi[i], bodies[i], run.NetworkOK)
	}
	run.End = p.opts.Now().UTC()
	return run
}

func pick(db, vi []*Check, j job) *Check {
	if j.vi {
		return vi[j.target]
	}
	return db[j.target]
}

// pass runs jobs with bounded concurrency, keeping each access point's
// attempt count across passes.
func (p *Prober) pass(ctx context.Context, targets []Target, jobs []job, db, vi []*Check, bodies [][]byte, first bool) {
	sem := make(chan struct{}, p.opts.Concurrency)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func(j job) {
			defer wg.Done()
			defer func() { <-sem }()
			t := targets[j.target]
			host := t.DB
			if j.vi {
				host = t.VI
			}
			c, body := p.checkOnce(ctx, host, t.DN, !j.vi)
			mu.Lock()
			defer mu.Unlock()
			prev := pick(db, vi, j)
			if !c.OK && ctx.Err() != nil {
				// The run deadline, not the DRIMbox, ended this attempt.
				return
			}
			if prev != nil {
				c.Attempts = prev.Attempts
			}
			c.Attempts++
			if j.vi {
				vi[j.target] = &c
			} else {
				db[j.target], bodies[j.target] = &c, body
			}
			if first && !j.vi && p.opts.Progress != nil {
				done++
				p.opts.Progress(done, len(targets))
			}
		}(j)
	}
	wg.Wait()
}

// networkOK decides whether failures can be blamed on the DRIMboxes.
func (p *Prober) networkOK(ctx context.Context, db, vi []*Check, why *string) bool {
	anyFailed, anyOK := false, false
	for _, list := range [][]*Check{db, vi} {
		for _, c := range list {
			switch {
			case c == nil:
			case c.OK:
				anyOK = true
			default:
				anyFailed = true
			}
		}
	}
	if p.opts.Canary == "" {
		if !anyOK && anyFailed {
			*why = "no canary configured and no access point answered"
		}
		return anyOK || !anyFailed
	}
	if !anyFailed {
		return true
	}
	for i := 0; i <= p.opts.Retries; i++ {
		if i > 0 && !sleep(ctx, p.opts.RetryDelay) {
			break
		}
		err := p.canary(ctx)
		if err == nil {
			*why = ""
			return true
		}
		*why = err.Error()
	}
	return false
}

// canary connects to the canary address; the connection proves the
// prober's route out works. The canary is named by the operator of the
// prober, so the address guard does not apply to it.
func (p *Prober) canary(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, p.opts.Timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", p.opts.Canary)
	if err != nil {
		return err
	}
	return conn.Close()
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
