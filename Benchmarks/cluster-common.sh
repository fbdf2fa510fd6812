# Shared by the cluster benchmarks (sourced, not run): the release binary, the cluster script, and a work
# directory under .build (not /tmp: homes and logs must outlive tmp cleaners while daemons run; BENCH_DIR
# overrides). Sets ROOT, NUNET, CLUSTER and WORK; takes the benchmark's name. Defines `as_user`, `free_port`,
# `start_daemon`, `stop_clusters_on_exit`, `now_ns`, `summary` and `node_field`.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NUNET=${NUNET:-$ROOT/.build/release/nunet}
CLUSTER="$ROOT/scripts/nunet-cluster"
export NUNET DMS_PASSPHRASE=cluster

[ -x "$NUNET" ] || { echo "no $NUNET: swift build -c release --product nunet" >&2; exit 1; }
mkdir -p "${BENCH_DIR:-$ROOT/.build/bench}"
WORK=$(mktemp -d "${BENCH_DIR:-$ROOT/.build/bench}/$1.XXXXXX")

# Runs nunet as the cluster user on a node's home, from inside it (relative file names resolve there).
as_user() {
    local home=$1
    shift
    (cd "$home" && HOME="$home" NUNET_HOME="$home" "$NUNET" "$@")
}

# A free TCP port on loopback.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Starts one daemon on a node's home with its REST API on PORT, stops it when the benchmark ends, and returns once it
# answers /health: start_daemon HOME PORT. Sets DAEMON (its pid); its output goes to WORK/daemon.log.
start_daemon() {
    local home=$1 port=$2
    (cd "$home" && HOME="$home" NUNET_HOME="$home" exec "$NUNET" run --rest-port "$port" >"$WORK/daemon.log" 2>&1) &
    DAEMON=$!
    trap 'kill $DAEMON 2>/dev/null; wait $DAEMON 2>/dev/null; echo "logs in $WORK" >&2' EXIT
    for _ in $(seq 100); do
        curl -sf "http://127.0.0.1:$port/health" >/dev/null && return 0
        sleep 0.2
    done
    echo "the daemon on $home did not answer /health within 20 s" >&2
    return 1
}

# Stops the named clusters (directories under WORK) when the benchmark ends, however it ends.
stop_clusters_on_exit() {
    CLUSTERS=("$@")
    trap stop_clusters EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

stop_clusters() {
    local status=$? name
    for name in "${CLUSTERS[@]}"; do "$CLUSTER" stop "$WORK/$name" 2>/dev/null || true; done
    echo "cluster stopped; logs and raw results in $WORK" >&2
    exit "$status"
}

now_ns() { date +%s%N; }

# Median and range of numbers on stdin: "median (min–max)".
summary() {
    python3 -c '
import sys
values = sorted(float(v) for v in sys.stdin.read().split())
if not values: print("n/a"); sys.exit()
fmt = sys.argv[1]
print((fmt + " (" + fmt + "–" + fmt + ")") % (values[len(values) // 2], values[0], values[-1]))' "$1"
}

# A field of node I (from 0) in a cluster.json: node_field FILE I NAME.
node_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["nodes"][int(sys.argv[2])][sys.argv[3]])' "$@"; }
