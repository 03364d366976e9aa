#!/usr/bin/env bash
# The main job on the sample registry, as CI runs it, on this machine only:
#   1. validate the registry;
#   2. create a throwaway IGC Santé-shaped PKI and a SoftHSM2 token holding
#      the signing key; build, sign through PKCS#11, verify and publish the
#      Liste Blanche; verify it again as a DRIMbox does, and with xmlsec1;
#   3. start simulated DRIMboxes on loopback, probe them, build the
#      Météo des DRIMbox.
# Everything it writes goes to .demo/ (ignored by git); the repository's
# whitelist/ and status/ are left as they are.
set -euo pipefail
cd "$(dirname "$0")/../.."
tool/scripts/install-deps.sh
out=.demo
rm -rf "$out"
mkdir -p "$out/bin"
go build -o "$out/bin/drimm" ./tool/cmd/drimm
drimm="$out/bin/drimm"

echo "== 1. validate the registry" >&2
"$drimm" validate

echo "== 2. throwaway PKI and SoftHSM2 token; publish the Liste Blanche; verify as a DRIMbox" >&2
eval "$("$drimm" whitelist testpki --out "$out/pki")"
export SOFTHSM2_CONF
DRIMM_PKCS11_PIN=$(cat "$PIN_FILE") "$drimm" whitelist publish --out "$out/whitelist" \
  --cert-chain "$CERT_CHAIN" --pkcs11-module "$PKCS11_MODULE" --token-label "$TOKEN_LABEL" \
  --key-label "$KEY_LABEL" --trust-anchor "$TRUST_ANCHOR"
list="$out/whitelist/LISTEBLANCHE_DRIM-M.xml"
"$drimm" whitelist verify --trust-anchor "$TRUST_ANCHOR" --crl "$CRL" --state "$out/drimbox.state" "$list"
xmlsec1 --verify --trusted-pem "$TRUST_ANCHOR" --untrusted-pem "$ORG_CA" \
  --id-attr:Id "http://uri.etsi.org/01903/v1.3.2#:SignedProperties" "$list"

echo "== 3. probe simulated DRIMboxes on loopback; build the Météo des DRIMbox" >&2
"$drimm" status demo --out "$out/meteo"

echo "== done: the Liste Blanche is in $out/whitelist, the weather page in $out/meteo/site/index.html" >&2
