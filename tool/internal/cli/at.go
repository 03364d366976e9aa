package cli

import "time"

// parseAt reads an --at flag: RFC 3339, "YYYY-MM-DD hh:mm:ss" or
// "YYYY-MM-DDThh:mm:ss" in UTC, or a date (its midnight UTC). Empty is the
// clock's time, to the second, so that what is built and signed at once
// carries one time.
func parseAt(env *Env, s string) (time.Time, error) {
	if s == "" {
		return env.Now().UTC().Truncate(time.Second), nil
	}
	for _, layout := range []string{time.RFC3339, time.DateTime, "2006-01-02T15:04:05", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, usageError("write --at 2026-12-05, 2026-12-05T08:00:00Z or 2026-12-05 08:00:00 (UTC)", "--at %q is not a date or time", s)
}
