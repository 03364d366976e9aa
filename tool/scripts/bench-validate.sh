#!/usr/bin/env bash
# Times whole-process `drimm validate` on a synthetic registry of N
# DRIMboxes (default 10,000) with complete dossiers: cold (no cache) and
# warm (records unchanged since the last run), plus the Go benchmarks.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-10000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/drimm" ./tool/cmd/drimm
go run ./tool/cmd/synthreg -operators 50 -drimboxes "$n" -out "$work/registry"
echo "registry: $n DRIMboxes, $(du -sh "$work/registry" | cut -f1) on disk"
export XDG_CACHE_HOME="$work/cache"
t() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); awk -v s="$s" -v e="$e" 'BEGIN{printf "%.2f", e-s}'; }
echo "cold (no cache):   $(DRIMM_NO_CACHE=1 t "$work/drimm" validate --registry "$work/registry") s"
t "$work/drimm" validate --registry "$work/registry" >/dev/null
for i in 1 2 3; do
  echo "warm run $i:        $(t "$work/drimm" validate --registry "$work/registry") s"
done
go test ./tool/internal/registry ./tool/internal/validation -run '^$' -bench . -benchtime 2000x | grep -E '^Benchmark'
