#!/usr/bin/env bash
# Measures the Météo des DRIMbox side by side in one run: drimm status
# build on 5,000 DRIMboxes x 90 days as a whole process (first build, a
# build with nothing changed, a build after one more five-minute run) and
# in process, the index in headless Chromium, drimm probe against
# prometheus-blackbox-exporter on 10,000 loopback DRIMboxes (PROBE=0 skips
# it), and the repository growth with one prober and with three vantage
# points. DAYS sets the days the growth benchmark simulates (default 3; at
# least 2, the growth being from the first day's end to the last's).
# Wall times depend on what else the machine runs: the CPU seconds and the
# load average are printed beside them. No site is removed before a timed
# build (see BenchmarkBuild5000): on ext4 without a journal, files created
# within 30 seconds of 20,000 removals cost several times more system time.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/drimm" ./tool/cmd/drimm
echo "$(nproc) core(s), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== data: 5,000 DRIMboxes, 89 days of rollups and today's runs, dated now"
go test -run XXX -bench 'Build5000/full' -benchtime 1x ./tool/internal/site -args -keep "$work/status" | grep -E '^Benchmark' || true
echo "   $(du -sh "$work/status" | cut -f1) in status/"
t() {
  /usr/bin/time -f '%e s wall, %U+%S s CPU, %M KiB max RSS' "$@" >/dev/null 2>"$work/time" || { cat "$work/time"; return 1; }
  echo "$(tail -1 "$work/time") ($(grep -o 'wrote [0-9]* files\?' "$work/time"))"
}
build() { t "$work/drimm" status build --data "$work/status" --out "$work/site" --registry "$work/none"; }
echo "== drimm status build, whole process"
echo "first build (full):        $(build)"
echo "again, nothing changed:    $(build)"
go test -run XXX -bench NextRun5000 -benchtime 1x ./tool/internal/site -args -next-run "$work/status" >/dev/null
echo "after one more run:        $(build)"
echo "   $(find "$work/site" -type f | wc -l) files, index.html $(du -k "$work/site/index.html" | cut -f1) KiB"
echo "== in process (full build; build after one more run)"
go test -run XXX -bench 'Build5000' -benchtime 3x ./tool/internal/site | grep -E '^Benchmark'
echo "== index.html of 5,000 DRIMboxes in headless Chromium"
go test -run XXX -bench IndexLoad5000 -benchtime 5x ./tool/internal/site | grep -E '^Benchmark'
if [ "${PROBE:-1}" != 0 ]; then
  echo "== drimm probe vs prometheus-blackbox-exporter, 10,000 loopback DRIMboxes (RSA-2048 keys)"
  go test -run XXX -bench Probe10000 -benchtime 1x -timeout 30m ./tool/internal/sim | grep -E '^Benchmark|DRIMboxes:|blackbox_exporter:'
fi
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== repository growth, 5,000 DRIMboxes every 5 minutes for ${DAYS:-3} days"
go test -run XXX -bench RepoGrowth -benchtime 1x -timeout 180m ./tool/internal/status -args -growth-days "${DAYS:-3}" | grep -E '^Benchmark'
