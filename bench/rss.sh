#!/usr/bin/env bash
# Peak memory of a fleet scan, or of merging its shards: builds tlsaudit,
# serves the lab's wildcard endpoint (`tlsaudit lab`), writes line lists of
# N distinct targets on it (t000001.wildcard.tlsaudit.test …), and prints
# peak RSS, time and rate per N.
#
#   bench/rss.sh [FORMAT] [N ...]            scan with --format FORMAT; default: jsonl 10000 100000
#   bench/rss.sh merge:FORMAT,... [N ...]    scan N targets as 4 JSON Lines shards (--shard K/4),
#                                            then measure `tlsaudit merge` of the shards into each FORMAT
#   SCAN_FLAGS="--protocol tls --skip protocol-*,cipher-*,dh-*" bench/rss.sh   # certificate audit only
#   UNTRUSTED=1 bench/rss.sh sarif           # the lab's root not trusted: a finding per target
#
# Flat means the peak does not grow with N: targets are streamed from the
# file (see targets/source.go), JSON Lines holds nothing, and
# SARIF and merge keep what they must order on disk (see internal/spill).
set -euo pipefail
set -f # SCAN_FLAGS holds globs for --skip, not for the shell
cd "$(dirname "$0")/.."
format=${1:-jsonl}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
merge=
case $format in merge:*) merge=1 format=${format#merge:} ;; esac

dir=$(mktemp -d)
ca=(--ca "$dir/lab-root-ca.pem")
[ "${UNTRUSTED:-0}" = 1 ] && ca=()
lab_pid=
cleanup() {
  if [ -n "$lab_pid" ]; then kill "$lab_pid" 2>/dev/null || true; wait "$lab_pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
go build -o "$dir/tlsaudit" .
"$dir/tlsaudit" lab --dir "$dir" -o "$dir/lab.yaml" 2>"$dir/lab.log" &
lab_pid=$!
for _ in $(seq 100); do [ -s "$dir/lab.yaml" ] && break; sleep 0.1; done
port=$(awk '/- name: "wildcard"/ {f=1} f && /port:/ {print $2; exit}' "$dir/lab.yaml")
[ -n "$port" ] || { echo "no wildcard endpoint in the lab" >&2; exit 1; }

# measure LABEL N CMD...: runs CMD with standard output counted, prints a row.
measure() {
  local label=$1 n=$2
  shift 2
  /usr/bin/time -o "$dir/time.txt" -f '%M %e' "$@" 2>"$dir/run.log" | wc -l >"$dir/lines.txt" || true
  read -r kib secs <"$dir/time.txt"
  printf '%-12s %8d %9.1f MiB %10.1f %10.0f %12d\n' "$label" "$n" "$(echo "$kib/1024" | bc -l)" "$secs" \
    "$(echo "$n/$secs" | bc -l)" "$(cat "$dir/lines.txt")"
}

echo "scan flags: ${SCAN_FLAGS:-(none: the default audit)}${UNTRUSTED:+; lab root not trusted}"
printf '%-12s %8s %12s %10s %10s %12s\n' format targets "peak RSS" seconds targets/s "lines out"
for n in "${sizes[@]}"; do
  seq -f "127.0.0.1:$port t%06.0f.wildcard.tlsaudit.test" 1 "$n" >"$dir/targets.txt"
  if [ -z "$merge" ]; then
    measure "$format" "$n" "$dir/tlsaudit" scan -f "$dir/targets.txt" ${ca[@]+"${ca[@]}"} \
      --format "$format" --fail-on none --progress=never ${SCAN_FLAGS:-}
    continue
  fi
  for k in 1 2 3 4; do
    "$dir/tlsaudit" scan -f "$dir/targets.txt" ${ca[@]+"${ca[@]}"} --shard "$k/4" \
      --format jsonl -o "$dir/shard-$k.jsonl" --fail-on none --progress=never ${SCAN_FLAGS:-} 2>>"$dir/scan.log" || true
  done
  for f in ${format//,/ }; do
    measure "merge:$f" "$n" "$dir/tlsaudit" merge "$dir"/shard-1.jsonl "$dir"/shard-2.jsonl "$dir"/shard-3.jsonl "$dir"/shard-4.jsonl \
      --format "$f" --fail-on none
  done
done
