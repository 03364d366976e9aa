// Command synthreg writes a synthetic registry of fictional operators and
// DRIMboxes with complete dossiers, for benchmarks and load tests.
//
//	synthreg -operators 50 -drimboxes 10000 -conditions registry/conditions.yaml -out /tmp/reg
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/synth"
)

func main() {
	ops := flag.Int("operators", 3, "number of operators")
	boxes := flag.Int("drimboxes", 10, "number of DRIMboxes")
	conds := flag.String("conditions", "registry/conditions.yaml", "conditions catalogue to answer")
	out := flag.String("out", "", "folder to create (must not exist)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "synthreg: -out is required")
		os.Exit(2)
	}
	if _, err := os.Stat(*out); err == nil {
		fmt.Fprintf(os.Stderr, "synthreg: %s exists; give a new folder\n", *out)
		os.Exit(2)
	}
	if err := run(*ops, *boxes, *conds, *out); err != nil {
		fmt.Fprintf(os.Stderr, "synthreg: %v\n", err)
		os.Exit(3)
	}
}

func run(ops, boxes int, conds, out string) error {
	catalogue, err := registry.LoadConditions(conds)
	if err != nil {
		return err
	}
	raw, err := os.ReadFile(conds)
	if err != nil {
		return err
	}
	return synth.Write(filepath.Clean(out), synth.Options{Operators: ops, DRIMboxes: boxes, Conditions: catalogue, ConditionsYAML: raw})
}
