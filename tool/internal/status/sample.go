package status

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
)

// A sample is one run reduced to one byte per DRIMbox, the byte at index
// Identifiant:
//
//	'.'      not probed in this run
//	'?'      unknown
//	'!'      down
//	'A'–'Z'  up, latency bucket 0–25
//	'a'–'z'  degraded, latency bucket 0–25
//
// Bucket k holds first-byte times in [2^(k/2), 2^((k+1)/2)) milliseconds:
// about ±19 %, from 1 ms to 8 s and over.
const (
	sampleMagic = "drimm-samples 1"
	buckets     = 26
)

// Sample is one run as stored.
type Sample struct {
	Time      time.Time
	NetworkOK bool
	Complete  bool
	Codes     []byte
}

// bucket returns the latency bucket of d.
func bucket(d time.Duration) int {
	ms := float64(d) / float64(time.Millisecond)
	if ms <= 1 {
		return 0
	}
	k := int(2 * math.Log2(ms))
	return min(max(k, 0), buckets-1)
}

// bucketMillis is the representative latency of bucket k (its geometric
// middle), in milliseconds.
func bucketMillis(k int) float64 {
	return math.Pow(2, (float64(k)+0.5)/2)
}

// code is the sample byte for a result.
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

// sampleOf builds the sample of a run.
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

// Marshal writes the sample file.
func (s Sample) Marshal() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\nrun %s network=%s complete=%s\n%s\n", sampleMagic,
		s.Time.UTC().Format(time.RFC3339), okWord(s.NetworkOK), yesNo(s.Complete), s.Codes)
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

// ParseSample reads a sample file.
func ParseSample(data []byte) (Sample, error) {
	var s Sample
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	lines := []string{}
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		return s, err
	}
	if len(lines) != 3 || lines[0] != sampleMagic {
		return s, fmt.Errorf("not a %q file", sampleMagic)
	}
	var ts, nw, cp string
	if _, err := fmt.Sscanf(lines[1], "run %s network=%s complete=%s", &ts, &nw, &cp); err != nil {
		return s, fmt.Errorf("run line: %w", err)
	}
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return s, fmt.Errorf("run time: %w", err)
	}
	s.Time, s.NetworkOK, s.Complete = t.UTC(), nw == "ok", cp == "yes"
	for i := 0; i < len(lines[2]); i++ {
		if !validCode(lines[2][i]) {
			return s, fmt.Errorf("byte %d: %q is not a sample code", i, lines[2][i])
		}
	}
	s.Codes = []byte(lines[2])
	return s, nil
}

func validCode(c byte) bool {
	return c == '.' || c == '?' || c == '!' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

// sampleName is the file name of a run's sample within its day folder.
func sampleName(t time.Time) string {
	return strings.ReplaceAll(t.UTC().Format("150405"), ":", "") + ".txt"
}

// Buckets is the number of latency buckets of samples and rollups.
const Buckets = buckets

// BucketOf returns the latency bucket a first-byte time falls in.
func BucketOf(d time.Duration) int { return bucket(d) }
