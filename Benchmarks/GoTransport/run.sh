#!/usr/bin/env bash
# Build and run the Go libp2p-data-path baseline (see README.md).
# Usage: ./run.sh [-setup-n N] [-bytes B] [-chacha-bytes B] [-only setup|throughput|chacha] [-yamux-window W] [-selftest]
#        GOTRANSPORT_BINARY=path ./run.sh   builds the binary to path and runs nothing (setup-two-process.sh)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

pkgs=(golang-go golang-github-flynn-noise-dev golang-github-hashicorp-yamux-dev golang-golang-x-crypto-dev)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src/gotransport"
cp "$here/transport.go" "$tmp/src/gotransport/"
export GO111MODULE=off
export GOPATH="$tmp:/usr/share/gocode"
export GOCACHE="$tmp/cache"
export GOFLAGS=
export CGO_ENABLED=0
(cd "$tmp/src/gotransport" && go build -o "$tmp/gotransport" .) >&2
if [ -n "${GOTRANSPORT_BINARY:-}" ]; then
  cp "$tmp/gotransport" "$GOTRANSPORT_BINARY"
  exit 0
fi
"$tmp/gotransport" "$@"
