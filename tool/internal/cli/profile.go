package cli

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startProfile starts a CPU profile of the whole process when
// DRIMM_CPUPROFILE names a file, so that speed work measures drimm as
// users run it (reading the registry included) rather than one package's
// benchmark. It is a developer's hook, left out of the help on purpose:
// inspect the file with 'go tool pprof'. The returned function stops the
// profile; it is never nil.
func startProfile() func() {
	path := os.Getenv("DRIMM_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "drimm: warning: no CPU profile: %v\n", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintf(os.Stderr, "drimm: warning: no CPU profile: %v\n", err)
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintf(os.Stderr, "drimm: warning: CPU profile not written: %v\n", err)
		}
	}
}
