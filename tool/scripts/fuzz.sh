#!/usr/bin/env bash
# Runs every fuzz target of the repository for a bounded time each, beyond
# its seed corpus. Targets are found, not listed: a new FuzzX in any test
# file runs here without editing this script.
#
#   tool/scripts/fuzz.sh            # FUZZTIME per target (default 4s)
#   FUZZTIME=1m tool/scripts/fuzz.sh ./tool/internal/registry
#
# The engine shrinks each new interesting input for up to a minute by
# default, fuzzing nothing meanwhile: on the record-sized inputs of the
# registry's targets a 4 s run then made a few dozen executions. Here it
# shrinks for at most FUZZMINIMIZE (default 1s); a failing input is still
# written whole.
set -euo pipefail
cd "$(dirname "$0")/../.."
fuzztime=${FUZZTIME:-4s}
minimize=${FUZZMINIMIZE:-1s}
pkgs=("$@")
if [ ${#pkgs[@]} -eq 0 ]; then
  # The verifier's module (tool/listeblanche) is not under ./...: named.
  mapfile -t pkgs < <(go list ./... github.com/drim-m/trust-space/tool/listeblanche/...)
fi
count=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
fuzz_once() {
  (cd "$1" && go test -run '^$' -fuzz "^${3}\$" -fuzztime "$fuzztime" -fuzzminimizetime "$minimize" -parallel 2 "$2") >"$log" 2>&1
}
fail() {
  cat "$log" >&2
  echo "fuzz: $1 $2 failed; the failing input is under $3/testdata/fuzz/$2" >&2
  exit 1
}
# new_inputs lists the corpus files git does not know: those the run saved.
new_inputs() {
  [ -d "$1" ] || return 0
  git ls-files --others --exclude-standard -- "$1"
}
for pkg in "${pkgs[@]}"; do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  # go test -fuzz runs in the package's own module only.
  moddir=$(go list -f '{{.Module.Dir}}' "$pkg")
  mapfile -t targets < <(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u)
  for target in "${targets[@]}"; do
    [ -n "$target" ] || continue
    echo "fuzz: $pkg $target for $fuzztime" >&2
    if ! fuzz_once "$moddir" "$pkg" "$target"; then
      # The fuzzing engine can report the end of -fuzztime itself as a
      # failure ("context deadline exceeded") and save an input that
      # passes. A failure counts when the saved input fails as a plain
      # test; otherwise the input is dropped and the target fuzzed again.
      saved=$(new_inputs "$dir/testdata/fuzz/$target")
      if grep -q '^    context deadline exceeded$' "$log" && [ -n "$saved" ] &&
        (cd "$moddir" && go test -count=1 -run "^${target}\$" "$pkg") >/dev/null 2>&1; then
        echo "fuzz: $pkg $target: the engine stopped on its deadline with an input that passes; fuzzing again" >&2
        # shellcheck disable=SC2086 # one path per line, no spaces
        rm -f $saved
        fuzz_once "$moddir" "$pkg" "$target" || fail "$pkg" "$target" "$dir"
      else
        fail "$pkg" "$target" "$dir"
      fi
    fi
    count=$((count + 1))
  done
done
if [ "$count" -eq 0 ]; then
  echo "fuzz: no fuzz target found in ${pkgs[*]}" >&2
  exit 1
fi
echo "fuzz: $count target(s), $fuzztime each, no failure" >&2
