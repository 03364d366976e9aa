package cli

import (
	"fmt"
	"time"
)

// testClockEnv names the environment variable that fixes the clock of drimm
// processes started by tests: the command-line scripts, and the workflow
// tests' builds (go build -tags drimm_testclock). Release builds ignore it.
const testClockEnv = "DRIMM_TEST_NOW"

// fixedClock returns a clock stopped at the RFC 3339 time in testClockEnv,
// or nil when the variable is unset.
func fixedClock(getenv func(string) string) (func() time.Time, error) {
	v := getenv(testClockEnv)
	if v == "" {
		return nil, nil
	}
	at, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil, fmt.Errorf("%s=%q is not an RFC 3339 time", testClockEnv, v)
	}
	at = at.UTC()
	return func() time.Time { return at }, nil
}
