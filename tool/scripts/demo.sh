#!/usr/bin/env bash
# The main job on the sample registry, as CI runs it: validate the registry.
# Everything it writes goes to .demo/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/../.."
tool/scripts/install-deps.sh
out=.demo
rm -rf "$out"
mkdir -p "$out/bin"
go build -o "$out/bin/drimm" ./tool/cmd/drimm
drimm="$out/bin/drimm"

echo "== validate the registry" >&2
"$drimm" validate
