#!/usr/bin/env bash
# Idempotent setup of the libp2p interop peers (see README.md).
#   go-peer/ : PyPI libp2p-go (real go-libp2p v0.24.2 as a cgo .so)
#   py-peer/ : PyPI libp2p (py-libp2p)
# Location: $NUNET_INTEROP_DIR (default <repository>/.build/interop).
set -euo pipefail

DIR="${NUNET_INTEROP_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.build/interop}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${NUNET_INTEROP_PYTHON:-python3}"

# Exact pins (verified working together).
GO_PKGS=(libp2p-go==0.1.4 multiaddr==0.0.9 msgpack==1.2.4 cryptography==50.0.2)
PY_PKGS=(libp2p==0.8.1)

die() { echo "interop setup: ERROR: $*" >&2; exit 1; }
log() { echo "interop setup: $*" >&2; }

# --- python version --------------------------------------------------------
command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON not found (need Python >= 3.11)"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
  || die "$PYTHON is $("$PYTHON" -V 2>&1); libp2p-go 0.1.4 needs Python >= 3.11"

# --- apt prerequisites (only if missing) ----------------------------------
missing=()
dpkg -s libgmp-dev >/dev/null 2>&1 || missing+=(libgmp-dev)   # fastecdsa build (py-libp2p)
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
"$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
if ((${#missing[@]})); then
  log "installing apt packages: ${missing[*]}"
  command -v apt-get >/dev/null 2>&1 || die "apt-get not available; install ${missing[*]} manually"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" \
    || die "apt-get install ${missing[*]} failed"
fi

mkdir -p "$DIR" || die "cannot create $DIR"

# make_venv NAME CHECK_IMPORT PKG...
make_venv() {
  local name="$1" check="$2"; shift 2
  local venv="$DIR/$name" stamp="$DIR/$name/.interop-pins"
  # transitive dependencies are pinned by $HERE/$name.constraints.txt (pip freeze)
  local cons="$HERE/$name.constraints.txt" cargs=()
  [ -f "$cons" ] && cargs=(-c "$cons")
  local want="$* $( [ -f "$cons" ] && cksum < "$cons" )"
  if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
     && "$venv/bin/python" -c "$check" >/dev/null 2>&1; then
    log "$name: up to date"
    return 0
  fi
  log "$name: creating venv and installing $want"
  rm -rf "$venv"
  "$PYTHON" -m venv "$venv" || die "$name: venv creation failed (python3-venv missing?)"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "${cargs[@]}" "$@" \
    || die "$name: pip install $want failed"
  "$venv/bin/python" -c "$check" || die "$name: import check failed after install"
  echo "$want" > "$stamp"
}

# multiaddr must stay at 0.0.9 here: newer multiaddr breaks `import libp2p` of libp2p-go.
make_venv go-peer 'import libp2p, libp2p.ping, multiaddr, cryptography; assert multiaddr.__version__ == "0.0.9"' "${GO_PKGS[@]}"
# separate venv: py-libp2p needs a much newer multiaddr.
make_venv py-peer 'import libp2p, trio; from libp2p.host.ping import PingService' "${PY_PKGS[@]}"

echo "GO_PEER_PYTHON=$DIR/go-peer/bin/python"
echo "PY_PEER_PYTHON=$DIR/py-peer/bin/python"
