#!/usr/bin/env bash
# Times whole-process `drimm validate` on a synthetic registry of N
# DRIMboxes (default 10,000) with complete dossiers, cold (no cache) and
# warm, side by side with `drimm validate --base B --head H` on a pull
# request that changes one record, its objects loose (a fresh commit) and
# packed (after git gc); then the Go benchmarks.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-10000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/drimm" ./tool/cmd/drimm
repo="$work/repo"
go run ./tool/cmd/synthreg -operators 50 -drimboxes "$n" -out "$repo/registry"
echo "registry: $n DRIMboxes, $(du -sh "$repo/registry" | cut -f1) on disk, $(nproc) core(s)"
g() { git -C "$repo" -c user.name=bench -c user.email=bench@example.invalid -c gc.auto=0 "$@"; }
g init -q -b main .
g add registry
g commit -q -m base
record=$(find "$repo/registry/operators" -name '*.yaml' -path '*drimboxes*' | sort | sed -n 1p)
sed -i 's/label: PACS principal/label: PACS de secours/' "$record"
g commit -q -am 'one record changes'
export XDG_CACHE_HOME="$work/cache"
# t prints the wall-clock and CPU (user + system) seconds of one run.
t() {
  local out
  out=$( { TIMEFORMAT='%R %U %S'; time (cd "$repo" && "$@" >/dev/null 2>&1); } 2>&1 ) || { echo "failed: $*" >&2; exit 1; }
  awk '{printf "%6.2f s wall, %6.2f s CPU", $1, $2 + $3}' <<<"$out"
}
pr() { t env DRIMM_NO_CACHE=1 "$work/drimm" validate --base HEAD~1 --head HEAD --author operateur-001-bot; }
whole=$(t env DRIMM_NO_CACHE=1 "$work/drimm" validate)
loose=$(pr)
g gc -q
packed=$(pr)
t "$work/drimm" validate >/dev/null
warm=$(t "$work/drimm" validate)
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-58s %s\n' "drimm validate, whole registry, cold (no cache)" "$whole" \
  "drimm validate, whole registry, warm (cache)" "$warm" \
  "drimm validate --base --head, one record, loose objects" "$loose" \
  "drimm validate --base --head, one record, packed objects" "$packed"
go test ./tool/internal/registry ./tool/internal/validation -run '^$' -bench . -benchtime 2000x | grep -E '^Benchmark'
