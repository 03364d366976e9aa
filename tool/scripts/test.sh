#!/usr/bin/env bash
# Runs every test of the repository, with the real parts they need.
set -euo pipefail
cd "$(dirname "$0")/../.."
tool/scripts/install-deps.sh
# The ANS's published test lists stay out of the repository (they name real
# people); the interop tests read them from DRIMM_ANS_ANCHORS, by default
# beside the repository, and skip without them (tool/internal/anchors). Say
# so loudly, before and after the run; CI must have them, unless it says
# explicitly that it cannot (DRIMM_ANS_INTEROP=skip: GitHub's runners).
anchors=${DRIMM_ANS_ANCHORS:-../shared/anchors/ans-liste-blanche}
interop_banner() {
  {
    echo "################################################################"
    echo "#  ANS INTEROP TESTS DID NOT RUN"
    echo "#  The ANS's published Liste Blanche test files are not in"
    echo "#    $anchors"
    echo "#  Put them there, or set DRIMM_ANS_ANCHORS to their folder."
    echo "################################################################"
  } >&2
}
if [ ! -f "$anchors/igc-sante-test-root.pem" ]; then
  interop_banner
  if [ "${CI:-}" = "true" ] && [ "${DRIMM_ANS_INTEROP:-}" != "skip" ]; then
    echo "test.sh: CI=true requires the ANS interop tests: stopping" >&2
    exit 1
  fi
  trap interop_banner EXIT
fi
# The verifier DRIMbox vendors import is a module of its own
# (tool/listeblanche), which ./... does not descend into: it is named here
# by its packages' paths, as the root module requires it.
verifier=github.com/drim-m/trust-space/tool/listeblanche/...
go vet ./... "$verifier"
go tool staticcheck ./... "$verifier"
go test -count=1 -timeout 30m ./... "$verifier"
# The packages that run goroutines (prober, simulated fleet, site writer,
# status, GitHub client, git reader, registry loader, fetch and sign in cli) under the
# race detector; the workflow runner's long scenarios are left to the passes
# above and below.
go test -race -count=1 -timeout 30m -skip 'TestWorkflow|TestProbeWorkflow' \
  ./tool/internal/probe ./tool/internal/sim ./tool/internal/site ./tool/internal/status \
  ./tool/internal/github ./tool/internal/gitrepo ./tool/internal/registry ./tool/internal/buildid
go test -race -count=1 -timeout 30m -run 'Fetch|TestWhitelistScripts' ./tool/internal/cli
# Every fuzz target beyond its seeds, a few seconds each.
tool/scripts/fuzz.sh
# The same tests with the process clock moved ahead: none may mix its fixed
# clock with the real one or depend on today's date. Every package at +3
# years; all but the workflow runner (minutes per run) at +1 day and +13
# months.
tool/scripts/clockshift.sh 3y -count=1 -timeout 30m ./... "$verifier"
fast=$(go list ./... "$verifier" | grep -v '/tool/internal/github$')
for shift in 1d 13m; do
  # shellcheck disable=SC2086 # one argument per package
  tool/scripts/clockshift.sh "$shift" -count=1 -timeout 30m $fast
done
