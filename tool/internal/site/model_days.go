package site

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/drim-m/trust-space/tool/internal/status"
)

// fillDays sets each DRIMbox's days from the rollups, a day per worker
// on every CPU: 450,000 DRIMbox-days at 5,000 DRIMboxes, and percentiles
// for each. A DRIMbox's day i counts from first[its Identifiant] on.
// Workers only read the maps and write days of their own index.
func fillDays(h *status.History, byID map[int]*box, first map[int]int) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(h.Days); i = int(next.Add(1)) - 1 {
				dr := h.Days[i]
				for id, d := range dr.Rollup {
					b := byID[id]
					if f, ok := first[id]; b == nil || !ok || f > i {
						continue
					}
					p := d.Percentiles(50, 95, 99)
					b.Days[i] = day{Day: dr.Day, Class: dayClass(d), Checks: d.Checks, OK: d.OK(), D: d, P50: p[0], P95: p[1], P99: p[2]}
				}
			}
		}()
	}
	wg.Wait()
}
