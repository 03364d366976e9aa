package validation

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// recordChunk is how many records a worker takes at a time: large enough
// that taking work costs nothing beside checking it, small enough that
// the workers finish together.
const recordChunk = 64

// recordFindings are one DRIMbox's own findings: those of its own rules
// and those of the published values it carries.
type recordFindings struct {
	own, published []registry.Finding
}

// perRecord applies the rules that read one DRIMbox and nothing of the
// others to every DRIMbox, on as many workers as there are cores, and
// returns each record's findings at the record's index, so that the
// caller merges them in record order whatever order they ran in. The
// rules only read the registry; each worker has a checker of its own.
func perRecord(r *registry.Registry) []recordFindings {
	out := make([]recordFindings, len(r.DRIMboxes))
	workers := min(runtime.GOMAXPROCS(0), (len(r.DRIMboxes)+recordChunk-1)/recordChunk)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &checker{r: r}
			for {
				start := int(next.Add(recordChunk)) - recordChunk
				if start >= len(r.DRIMboxes) {
					return
				}
				for i := start; i < min(start+recordChunk, len(r.DRIMboxes)); i++ {
					d := r.DRIMboxes[i]
					c.out = nil
					c.drimbox(d)
					out[i].own = c.out
					c.out = nil
					c.publishedRecord(d)
					out[i].published = c.out
				}
			}
		}()
	}
	wg.Wait()
	return out
}
