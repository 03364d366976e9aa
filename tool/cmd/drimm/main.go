// Command drimm manages the DRIM-M trust space as code: it validates the
// registry, builds and signs the Liste Blanche, probes DRIMboxes and builds
// the Météo des DRIMbox.
package main

import (
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/drim-m/trust-space/tool/internal/cli"
)

func main() {
	os.Exit(run())
}

// run is the command with, when DRIMM_CPUPROFILE names a file, a CPU
// profile of the whole process written there (go tool pprof reads it): the
// speed of a command is measured as a user runs it, not only through
// benchmarks of its parts.
func run() int {
	if out := os.Getenv("DRIMM_CPUPROFILE"); out != "" {
		f, err := os.Create(out)
		if err != nil {
			fmt.Fprintf(os.Stderr, "drimm: error: DRIMM_CPUPROFILE: %v\ndrimm: hint: name a file in a writable folder, or unset DRIMM_CPUPROFILE\n", err)
			return 3
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(os.Stderr, "drimm: error: DRIMM_CPUPROFILE: %v\n", err)
			return 3
		}
		defer pprof.StopCPUProfile()
	}
	return cli.Main()
}
