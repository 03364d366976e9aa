package status

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
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

func validCode(c byte) bool {
	return c == '.' || c == '?' || c == '!' || c == '+' || c == '~' || isLatency(c)
}

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

// ParseSample reads a sample file. A sample written against a reference
// gets the reference's codes through refCodes.
func ParseSample(data []byte, refCodes func(name string) ([]byte, error)) (Sample, error) {
	s, ph, verdicts, lat, err := parseHeader(data)
	if err != nil {
		return s, err
	}
	var ref []byte
	if s.Ref != "" {
		if refCodes == nil {
			return s, fmt.Errorf("relative to %s, which cannot be read here", s.Ref)
		}
		if ref, err = refCodes(s.Ref); err != nil {
			return s, fmt.Errorf("reference %s: %w", s.Ref, err)
		}
	}
	s.Codes = make([]byte, len(verdicts))
	j := 0
	for id, v := range verdicts {
		if v != '.' && v != '?' && v != '!' && v != '+' && v != '~' {
			return s, fmt.Errorf("verdict %d: %q is not a verdict code", id, v)
		}
		s.Codes[id] = v
		if (v != '+' && v != '~') || (ref != nil && id%Every != ph) {
			continue
		}
		if j >= len(lat) {
			return s, fmt.Errorf("latency line too short")
		}
		k, n, err := latencyAt(lat[j:], id, ref)
		if err != nil {
			return s, fmt.Errorf("latency of %d: %w", id, err)
		}
		j += n
		if v == '+' {
			s.Codes[id] = byte('A' + k)
		} else {
			s.Codes[id] = byte('a' + k)
		}
	}
	if j != len(lat) {
		return s, fmt.Errorf("latency line too long")
	}
	return s, nil
}

// latencyAt decodes the latency symbol at the start of lat and returns
// the bucket and the bytes it took.
func latencyAt(lat []byte, id int, ref []byte) (int, int, error) {
	c := lat[0]
	if ref == nil || c == '#' {
		n := 1
		if ref != nil {
			if len(lat) < 2 {
				return 0, 0, fmt.Errorf("'#' at the end")
			}
			c, n = lat[1], 2
		}
		if c < 'A' || c > 'A'+buckets-1 {
			return 0, 0, fmt.Errorf("%q is not a bucket", c)
		}
		return int(c - 'A'), n, nil
	}
	if id >= len(ref) || !isLatency(ref[id]) {
		return 0, 0, fmt.Errorf("a step where the reference has no latency")
	}
	step := int(c) - 'A'
	k := bucketOfCode(ref[id]) + step - maxStep
	if step < 0 || step > 2*maxStep || k < 0 || k >= buckets {
		return 0, 0, fmt.Errorf("%q is not a step", c)
	}
	return k, 1, nil
}

// parseHeader splits a sample file.
func parseHeader(data []byte) (s Sample, ph int, verdicts, lat []byte, err error) {
	lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	if len(lines) != 4 || string(lines[0]) != sampleMagic {
		return s, 0, nil, nil, fmt.Errorf("not a %q file", sampleMagic)
	}
	f := strings.Fields(string(lines[1]))
	bad := fmt.Errorf("run line %q", lines[1])
	if (len(f) != 4 && len(f) != 6) || f[0] != "run" {
		return s, 0, nil, nil, bad
	}
	t, err := time.Parse(time.RFC3339, f[1])
	if err != nil {
		return s, 0, nil, nil, fmt.Errorf("run time: %w", err)
	}
	nw, ok1 := strings.CutPrefix(f[2], "network=")
	cp, ok2 := strings.CutPrefix(f[3], "complete=")
	if !ok1 || !ok2 {
		return s, 0, nil, nil, bad
	}
	s.Time, s.NetworkOK, s.Complete = t.UTC(), nw == "ok", cp == "yes"
	if len(f) == 6 {
		ref, ok := strings.CutPrefix(f[4], "ref=")
		p, ok2 := strings.CutPrefix(f[5], "phase=")
		n, err := strconv.Atoi(p)
		if !ok || !ok2 || err != nil || n < 0 || n >= Every || !sampleNameRe.MatchString(ref) {
			return s, 0, nil, nil, bad
		}
		s.Ref, ph = ref, n
	}
	return s, ph, lines[2], lines[3], nil
}

var sampleNameRe = regexp.MustCompile(`^\d{6}(-\d+)?\.txt$`)

// sampleName is the file name of a run's sample within its day folder.
func sampleName(t time.Time) string {
	return t.UTC().Format("150405") + ".txt"
}
