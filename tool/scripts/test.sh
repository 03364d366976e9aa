#!/usr/bin/env bash
# Runs every test of the repository, with the real parts they need.
set -euo pipefail
cd "$(dirname "$0")/../.."
tool/scripts/install-deps.sh
go vet ./...
go tool staticcheck ./...
go test -count=1 -timeout 30m ./...
# The same tests with the process clock moved ahead: none may mix its fixed
# clock with the real one or depend on today's date. Every package at +3
# years; all but the workflow runner (minutes per run) at +1 day and +13
# months.
tool/scripts/clockshift.sh 3y -count=1 -timeout 30m ./...
fast=$(go list ./... | grep -v '/tool/internal/github$')
for shift in 1d 13m; do
  # shellcheck disable=SC2086 # one argument per package
  tool/scripts/clockshift.sh "$shift" -count=1 -timeout 30m $fast
done
