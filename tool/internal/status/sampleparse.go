package status

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

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

var sampleNameRe = regexp.MustCompile(`^\d{6}(-[a-z0-9][a-z0-9-]{0,40})?\.txt$`)
