#!/usr/bin/env bash
# Installs the Debian packages drimm's pipeline and tests use for real:
# SoftHSM2 and pkcs11-tool (PKCS#11 signing), xmlsec1 and xmllint (XML
# signature and schema interop), named-checkzone (DNS zone), Chromium (the
# weather page in a browser), blackbox_exporter (probe comparison), git,
# openssl, the shellcheck that actionlint runs on workflow scripts, npm
# with axe-core (the weather page's accessibility test) and xadesjs (an
# independent XAdES verifier of the signed list, as a DRIMbox written in
# JavaScript has it), and systemd (systemd-analyze verify of the units a
# DRIMbox installs).
set -euo pipefail
need=()
for pair in softhsm2-util:softhsm2 pkcs11-tool:opensc xmlsec1:xmlsec1 xmllint:libxml2-utils \
  named-checkzone:bind9-utils chromium:chromium prometheus-blackbox-exporter:prometheus-blackbox-exporter git:git \
  shellcheck:shellcheck openssl:openssl npm:npm systemd-analyze:systemd; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ ! -f "$(npm root -g)/axe-core/axe.min.js" ]; then
  echo "installing: axe-core (npm)" >&2
  $sudo npm install -g --no-fund --no-audit axe-core@4.11.0 >/dev/null
fi
# The xadesjs test records which kit vectors this version refuses: keep
# the pinned one.
if ! grep -qs '"version": "2.6.8"' "$(npm root -g)/xadesjs/package.json"; then
  echo "installing: xadesjs (npm)" >&2
  $sudo npm install -g --no-fund --no-audit xadesjs@2.6.8 >/dev/null
fi
