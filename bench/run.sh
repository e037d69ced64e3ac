#!/usr/bin/env bash
# Fleet speed benchmark: scans fleets of 100 and 1000 loopback endpoints
# with a bare crypto/tls handshake loop (the limit), the default audit and
# the full audit (with protocol enumeration), and prints a table of
# medians with each audit's rate as a ratio of the raw rate.
#
#   bench/run.sh [ROUNDS] [BENCHTIME]      default: 5 rounds, 3x
#
# Each round is a separate run of every mode, one after the other, so the
# ratios compare measurements taken side by side on a noisy machine. Raw
# output goes to bench/out/fleet.txt (benchstat-compatible:
# `go run golang.org/x/perf/cmd/benchstat@latest bench/out/fleet.txt`).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
benchtime=${2:-3x}
mkdir -p bench/out
out=bench/out/fleet.txt
: >"$out"
bin=$(mktemp -d)/scanner.test
trap 'rm -rf "$(dirname "$bin")"' EXIT
go test -c -o "$bin" ./scanner
echo "fleet benchmark: $rounds rounds, benchtime $benchtime, $(nproc) CPUs, ulimit -n $(ulimit -n)" >&2
for i in $(seq "$rounds"); do
  echo "round $i/$rounds" >&2
  (cd scanner && "$bin" -test.run '^$' -test.bench '^BenchmarkFleet$' -test.benchtime "$benchtime" -test.count 1 -test.v) |
    grep -E '^(Benchmark|goos|goarch|pkg|cpu)|SKIP|skip' | tee -a "$out" >&2
done
echo
go run ./bench/fleettable <"$out"
# Medians with confidence intervals, when the module proxy serves benchstat.
if [ "${BENCHSTAT:-1}" = 1 ]; then
  echo
  go run golang.org/x/perf/cmd/benchstat@latest "$out" 2>/dev/null || echo "(benchstat not available)"
fi
