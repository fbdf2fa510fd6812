#!/usr/bin/env bash
# An unpinned 3-node null-executor ensemble on a cluster of real daemons: request to Completed.
#
#   Benchmarks/cluster-deploy.sh [K]     (default: 20 deployments after 2 of warm-up)
#
# Needs a release build: swift build -c release --product nunet (NUNET overrides the binary).
#
# Five daemons (scripts/nunet-cluster start 5); nodes 2-5 are onboarded with one core each, so the three
# one-core allocations land on three different providers; node-1, not onboarded, orchestrates. Each run
# deploys from node-1 with `nunet deploy -f three.yaml --wait` and reads the deployment's own events
# (`nunet get deployment <id> --json`): request to Completed is the first event's time (Preparing, when
# the node accepted the request) to the Completed event's time, both stamped by node-1. The CLI wall time
# (start-up, the request, polling the status every 100 ms until Completed) is reported beside it. Between
# runs the script waits 0.5 s so the providers' releases of the previous run are not timed.
#
# The cluster is stopped on exit, failure or interrupt. Output: Markdown rows and the phases of the
# median run; raw events in $WORK/events.jsonl.
set -euo pipefail

RUNS=${1:-20}
WARMUP=2
# shellcheck source=Benchmarks/cluster-common.sh
source "$(dirname "$0")/cluster-common.sh" cluster-deploy
stop_clusters_on_exit cluster


echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)" >&2
"$CLUSTER" start 5 "$WORK/cluster" >/dev/null
for index in 2 3 4 5; do
    as_user "$WORK/cluster/node-$index" onboard --cpu 1 --ram 3GiB --disk 1GiB --no-gpu >/dev/null
done
home="$WORK/cluster/node-1"
cat >"$home/three.yaml" <<'EOF'
version: V1
allocations:
  a: {type: task, executor: null, resources: {cpu: {cores: 1}, ram: {size: 64MiB}, disk: {size: 64MiB}}, execution: {type: null}}
  b: {type: task, executor: null, resources: {cpu: {cores: 1}, ram: {size: 64MiB}, disk: {size: 64MiB}}, execution: {type: null}}
  c: {type: task, executor: null, resources: {cpu: {cores: 1}, ram: {size: 64MiB}, disk: {size: 64MiB}}, execution: {type: null}}
nodes:
  one: {allocations: [a]}
  two: {allocations: [b]}
  three: {allocations: [c]}
EOF

: >"$WORK/events.jsonl"
: >"$WORK/wall.txt"
for run in $(seq 1 $((WARMUP + RUNS))); do
    start=$(now_ns)
    output=$(as_user "$home" deploy -f three.yaml --wait) || { echo "deploy failed: $output" >&2; exit 1; }
    end=$(now_ns)
    id=$(awk '/^deployment / { print $2; exit }' <<<"$output")
    status=$(as_user "$home" get deployment "$id" --json)
    if [ "$run" -gt "$WARMUP" ]; then
        echo "$(((end - start) / 1000000))" >>"$WORK/wall.txt"
        python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)))' <<<"$status" >>"$WORK/events.jsonl"
    fi
    sleep 0.5
done

python3 - "$WORK/events.jsonl" "$WORK/wall.txt" "$RUNS" <<'EOF'
import json, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
wall = sorted(float(v) for v in open(sys.argv[2]).read().split())
count = sys.argv[3]

def summary(values, fmt="%.1f ms"):
    values = sorted(values)
    return (fmt + " (" + fmt + "–" + fmt + ")") % (values[len(values) // 2], values[0], values[-1])

totals, hosts = [], []
for run in runs:
    assert run["Status"] == "Completed", run["Status"]
    events = run["Events"]
    completed = next(e["At"] for e in events if e["Status"] == "Completed")
    totals.append(((completed - events[0]["At"]) * 1000, run))
    placed = [e["Reason"][len("placed "):] for e in events if e["Reason"].startswith("placed ")]
    hosts.append(len({part.split(" on ")[-1] for reason in placed[-1:] for part in reason.split(", ")}))
print("| 3-node null ensemble, request → Completed (node-1's events), p50 (%s runs) | %s | < 150 ms |"
      % (count, summary([t for t, _ in totals])))
print("| same, CLI wall time of `nunet deploy -f three.yaml --wait` | %s | |" % summary(wall, "%.0f ms"))
print("| distinct providers per deployment | %s | 3 |" % sorted(set(hosts)))
totals.sort(key=lambda item: item[0])
median = totals[len(totals) // 2][1]
start = median["Events"][0]["At"]
print()
print("Events of the median run (ms since the first event):")
previous = start
for event in median["Events"]:
    print("%8.1f  (+%6.1f)  %-12s %s" % ((event["At"] - start) * 1000, (event["At"] - previous) * 1000,
                                        event["Status"], event["Reason"]))
    previous = event["At"]
EOF
