# Shared by the cluster benchmarks (sourced, not run): the release binary, the cluster script, and a work
# directory under .build (not /tmp: homes and logs must outlive tmp cleaners while daemons run; BENCH_DIR
# overrides). Sets ROOT, NUNET, CLUSTER and WORK; takes the benchmark's name.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NUNET=${NUNET:-$ROOT/.build/release/nunet}
CLUSTER="$ROOT/scripts/nunet-cluster"
export NUNET DMS_PASSPHRASE=cluster

[ -x "$NUNET" ] || { echo "no $NUNET: swift build -c release --product nunet" >&2; exit 1; }
mkdir -p "${BENCH_DIR:-$ROOT/.build/bench}"
WORK=$(mktemp -d "${BENCH_DIR:-$ROOT/.build/bench}/$1.XXXXXX")
