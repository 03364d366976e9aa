package status

import (
	"bytes"
	"fmt"
	"math"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
)

// A sample is one run, one code per DRIMbox at index Identifiant:
//
//	'.'      not probed in this run
//	'?'      unknown
//	'!'      down
//	'+' '~'  up, degraded, latency not kept
//	'A'–'Z'  up, latency bucket 0–25
//	'a'–'z'  degraded, latency bucket 0–25
//
// Bucket k holds first-byte times in [2^(k/2), 2^((k+1)/2)) milliseconds:
// about ±19 %, from 1 ms to 8 s and over.
//
// The file has two lines of data. The verdict line has one character per
// DRIMbox ('.', '?', '!', '+', '~') and is the same from run to run while
// nothing changes, so git stores it as a copy of the previous sample's.
// The latency line holds the buckets of the DRIMboxes the run keeps: all
// of them in the day's first sample (the reference), then one in Every,
// in turn, written as steps from the reference's bucket. A DRIMbox's
// latency thus enters its daily percentiles Every-th run, 72 times a day
// at five-minute runs, for a few hundred bytes a run.
const (
	sampleMagic = "drimm-samples 2"
	buckets     = 26
	// Every is the share of runs (one in Every) whose latency is kept.
	Every = 4
)

// Sample is one run as stored.
type Sample struct {
	Time      time.Time
	NetworkOK bool
	Complete  bool
	// Codes has one code per Identifiant.
	Codes []byte
	// Ref names the day's reference sample this one was written against;
	// empty for a reference, which keeps every latency.
	Ref string
}

// Buckets is the number of latency buckets of samples and rollups.
const Buckets = buckets

// BucketOf returns the latency bucket a first-byte time falls in.
func BucketOf(d time.Duration) int { return bucket(d) }

func bucket(d time.Duration) int {
	ms := float64(d) / float64(time.Millisecond)
	if ms <= 1 {
		return 0
	}
	return min(max(int(2*math.Log2(ms)), 0), buckets-1)
}

// bucketMillis is the representative latency of bucket k (its geometric
// middle), in milliseconds.
func bucketMillis(k int) float64 {
	return math.Pow(2, (float64(k)+0.5)/2)
}

func code(r probe.Result) byte {
	switch r.Verdict {
	case probe.Up, probe.Degraded:
		var lat time.Duration
		if r.DB != nil {
			lat = r.DB.Timings.Total
		}
		if r.Verdict == probe.Up {
			return 'A' + byte(bucket(lat))
		}
		return 'a' + byte(bucket(lat))
	case probe.Down:
		return '!'
	}
	return '?'
}

func sampleOf(run *probe.Run) Sample {
	s := Sample{Time: run.Start.UTC(), NetworkOK: run.NetworkOK, Complete: run.Complete}
	maxID := 0
	for _, r := range run.Results {
		maxID = max(maxID, r.ID)
	}
	s.Codes = bytes.Repeat([]byte{'.'}, maxID+1)
	for _, r := range run.Results {
		if r.ID >= 0 {
			s.Codes[r.ID] = code(r)
		}
	}
	return s
}

func isLatency(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

// verdictOf drops the latency from a code.
func verdictOf(c byte) byte {
	switch {
	case c >= 'A' && c <= 'Z':
		return '+'
	case c >= 'a' && c <= 'z':
		return '~'
	}
	return c
}

func bucketOfCode(c byte) int {
	if c >= 'a' {
		return int(c - 'a')
	}
	return int(c - 'A')
}

// phase is which DRIMboxes (Identifiant mod Every) a run at t keeps the
// latency of: it turns with the five-minute slot of the day.
func phase(t time.Time) int {
	t = t.UTC()
	return (t.Hour()*12 + t.Minute()/5) % Every
}

// maxStep is the largest latency step written relatively; beyond it the
// bucket is escaped with '#' and written whole.
const maxStep = 6

// Marshal writes the sample file; ref is the reference's codes (nil for a
// reference).
func (s Sample) Marshal(ref []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\nrun %s network=%s complete=%s", sampleMagic,
		s.Time.UTC().Format(time.RFC3339), okWord(s.NetworkOK), yesNo(s.Complete))
	ph := phase(s.Time)
	if ref != nil {
		fmt.Fprintf(&b, " ref=%s phase=%d", s.Ref, ph)
	}
	b.WriteByte('\n')
	for _, c := range s.Codes {
		b.WriteByte(verdictOf(c))
	}
	b.WriteByte('\n')
	for id, c := range s.Codes {
		if !isLatency(c) || (ref != nil && id%Every != ph) {
			continue
		}
		if ref == nil {
			b.WriteByte(byte('A' + bucketOfCode(c)))
			continue
		}
		r := byte('.')
		if id < len(ref) {
			r = ref[id]
		}
		d := bucketOfCode(c) - bucketOfCode(r)
		if !isLatency(r) || d < -maxStep || d > maxStep {
			b.WriteByte('#')
			b.WriteByte(byte('A' + bucketOfCode(c)))
			continue
		}
		b.WriteByte(byte('A' + maxStep + d))
	}
	b.WriteByte('\n')
	return b.Bytes()
}

func okWord(ok bool) string {
	if ok {
		return "ok"
	}
	return "failed"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// sampleName is the file name of a run's sample within its day folder.
func sampleName(t time.Time) string {
	return t.UTC().Format("150405") + ".txt"
}
