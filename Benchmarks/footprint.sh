#!/usr/bin/env bash
# Footprint and hostile load (Benchmarks/RESULTS.md, "Footprint and hostile load"): starts one daemon
# controlled by a user, lets it settle, then runs Benchmarks/footprint.py against it: memory idle, under
# 2,000 half-open REST connections, 200 silent libp2p connections and 50 concurrent clients (a fifth
# unauthorised or malformed), and after the load. NUNET picks the binary (default the release build).
# With WARM_UP=1 the 50 clients first run alone once, before the load, giving a second idle figure: the
# daemon at rest after normal use.
set -euo pipefail
source "$(dirname "$0")/cluster-common.sh" footprint
export DMS_GENERAL_KEYSTORE_KDF_COST=12 DMS_P2P_LISTEN_ADDRESSES=/ip4/127.0.0.1/tcp/0
NODE="$WORK/node" STRANGER="$WORK/stranger"
mkdir -p "$NODE" "$STRANGER"
REST=$(free_port)
export DMS_REST_PORT=$REST

as_user "$NODE" cap new user >/dev/null
as_user "$NODE" cap new dms >/dev/null
as_user "$NODE" cap anchor --context dms --root "$(as_user "$NODE" key did user)"
as_user "$STRANGER" cap new user >/dev/null
ulimit -n 8192
sync  # pages of a freshly built binary count as dirty until written back
start_daemon "$NODE" "$REST"
LIBP2P=$(as_user "$NODE" actor cmd /dms/node/peers/self | python3 -c 'import json, sys; print(json.load(sys.stdin)["listen_addr"].rsplit("/", 1)[1])')
sleep "${SETTLE_SECONDS:-10}"
python3 "$(dirname "$0")/footprint.py" "$DAEMON" "$REST" "$LIBP2P" "$NODE" "$STRANGER" "$NUNET"
