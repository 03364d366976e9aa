package status

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Day is one DRIMbox's day: how many runs checked it, their outcomes, and
// the histogram of its first-byte times over the runs it answered.
type Day struct {
	ID       int
	Checks   int // runs that reached a verdict on it (unknown excluded)
	Up       int
	Degraded int
	Down     int
	Unknown  int
	Hist     [buckets]int
}

// OK is the number of checks in which the DRIMbox was available.
func (d *Day) OK() int { return d.Up + d.Degraded }

// add counts one sample code.
func (d *Day) add(c byte) {
	switch {
	case c == '.':
	case c == '?':
		d.Unknown++
	case c == '!':
		d.Checks++
		d.Down++
	case c == '+':
		d.Checks++
		d.Up++
	case c == '~':
		d.Checks++
		d.Degraded++
	case c >= 'A' && c <= 'Z':
		d.Checks++
		d.Up++
		d.Hist[c-'A']++
	case c >= 'a' && c <= 'z':
		d.Checks++
		d.Degraded++
		d.Hist[c-'a']++
	}
}

func (d *Day) merge(o *Day) {
	d.Checks += o.Checks
	d.Up += o.Up
	d.Degraded += o.Degraded
	d.Down += o.Down
	d.Unknown += o.Unknown
	for i := range d.Hist {
		d.Hist[i] += o.Hist[i]
	}
}

// Percentile returns the p-th percentile (0–100) of the day's first-byte
// times in milliseconds, or 0 without data.
func (d *Day) Percentile(p float64) float64 {
	total := 0
	for _, n := range d.Hist {
		total += n
	}
	if total == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(total)))
	rank = max(rank, 1)
	seen := 0
	for k, n := range d.Hist {
		seen += n
		if seen >= rank {
			return bucketMS[k]
		}
	}
	return bucketMS[buckets-1]
}

// Percentiles returns the latencies of several percentiles (in
// milliseconds, 0 without latency), ps in increasing order, in two passes
// over the histogram.
func (d *Day) Percentiles(ps ...float64) []float64 {
	out := make([]float64, len(ps))
	total := 0
	for _, n := range d.Hist {
		total += n
	}
	if total == 0 {
		return out
	}
	seen, k := 0, 0
	for i, p := range ps {
		rank := max(int(math.Ceil(p/100*float64(total))), 1)
		for k < buckets-1 && seen+d.Hist[k] < rank {
			seen += d.Hist[k]
			k++
		}
		out[i] = bucketMS[k]
	}
	return out
}

// bucketMS holds bucketMillis of every bucket.
var bucketMS = func() (t [buckets]float64) {
	for k := range t {
		t[k] = bucketMillis(k)
	}
	return t
}()

// Rollup is one finished day of every DRIMbox, keyed by Identifiant.
type Rollup map[int]*Day

func (r Rollup) day(id int) *Day {
	d, ok := r[id]
	if !ok {
		d = &Day{ID: id}
		r[id] = d
	}
	return d
}

// addSample counts one run into the rollup.
func (r Rollup) addSample(s Sample) {
	for id, c := range s.Codes {
		if c != '.' {
			r.day(id).add(c)
		}
	}
}

func (r Rollup) merge(o Rollup) {
	for id, d := range o {
		r.day(id).merge(d)
	}
}

const rollupHeader = "id,checks,up,degraded,down,unknown,p50_ms,p95_ms,p99_ms,hist"

// Marshal writes the rollup as CSV sorted by Identifiant. The histogram is
// written sparsely as bucket letter then count ("F3G270H10"), so the
// percentiles can be recomputed and days merged exactly.
func (r Rollup) Marshal() []byte {
	ids := make([]int, 0, len(r))
	for id := range r {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	var b bytes.Buffer
	b.WriteString(rollupHeader + "\n")
	for _, id := range ids {
		d := r[id]
		fmt.Fprintf(&b, "%d,%d,%d,%d,%d,%d,%s,%s,%s,", id, d.Checks, d.Up, d.Degraded, d.Down, d.Unknown,
			millis(d.Percentile(50)), millis(d.Percentile(95)), millis(d.Percentile(99)))
		for k, n := range d.Hist {
			if n > 0 {
				b.WriteByte('A' + byte(k))
				b.WriteString(strconv.Itoa(n))
			}
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func millis(ms float64) string {
	if ms == 0 {
		return ""
	}
	return strconv.Itoa(int(math.Round(ms)))
}

// ParseRollup reads a rollup file. Thousands of lines a day over 90 days
// are read at every build of the page, so it slices one string rather
// than allocating per line and field.
func ParseRollup(data []byte) (Rollup, error) {
	text := string(data)
	lines := strings.Count(text, "\n") + 1
	r := make(Rollup, lines)
	days := make([]Day, 0, lines)
	line := 0
	var f [10]string
	for len(text) > 0 {
		cur := text
		if k := strings.IndexByte(text, '\n'); k >= 0 {
			cur, text = text[:k], text[k+1:]
		} else {
			text = ""
		}
		cur = strings.TrimSuffix(cur, "\r")
		line++
		if line == 1 {
			if cur != rollupHeader {
				return nil, fmt.Errorf("line 1: header %q, want %q", cur, rollupHeader)
			}
			continue
		}
		nf := 0
		for rest := cur; ; {
			k := strings.IndexByte(rest, ',')
			if nf == len(f) {
				nf++
				break
			}
			if k < 0 {
				f[nf] = rest
				nf++
				break
			}
			f[nf], rest = rest[:k], rest[k+1:]
			nf++
		}
		if nf != 10 {
			return nil, fmt.Errorf("line %d: %d fields, want 10", line, strings.Count(cur, ",")+1)
		}
		var n [6]int
		for i := range n {
			v, err := strconv.Atoi(f[i])
			if err != nil || v < 0 {
				return nil, fmt.Errorf("line %d: field %d: %q is not a count", line, i+1, f[i])
			}
			n[i] = v
		}
		days = append(days, Day{ID: n[0], Checks: n[1], Up: n[2], Degraded: n[3], Down: n[4], Unknown: n[5]})
		d := &days[len(days)-1]
		if err := parseHist(f[9], &d.Hist); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		r[d.ID] = d
	}
	return r, nil
}

func parseHist(s string, h *[buckets]int) error {
	for i := 0; i < len(s); {
		k := int(s[i]) - 'A'
		if k < 0 || k >= buckets {
			return fmt.Errorf("histogram %q: %q is not a bucket", s, s[i])
		}
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		n, err := strconv.Atoi(s[i+1 : j])
		if err != nil {
			return fmt.Errorf("histogram %q: no count after %q", s, s[i])
		}
		h[k] += n
		i = j
	}
	return nil
}
