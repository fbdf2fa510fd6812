#!/usr/bin/env bash
# Connection setup (TCP + multistream + Noise XX + yamux + first stream + a 32-byte echo), Swift against Go in
# the same run, both ways of placing the two hosts:
#   in one process   `nunet-bench libp2p-setup` and `GoTransport -only setup`, as Benchmarks/RESULTS.md had;
#   two processes    the listener and the dialer in separate processes, as between two daemons
#                    (`nunet-bench libp2p-setup-listen` / `libp2p-setup-dial`, `GoTransport -setup-listen` /
#                    `-setup-dial`).
# Each round runs the four in turn; each invocation times 1,000 sequential setups after 10 unmeasured.
# Prints every invocation's p50 and p99, then the median and range of the p50s and p99s per column.
# Usage: Benchmarks/setup-two-process.sh [ROUNDS]   (default 7; NUNET_BENCH=path to use a built nunet-bench)
set -euo pipefail
rounds="${1:-7}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
bench="${NUNET_BENCH:-$root/.build/release/nunet-bench}"
if [ -z "${NUNET_BENCH:-}" ]; then
  (cd "$root" && swift build -c release --product nunet-bench >&2)
fi
tmp="$(mktemp -d)"
trap 'exec 9>&- 2>/dev/null || true; rm -rf "$tmp"' EXIT
GOTRANSPORT_BINARY="$tmp/gotransport" "$here/GoTransport/run.sh"
go="$tmp/gotransport"

# Starts a listener ("$@") whose standard input stays open on descriptor 9 until stop_listener, and waits
# for the first line it prints: its address.
start_listener() {
  rm -f "$tmp/in" "$tmp/address"
  mkfifo "$tmp/in"
  "$@" <"$tmp/in" >"$tmp/address" &
  listener=$!
  exec 9>"$tmp/in"
  for _ in $(seq 200); do
    [ -s "$tmp/address" ] && return 0
    sleep 0.05
  done
  echo "the listener ($*) printed no address" >&2
  exit 1
}
stop_listener() {
  exec 9>&-
  wait "$listener"
}

# Lines "column p50_us p99_us" for the summary.
swift_figures() { # reads nunet-bench rows
  awk -v column="$1" -F'|' '/p50/ { gsub(/[^0-9.]/, "", $3); p50 = $3 }
    /p99/ { gsub(/[^0-9.]/, "", $3); p99 = $3 } END { print column, p50, p99 }'
}
go_figures() { # reads GoTransport's JSON lines
  python3 -c '
import json, sys
place = sys.argv[1]
for line in sys.stdin:
    r = json.loads(line)
    mss = r["bench"].rsplit("-", 1)[1]
    print(f"go-{mss}-{place}", r["p50_us"], r["p99_us"])' "$1"
}

results="$tmp/results"
: >"$results"
for round in $(seq "$rounds"); do
  echo "round $round of $rounds ($(date -u +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))" >&2
  "$bench" libp2p-setup | swift_figures swift-one-process | tee -a "$results" >&2
  "$go" -only setup | go_figures one-process | tee -a "$results" >&2
  start_listener "$bench" libp2p-setup-listen
  "$bench" libp2p-setup-dial "$(head -1 "$tmp/address")" | swift_figures swift-two-processes | tee -a "$results" >&2
  stop_listener
  start_listener "$go" -setup-listen
  "$go" -only setup -setup-dial "$(head -1 "$tmp/address")" | go_figures two-processes | tee -a "$results" >&2
  stop_listener
done

python3 - "$results" "$rounds" <<'EOF'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    column, p50, p99 = line.split()
    rows.setdefault(column, []).append((float(p50), float(p99)))
def figure(values):
    return f"{statistics.median(values):.0f} µs ({min(values):.0f}–{max(values):.0f})"
print(f"\n{sys.argv[2]} rounds; median and range of the invocations' figures\n")
print("| setup + 32-byte echo | p50 | p99 |")
print("|---|---|---|")
for column in ["swift-one-process", "go-eager-one-process", "go-lazy-one-process",
               "swift-two-processes", "go-eager-two-processes", "go-lazy-two-processes"]:
    if column in rows:
        print(f"| {column} | {figure([r[0] for r in rows[column]])} | {figure([r[1] for r in rows[column]])} |")
EOF
