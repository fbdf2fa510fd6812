#!/usr/bin/env bash
# REST latency of one daemon (Benchmarks/RESULTS.md, "Footprint and hostile load", the executor table): starts
# `NUNET run` (default the release build) in a fresh home, then times `GET /health` from Python's http.client on
# loopback: 3,000 requests on one keep-alive connection after 200 unmeasured, then 1,000 on a new connection each
# after 100. Prints p50 and p99 of both.
# Usage: Benchmarks/rest-latency.sh [NUNET]
set -euo pipefail
nunet="${1:-$(cd "$(dirname "$0")/.." && pwd)/.build/release/nunet}"
home="$(mktemp -d)"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DMS_GENERAL_KEYSTORE_KDF_COST=12 DMS_P2P_LISTEN_ADDRESSES=/ip4/127.0.0.1/tcp/0 DMS_PASSPHRASE=benchmark
export HOME="$home" NUNET_HOME="$home"
(cd "$home" && exec "$nunet" run --rest-port "$port" >"$home/daemon.log" 2>&1) &
daemon=$!
trap 'kill $daemon 2>/dev/null; wait $daemon 2>/dev/null; rm -rf "$home"' EXIT
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
  sleep 0.2
done
sleep 3
python3 - "$port" <<'PY'
import http.client, sys, time

port = int(sys.argv[1])

def timed(count, warm_up, request):
    times = []
    for index in range(count + warm_up):
        start = time.perf_counter()
        request()
        if index >= warm_up:
            times.append(time.perf_counter() - start)
    times.sort()
    return times[len(times) // 2] * 1e6, times[len(times) * 99 // 100] * 1e6

kept = http.client.HTTPConnection("127.0.0.1", port)
def on_kept():
    kept.request("GET", "/health")
    kept.getresponse().read()

def on_new():
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", "/health")
    connection.getresponse().read()
    connection.close()

keep_alive = timed(3000, 200, on_kept)
new = timed(1000, 100, on_new)
print(f"keep-alive p50 {keep_alive[0]:.0f} p99 {keep_alive[1]:.0f} µs; new connection p50 {new[0]:.0f} p99 {new[1]:.0f} µs")
PY
