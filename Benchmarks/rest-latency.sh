#!/usr/bin/env bash
# REST latency of one daemon (Benchmarks/RESULTS.md, "Footprint and hostile load", the executor table): starts
# `NUNET run` (default the release build) in a fresh home, then times `GET /health` from Python's http.client on
# loopback: 3,000 requests on one keep-alive connection after 200 unmeasured, then 1,000 on a new connection each
# after 100. Prints p50 and p99 of both.
# Usage: [NUNET=path] Benchmarks/rest-latency.sh
set -euo pipefail
source "$(dirname "$0")/cluster-common.sh" rest-latency
export DMS_GENERAL_KEYSTORE_KDF_COST=12 DMS_P2P_LISTEN_ADDRESSES=/ip4/127.0.0.1/tcp/0
port=$(free_port)
mkdir -p "$WORK/node"
start_daemon "$WORK/node" "$port"
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
