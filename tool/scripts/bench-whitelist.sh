#!/usr/bin/env bash
# Times whole-process verification of a signed Liste Blanche of N entries
# (default 10,000), side by side in one run with xmlsec1 --verify on the
# same file: drimm whitelist verify in text to a pipe, in JSON to a pipe,
# and drimm whitelist fetch answered 304 by a loopback HTTPS server. Runs
# are interleaved, R rounds (default 10); it prints the median wall time and
# the median CPU time (user + system) of each, and drimm's over xmlsec1's.
#
#   tool/scripts/bench-whitelist.sh [N] [R]
#
# Needs xmlsec1, openssl, python3 (the HTTPS server) and GNU time.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-10000}
rounds=${2:-10}
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
go build -o "$work/drimm" ./tool/cmd/drimm
drimm="$work/drimm"
go run ./tool/cmd/synthreg -operators 50 -drimboxes "$n" -out "$work/registry" >/dev/null
eval "$("$drimm" whitelist testpki --out "$work/pki" 2>/dev/null)"
"$drimm" whitelist build --registry "$work/registry" --out "$work/list.xml" 2>/dev/null
"$drimm" whitelist sign --in "$work/list.xml" --out "$work/signed.xml" --cert-chain "$CERT_CHAIN" --dev-key "$DEV_KEY" 2>/dev/null
list="$work/signed.xml"
echo "list: $n entries, $(du -k "$list" | cut -f1) KiB"

# A loopback HTTPS server answering conditional requests with 304.
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -days 2 -keyout "$work/tls-key.pem" -out "$work/tls.pem" 2>/dev/null
python3 - "$list" "$work/tls.pem" "$work/tls-key.pem" >"$work/port" <<'PY' &
import hashlib, http.server, ssl, sys
body = open(sys.argv[1], 'rb').read()
etag = '"%s"' % hashlib.sha256(body).hexdigest()[:16]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.headers.get('If-None-Match') == etag:
            self.send_response(304); self.send_header('ETag', etag); self.end_headers(); return
        self.send_response(200); self.send_header('ETag', etag)
        self.send_header('Content-Length', str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(sys.argv[2], sys.argv[3])
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print(srv.server_address[1], flush=True)
srv.serve_forever()
PY
server=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
url="https://127.0.0.1:$(cat "$work/port")/LISTEBLANCHE_DRIM-M.xml"
trust=(--trust-anchor "$TRUST_ANCHOR" --crl "$CRL")
fetch=("$drimm" whitelist fetch --url "$url" --out "$work/lb" --tls-ca "$work/tls.pem" "${trust[@]}")
"${fetch[@]}" 2>/dev/null # the first fetch downloads and verifies; the timed ones get 304

declare -A cmd=(
  [xmlsec1]="xmlsec1 --verify --trusted-pem $TRUST_ANCHOR --untrusted-pem $ORG_CA --id-attr:Id http://uri.etsi.org/01903/v1.3.2#:SignedProperties $list"
  [drimm-text]="$drimm whitelist verify ${trust[*]} $list"
  [drimm-json]="$drimm whitelist verify ${trust[*]} --format json $list"
  [drimm-fetch-304]="${fetch[*]}"
)
order=(xmlsec1 drimm-text drimm-json drimm-fetch-304)
for _ in $(seq "$rounds"); do
  for name in "${order[@]}"; do
    /usr/bin/time -a -o "$work/times.$name" -f "%e %U %S" sh -c "${cmd[$name]} 2>/dev/null | cat >/dev/null"
  done
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
printf '%-16s %9s %9s %7s\n' "" "wall ms" "CPU ms" "ratio"
for name in "${order[@]}"; do
  wall=$(awk '{print $1*1000}' "$work/times.$name" | median)
  cpu=$(awk '{print ($2+$3)*1000}' "$work/times.$name" | median)
  [ "$name" = xmlsec1 ] && base=$wall
  printf '%-16s %9.0f %9.0f %6.2fx\n' "$name" "$wall" "$cpu" "$(awk -v a="$wall" -v b="$base" 'BEGIN{print a/b}')"
done
echo "ratio: median wall time over xmlsec1's; $rounds interleaved rounds; $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
