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
	// chains holds the chains verified during the current run.
	chains sync.Map
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

// Run probes every target. An access point that fails is tried again
// RetryDelay after its own failure, up to Retries more times, while the
// others go on; then the canary is tried if any still fail. It returns one
// Result per target, in the order given.
func (p *Prober) Run(ctx context.Context, targets []Target) *Run {
	ctx, cancel := context.WithTimeout(ctx, p.opts.RunTimeout)
	defer cancel()
	p.resolved.Clear()
	p.chains.Clear()
	run := &Run{Start: p.opts.Now().UTC(), Complete: true}
	s := &sweep{p: p, targets: targets,
		db: make([]*Check, len(targets)), vi: make([]*Check, len(targets)), bodies: make([][]byte, len(targets)),
		sem: make(chan struct{}, p.opts.Concurrency)}
	s.all(ctx)

	p.checkNames(ctx, targets, s.db, s.vi)
	run.NetworkOK = p.networkOK(ctx, s.db, s.vi, &run.Canary)
	if ctx.Err() != nil {
		run.Complete = false
	}
	run.Results = make([]Result, len(targets))
	for i, t := range targets {
		run.Results[i] = p.judge(t, s.db[i], s.vi[i], s.bodies[i], run.NetworkOK)
	}
	run.End = p.opts.Now().UTC()
	return run
}

// sweep is one run's probing of every access point, with bounded
// concurrency: at most Concurrency attempts in flight; an access point
// waiting for its retry holds no slot.
type sweep struct {
	p       *Prober
	targets []Target
	sem     chan struct{}
	wg      sync.WaitGroup

	mu     sync.Mutex
	db, vi []*Check
	bodies [][]byte
	done   int
}

// all starts every access point's first attempt, in the order of
// probeOrder, and waits for every attempt and retry to end.
func (s *sweep) all(ctx context.Context) {
	defer s.wg.Wait()
	for _, i := range probeOrder(s.targets) {
		t := s.targets[i]
		for _, j := range []job{{target: i}, {target: i, vi: true}} {
			if j.vi && t.VI == "" {
				continue
			}
			if !s.acquire(ctx) {
				return
			}
			s.wg.Add(1)
			go s.probe(ctx, j)
		}
	}
}

// probeOrder lists the targets' indexes: those marked First spread over
// the first half of the run, among the others, so that their retries end
// while the others are probed and their slow answers never hold every
// slot at once; the others in the order given.
func probeOrder(targets []Target) []int {
	var first, rest []int
	for i, t := range targets {
		if t.First {
			first = append(first, i)
		} else {
			rest = append(rest, i)
		}
	}
	if len(first) == 0 {
		return rest
	}
	per := len(rest) / (2 * len(first))
	out := make([]int, 0, len(targets))
	for _, f := range first {
		out = append(out, f)
		n := min(per, len(rest))
		out, rest = append(out, rest[:n]...), rest[n:]
	}
	return append(out, rest...)
}

func (s *sweep) acquire(ctx context.Context) bool {
	if ctx.Err() != nil {
		return false
	}
	select {
	case s.sem <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

// probe tries j: the first attempt in the slot all acquired, each retry
// RetryDelay after the failure before it, in a slot of its own.
func (s *sweep) probe(ctx context.Context, j job) {
	defer s.wg.Done()
	t := s.targets[j.target]
	host := t.DB
	if j.vi {
		host = t.VI
	}
	for try := 0; ; try++ {
		if try > 0 && !(sleep(ctx, s.p.opts.RetryDelay) && s.acquire(ctx)) {
			return
		}
		c, body := s.p.checkOnce(ctx, host, t.DN, t.DB, !j.vi)
		<-s.sem
		if !c.OK && ctx.Err() != nil {
			// The run deadline, not the DRIMbox, ended this attempt.
			return
		}
		c.Attempts = try + 1
		s.mu.Lock()
		if j.vi {
			s.vi[j.target] = &c
		} else {
			s.db[j.target], s.bodies[j.target] = &c, body
		}
		if try == 0 && !j.vi && s.p.opts.Progress != nil {
			s.done++
			s.p.opts.Progress(s.done, len(s.targets))
		}
		s.mu.Unlock()
		if c.OK || try >= s.p.opts.Retries {
			return
		}
	}
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
