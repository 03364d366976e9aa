#!/usr/bin/env bash
# Runs every test of the repository, with the real parts they need.
set -euo pipefail
cd "$(dirname "$0")/../.."
tool/scripts/install-deps.sh
go vet ./...
go test -count=1 ./...
