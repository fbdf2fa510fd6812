#!/usr/bin/env bash
# How fast a new daemon finds a network it was told one peer of.
#
#   Benchmarks/cluster-discovery.sh [N] [K]     (defaults: 50 daemons, 5 newcomers)
#
# Needs a release build: swift build -c release --product nunet (NUNET overrides the binary).
#
# Starts N daemons with CLUSTER_BOOTSTRAP=chain (node K knows only node K-1), then adds K newcomers, one
# at a time, each told only of the node before it and stopped (SIGTERM) once measured, so each joins a
# network of N live daemons. For each: the time from its `nunet run` starting to `nunet peers list` on it
# showing 90% of the N (goal: under 10 s). Also how many peers each of the N lists at the end.
#
# The cluster is stopped on exit, failure or interrupt. Output: Markdown rows; raw runs in $WORK/runs.tsv.
set -euo pipefail

COUNT=${1:-50}
NEWCOMERS=${2:-5}
# shellcheck source=Benchmarks/cluster-common.sh
source "$(dirname "$0")/cluster-common.sh" cluster-discovery
stop_clusters_on_exit cluster
export CLUSTER_BOOTSTRAP=chain

listed() { as_user "$1" peers list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["Peers"]))'; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)" >&2
"$CLUSTER" start "$COUNT" "$WORK/cluster" >/dev/null

: >"$WORK/runs.tsv"
for _ in $(seq 1 "$NEWCOMERS"); do
    present=$(find "$WORK/cluster" -maxdepth 1 -name 'node-*' -type d | wc -l)
    wanted=$(((COUNT * 9 + 9) / 10))
    "$CLUSTER" add "$WORK/cluster" >/dev/null
    home="$WORK/cluster/node-$((present + 1))"
    started=$(cat "$home/started_ns")
    while [ "$(listed "$home")" -lt "$wanted" ]; do
        [ $(($(now_ns) - started)) -lt 120000000000 ] || { echo "node-$((present + 1)) never listed $wanted peers" >&2; exit 1; }
        sleep 0.05
    done
    elapsed=$((($(now_ns) - started) / 1000000))
    echo "$((present + 1))	$wanted	$elapsed" >>"$WORK/runs.tsv"
    kill -TERM "$(cat "$home/daemon.pid")"
    # The next newcomer is told of this one's predecessor in the chain, which is still alive.
    cp "$WORK/cluster/node-$present/address" "$home/address"
done

all=()
for index in $(seq 1 "$COUNT"); do all+=("$(listed "$WORK/cluster/node-$index")"); done

echo "| new daemon in a $COUNT-daemon chain: \`nunet run\` to 90% of the others listed (median, range of $NEWCOMERS) | $(cut -f3 "$WORK/runs.tsv" | summary "%.0f ms") | < 10 s |"
echo "| peers listed by each of the $COUNT daemons afterwards (median, range; newcomers they met included) | $(printf '%s\n' "${all[@]}" | summary "%.0f") of $((COUNT - 1)) others | |"
