package cli

import (
	"errors"
	"fmt"
)

// Exit codes, documented in the root help.
const (
	ExitOK       = 0 // success
	ExitFindings = 1 // the input has findings (validation, verification refused, overdue deadlines)
	ExitUsage    = 2 // the command line is wrong
	ExitEnv      = 3 // the environment failed: HSM, git, network, unreadable files
	// ExitStopTrusting: drimm whitelist fetch holds no Liste Blanche within
	// max_age; the DRIMbox must stop trusting peers from it.
	ExitStopTrusting = 4
)

// exitError carries an exit code and a hint for people up to Main.
type exitError struct {
	code int
	err  error
	hint string
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError reports a wrong command line.
func usageError(hint string, format string, args ...any) error {
	return &exitError{code: ExitUsage, err: fmt.Errorf(format, args...), hint: hint}
}

// envError reports a failure of the environment (files, git, HSM, network).
func envError(hint string, err error) error {
	return &exitError{code: ExitEnv, err: err, hint: hint}
}

// findingsError reports that the input was checked and has findings; the
// findings themselves were already printed.
func findingsError(format string, args ...any) error {
	return &exitError{code: ExitFindings, err: fmt.Errorf(format, args...)}
}

// withHint attaches a hint to an error, keeping its exit code.
func withHint(err error, hint string) error {
	var ee *exitError
	if errors.As(err, &ee) {
		return &exitError{code: ee.code, err: ee.err, hint: hint}
	}
	return &exitError{code: ExitEnv, err: err, hint: hint}
}

// exitCode maps an error to the process exit code.
func exitCode(err error) (int, string) {
	if err == nil {
		return ExitOK, ""
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code, ee.hint
	}
	return ExitEnv, ""
}
