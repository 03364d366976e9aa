package zone

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DateSerial is the serial of the first zone of a day, in the usual
// YYYYMMDDnn form (RFC 1912): 2026113000 for 30 November 2026.
func DateSerial(t time.Time) uint32 {
	y, m, d := t.UTC().Date()
	return uint32(y*1000000 + int(m)*10000 + d*100)
}

// Greater tells whether serial a is greater than b in the serial number
// arithmetic of RFC 1982, which secondaries use to decide whether a zone
// is newer.
func Greater(a, b uint32) bool {
	return a != b && a-b < 1<<31
}

// ParseSerial reads the SOA serial of a zone file written in the master
// file format.
func ParseSerial(data []byte) (uint32, error) {
	var fields []string
	for line := range strings.Lines(string(data)) {
		line, _, _ = strings.Cut(line, ";")
		line = strings.NewReplacer("(", " ", ")", " ").Replace(line)
		fields = append(fields, strings.Fields(line)...)
	}
	for i, f := range fields {
		if strings.EqualFold(f, "SOA") && i+3 < len(fields) {
			n, err := strconv.ParseUint(fields[i+3], 10, 32)
			if err != nil {
				return 0, fmt.Errorf("the SOA serial %q is not a number from 0 to 4294967295", fields[i+3])
			}
			return uint32(n), nil
		}
	}
	return 0, errors.New("no SOA record found")
}

// NextSerial chooses the serial of z. Without a previous zone file, it is
// the date serial of now. With one: when z renders to the very same
// bytes under the previous serial, nothing changed and the serial stays;
// otherwise it is today's date serial, or the previous serial plus one
// when that is not greater (several exports a day, or a serial already
// ahead of the date).
func NextSerial(z *Zone, previous []byte, now time.Time) (serial uint32, changed bool, err error) {
	if previous == nil {
		return DateSerial(now), true, nil
	}
	prev, err := ParseSerial(previous)
	if err != nil {
		return 0, false, fmt.Errorf("reading the previous zone's serial: %w", err)
	}
	if bytes.Equal(z.Render(prev), previous) {
		return prev, false, nil
	}
	if d := DateSerial(now); Greater(d, prev) {
		return d, true, nil
	}
	return prev + 1, true, nil
}
