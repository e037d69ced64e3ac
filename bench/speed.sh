#!/usr/bin/env bash
# Speed benchmark: builds tlsaudit and runs bench/fleetbench, which stands
# up a bed of loopback endpoints (default 500, 50 of them static-RSA only)
# and prints one table: targets/s, the ratio to a bare crypto/tls
# handshake loop in the same round, connections per target, client CPU per
# target and peak RSS, for the certificate-only and default audits.
#
#   bench/speed.sh [fleetbench flags]      e.g. -rounds 5 -n 1000 -static-rsa 100
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/tlsaudit" .
go build -o "$dir/fleetbench" ./bench/fleetbench
"$dir/fleetbench" -tlsaudit "$dir/tlsaudit" "$@"
