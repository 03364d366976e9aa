package gitrepo

// blob reads the blob at off, or only its size when it is over limit;
// ok is false when the pack declines.
func (p *pack) blob(off int64, limit int64) (data []byte, size int64, ok bool) {
	typ, data, size, err := p.object(off, limit)
	if err != nil || typ != objBlob {
		return nil, 0, false
	}
	return data, size, true
}

// object resolves the object at off through its delta chain: the chain
// is walked down to a base kept from an earlier object or to a whole
// object, then the deltas are applied back up, each result a base kept
// for the next objects (records written alike are deltas of one another,
// often two or three deep). A result over limit is given by size only.
func (p *pack) object(off int64, limit int64) (typ int, data []byte, size int64, err error) {
	type step struct {
		off    int64
		stream []byte
		size   int64
	}
	var chain []step
	at := off
	for {
		if b, found := p.base(at); found {
			typ, data = b.typ, b.data
			break
		}
		t, sz, baseOff, baseRef, rest, err := p.header(at)
		if err != nil {
			return 0, nil, 0, err
		}
		if t != objOfsDelta && t != objRefDelta {
			if data, err = p.inflate(rest, sz); err != nil {
				return 0, nil, 0, err
			}
			typ = t
			break
		}
		if len(chain) == maxChain {
			return 0, nil, 0, errDecline
		}
		chain = append(chain, step{off: at, stream: rest, size: sz})
		if t == objRefDelta {
			// A base named rather than placed (a thin pack completed,
			// or --no-delta-base-offset): it must be in this pack.
			var found bool
			if baseOff, found = p.find(baseRef); !found {
				return 0, nil, 0, errDecline
			}
		}
		at = baseOff
	}
	if len(chain) > 0 {
		p.keep(at, typ, data)
	}
	// A delta is needed only while it is applied: it is inflated into a
	// buffer kept for the next one, not into fresh memory.
	bp := readBuffers.Get().(*[]byte)
	defer readBuffers.Put(bp)
	for i := len(chain) - 1; i >= 0; i-- {
		if int64(cap(*bp)) < chain[i].size {
			*bp = make([]byte, chain[i].size)
		}
		delta, err := inflateInto((*bp)[:chain[i].size], chain[i].stream)
		if err != nil {
			return 0, nil, 0, err
		}
		var ok bool
		if data, ok = patch(data, delta, p.mem); !ok {
			return 0, nil, 0, errDecline
		}
		if i > 0 {
			p.keep(chain[i].off, typ, data)
		}
	}
	if int64(len(data)) > limit {
		// Read whole all the same, as go-git does: a stream that does
		// not decode is an error, large or not.
		return typ, nil, int64(len(data)), nil
	}
	return typ, data, int64(len(data)), nil
}

type kept struct {
	typ  int
	data []byte
}

func (p *pack) base(off int64) (kept, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	b, ok := p.bases[off]
	return b, ok
}

// keep remembers a delta base; past the budget, the bases kept so far are
// dropped (records are read in tree order, which is not the pack's, so no
// order of eviction does much better).
func (p *pack) keep(off int64, typ int, data []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bases == nil || p.baseBytes+len(data) > baseBudget {
		p.bases, p.baseBytes = map[int64]kept{}, 0
	}
	if _, ok := p.bases[off]; !ok {
		p.bases[off] = kept{typ: typ, data: data}
		p.baseBytes += len(data)
	}
}
