#!/usr/bin/env bash
# Runs every fuzz target of the repository for a bounded time each, beyond
# its seed corpus. Targets are found, not listed: a new FuzzX in any test
# file runs here without editing this script.
#
#   tool/scripts/fuzz.sh            # FUZZTIME per target (default 4s)
#   FUZZTIME=1m tool/scripts/fuzz.sh ./tool/internal/registry
set -euo pipefail
cd "$(dirname "$0")/../.."
fuzztime=${FUZZTIME:-4s}
pkgs=("$@")
if [ ${#pkgs[@]} -eq 0 ]; then
  # The verifier's module (tool/listeblanche) is not under ./...: named.
  mapfile -t pkgs < <(go list ./... github.com/drim-m/trust-space/tool/listeblanche/...)
fi
count=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for pkg in "${pkgs[@]}"; do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  # go test -fuzz runs in the package's own module only.
  moddir=$(go list -f '{{.Module.Dir}}' "$pkg")
  mapfile -t targets < <(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u)
  for target in "${targets[@]}"; do
    [ -n "$target" ] || continue
    echo "fuzz: $pkg $target for $fuzztime" >&2
    if ! (cd "$moddir" && go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -parallel 2 "$pkg") >"$log" 2>&1; then
      cat "$log" >&2
      echo "fuzz: $pkg $target failed; the failing input is under $dir/testdata/fuzz/$target" >&2
      exit 1
    fi
    count=$((count + 1))
  done
done
if [ "$count" -eq 0 ]; then
  echo "fuzz: no fuzz target found in ${pkgs[*]}" >&2
  exit 1
fi
echo "fuzz: $count target(s), $fuzztime each, no failure" >&2
