// Command drimm manages the DRIM-M trust space as code: it validates the
// registry, builds and signs the Liste Blanche, probes DRIMboxes and builds
// the Météo des DRIMbox.
package main

import (
	"os"

	"github.com/drim-m/trust-space/tool/internal/cli"
)

func main() {
	os.Exit(cli.Main())
}
