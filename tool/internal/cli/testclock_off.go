//go:build !drimm_testclock

package cli

// honorTestClock is false in release builds: their clock is the system's.
const honorTestClock = false
