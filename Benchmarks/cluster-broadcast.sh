#!/usr/bin/env bash
# Broadcast delivery on a cluster of real daemons, and what node-1 holds per connected peer.
#
#   Benchmarks/cluster-broadcast.sh [N] [K]     (defaults: 50 daemons, 10 runs per setting)
#
# Needs a release build: swift build -c release --product nunet (NUNET overrides the binary).
#
# 1. One daemon alone (scripts/nunet-cluster start 1): after the same CLI calls as node-1 below, its RSS.
# 2. N daemons (scripts/nunet-cluster start N), each dialling node-1. From node-1 as the cluster user:
#    - `nunet actor cmd /public/hello`, K times: the CLI's own cost (start-up, keys, one REST round trip,
#      one actor message to node-1 itself);
#    - `nunet actor cmd /broadcast/hello --timeout T`, K times for each T of a ladder. The node collects
#      replies until the broadcast expires (ClientGateway.broadcast has no reply count to stop at), so the
#      CLI always takes about start-up + T, whatever the network does; what a run tells is how many of
#      the N nodes had received the broadcast, checked it, answered and had their reply back at node-1
#      within T of the envelope being made (the CLI stamps the expiry right before signing and posting).
#      The smallest T at which all K runs got N replies bounds the time to every node and back.
# 3. RSS of node-1 and of node-N, and node-1's established p2p connections (ss).
#
# The cluster is stopped on exit, failure or interrupt. Output: Markdown rows; raw runs in $WORK/runs.tsv.
set -euo pipefail

COUNT=${1:-50}
RUNS=${2:-10}
LADDER=${LADDER:-"25ms 50ms 75ms 100ms 150ms 200ms 300ms 500ms 1s"}
# shellcheck source=Benchmarks/cluster-common.sh
source "$(dirname "$0")/cluster-common.sh" cluster-broadcast
stop_clusters_on_exit single cluster

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# Counts the distinct DIDs in a JSON array of hello replies (0 if the CLI failed).
replies() { python3 -c 'import json,sys; print(len({json.dumps(r, sort_keys=True) for r in json.load(sys.stdin)}))' 2>/dev/null || echo 0; }

# One CLI call on node-1, timed: prints "<milliseconds> <distinct replies>".
timed_call() {
    local home=$1 start end output
    shift
    start=$(now_ns)
    output=$(as_user "$home" actor cmd "$@" 2>/dev/null) || output="[]"
    end=$(now_ns)
    echo "$(((end - start) / 1000000)) $(replies <<<"$output")"
}


echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)" >&2

# 1. A daemon alone.
"$CLUSTER" start 1 "$WORK/single" >/dev/null
single_home=$(node_field "$WORK/single/cluster.json" 0 home)
single_pid=$(node_field "$WORK/single/cluster.json" 0 pid)
for _ in $(seq 1 "$RUNS"); do
    timed_call "$single_home" /public/hello >/dev/null
    timed_call "$single_home" /broadcast/hello --timeout 100ms >/dev/null
done
sleep 2
single_rss=$(rss_kib "$single_pid")
"$CLUSTER" stop "$WORK/single"

# 2. N daemons.
start=$(now_ns)
"$CLUSTER" start "$COUNT" "$WORK/cluster" >/dev/null
echo "started $COUNT daemons in $((($(now_ns) - start) / 1000000000)) s" >&2
json="$WORK/cluster/cluster.json"
home=$(node_field "$json" 0 home)
pid=$(node_field "$json" 0 pid)
last_pid=$(node_field "$json" $((COUNT - 1)) pid)
p2p_port=$(node_field "$json" 0 listen | awk -F/ '{ print $5 }')

# Meshes form within a few heartbeats; wait until one broadcast reaches every node.
for attempt in $(seq 1 30); do
    read -r _ got < <(timed_call "$home" /broadcast/hello --timeout 2s)
    [ "$got" -eq "$COUNT" ] && break
    [ "$attempt" -lt 30 ] || { echo "broadcasts reach only $got of $COUNT nodes" >&2; exit 1; }
    sleep 1
done

: >"$WORK/runs.tsv"
for _ in $(seq 1 "$RUNS"); do
    read -r ms got < <(timed_call "$home" /public/hello)
    printf 'hello\t-\t%s\t%s\n' "$ms" "$got" >>"$WORK/runs.tsv"
done
for timeout in $LADDER; do
    for _ in $(seq 1 "$RUNS"); do
        read -r ms got < <(timed_call "$home" /broadcast/hello --timeout "$timeout")
        printf 'broadcast\t%s\t%s\t%s\n' "$timeout" "$ms" "$got" >>"$WORK/runs.tsv"
    done
done

# 3. Memory.
sleep 2
node1_rss=$(rss_kib "$pid")
last_rss=$(rss_kib "$last_pid")
peers=$(ss -tnpH state established "( sport = :$p2p_port )" | grep -c "pid=$pid," || true)

hello_ms=$(awk -F'\t' '$1 == "hello" { print $3 }' "$WORK/runs.tsv" | summary "%.0f ms")
echo "| \`nunet actor cmd /public/hello\` to node-1, CLI wall time ($RUNS runs) | $hello_ms | |"
for timeout in $LADDER; do
    rows=$(awk -F'\t' -v t="$timeout" '$1 == "broadcast" && $2 == t' "$WORK/runs.tsv")
    got=$(awk -F'\t' '{ print $4 }' <<<"$rows" | summary "%.0f")
    all=$(awk -F'\t' -v n="$COUNT" '$4 == n' <<<"$rows" | wc -l)
    share=$(awk -F'\t' -v n="$COUNT" '{ s += $4; c++ } END { printf "%.1f%%", 100 * s / (n * c) }' <<<"$rows")
    wall=$(awk -F'\t' '{ print $3 }' <<<"$rows" | summary "%.0f ms")
    echo "| \`/broadcast/hello --timeout $timeout\`: replies of $COUNT (median, range) / runs with all / share of replies / CLI wall | $got / $all of $RUNS / $share / $wall | |"
done
echo "| RSS, one daemon alone | $single_rss KiB | |"
echo "| RSS, node-1 with $peers established p2p connections | $node1_rss KiB = $(((node1_rss - single_rss) / (peers > 0 ? peers : 1))) KiB per peer over the lone daemon | |"
echo "| RSS, node-$COUNT (a leaf) | $last_rss KiB | |"
