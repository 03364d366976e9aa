#!/usr/bin/env bash
# Runs Go tests with the process clock moved ahead, to prove that no test
# mixes its fixed clock with the real one and none depends on today's date.
#
#   tool/scripts/clockshift.sh SHIFT [go test arguments...]
#
# SHIFT is a duration in seconds (86400), or in days, months or years
# (1d, 13m, 3y). The shift is applied to time.Now through a `go -overlay`
# of the standard library's time package, so every clock read in the test
# binary (the code under test, the test, crypto/tls, go-git) moves
# together; timers and monotonic durations are unchanged.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ $# -lt 1 ]; then
  echo "usage: $0 SHIFT [go test arguments...]" >&2
  exit 2
fi
shift_arg=$1
shift
case "$shift_arg" in
  *d) seconds=$(( ${shift_arg%d} * 86400 )) ;;
  *m) seconds=$(( ${shift_arg%m} * 2629746 )) ;; # an average Gregorian month
  *y) seconds=$(( ${shift_arg%y} * 31556952 )) ;;
  *[!0-9-]*|"") echo "$0: SHIFT is seconds or a number followed by d, m or y, not $shift_arg" >&2; exit 2 ;;
  *) seconds=$shift_arg ;;
esac
goroot=$(go env GOROOT)
src="$goroot/src/time/time.go"
grep -q 'sec, nsec, mono := runtimeNow()' "$src" || {
  echo "$0: $src no longer reads the clock as this script expects; update the overlay" >&2
  exit 3
}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed 's/^\(\tsec, nsec, mono := runtimeNow()\)$/\1\n\tsec += clockShift()/' "$src" > "$dir/time.go"
cat > "$dir/clockshift.go" <<'GO'
package time

import "syscall"

var clockShiftSeconds = func() int64 {
	s, _ := syscall.Getenv("DRIMM_TEST_CLOCK_SHIFT")
	var n int64
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		return -n
	}
	return n
}()

func clockShift() int64 { return clockShiftSeconds }
GO
cat > "$dir/overlay.json" <<JSON
{"Replace": {"$src": "$dir/time.go", "$goroot/src/time/zz_clockshift.go": "$dir/clockshift.go"}}
JSON
echo "clock moved ahead by $shift_arg ($seconds s)" >&2
# vet runs in the normal pass; it does not follow overlays of the standard library.
DRIMM_TEST_CLOCK_SHIFT=$seconds go test -vet=off -overlay="$dir/overlay.json" "$@"
