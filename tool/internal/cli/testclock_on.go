//go:build drimm_testclock

package cli

// honorTestClock is true in builds for tests: OSEnv takes its clock from
// testClockEnv when it is set.
const honorTestClock = true
