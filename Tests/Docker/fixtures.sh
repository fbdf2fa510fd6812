#!/usr/bin/env bash
# What the Docker tests need and cannot download (public registries are out of reach): a running Docker daemon,
# an image built from Debian's busybox-static, and a registry on loopback that serves it. See README.md.
#   fixtures.sh daemon              start dockerd unless a daemon already answers (waits up to 30 s)
#   fixtures.sh image               build nunet-test/busybox:1 unless it is current; prints its reference
#   fixtures.sh registry DIR        start docker-registry on 127.0.0.1 (state in DIR) serving nunet-test/busybox:1,
#                                   with nothing of it left locally under that name (a test must pull it);
#                                   prints 127.0.0.1:PORT
#   fixtures.sh stop-registry DIR   stop that registry (no error if it is gone)
# Only the result goes to stdout; progress and errors go to stderr.
set -euo pipefail

# Debian's CLI (20.10), talking to the socket the tests use: a newer client elsewhere on PATH, a DOCKER_HOST or a
# context pointing at another daemon would build the image where the tests never look.
docker_cli=/usr/bin/docker
export DOCKER_HOST=unix:///var/run/docker.sock
unset DOCKER_CONTEXT
image=nunet-test/busybox:1
busybox=/bin/busybox
# Applets linked in the image: what the tests' commands use, plus a few common ones for new tests.
applets=(sh echo env cat sleep httpd head tr dd wget true false kill ls mkdir yes printf
    hostname id grep sed rm touch ps wc seq date test timeout stat)

log() { echo "fixtures: $*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}

temporary=()
trap 'rm -rf "${temporary[@]}"' EXIT

[ -x "$docker_cli" ] || die "$docker_cli is missing (apt install docker.io)"

# Starts "$@" in the background with only its own stdin, stdout and stderr (to LOG) and prints its PID: a
# descriptor inherited from our caller (a test's output pipe) would keep the caller waiting for an end of
# file that never comes. Python's subprocess closes every other descriptor, which bash cannot do reliably.
detach() {
    python3 -c '
import subprocess, sys
log = open(sys.argv[1], "ab")
child = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=log, stderr=log, close_fds=True,
                         start_new_session=True)
print(child.pid)' "$@"
}

# A detached child is re-parented, and a zombie left by a parent that does not reap still has its /proc entry,
# with an empty command line.
alive() { grep -qa . "/proc/$1/cmdline" 2>/dev/null; }

daemon_answers() { "$docker_cli" version --format '{{.Server.Version}}' >/dev/null 2>&1; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

start_daemon() {
    daemon_answers && return 0
    local pid started="" logfile=/var/log/nunet-dockerd.log
    [ -w /var/log ] || logfile=/tmp/nunet-dockerd.log
    pid=$(cat /var/run/docker.pid 2>/dev/null || true)
    # A dockerd that is still starting holds /var/run/docker.pid; a second one would refuse to start.
    if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ]; then
        log "dockerd is running but not answering yet; waiting"
    elif [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
        log "starting docker.service"
        as_root systemctl start docker.service || log "systemctl start docker.service failed"
    else
        log "starting dockerd (log: $logfile)"
        if [ "$(id -u)" -eq 0 ]; then
            started=$(detach "$logfile" dockerd)
        else
            started=$(detach "$logfile" sudo dockerd)
        fi
    fi
    for _ in $(seq 1 60); do
        daemon_answers && return 0
        if [ -n "$started" ] && ! alive "$started"; then
            die "dockerd exited; last lines of $logfile:"$'\n'"$(tail -n 15 "$logfile")"
        fi
        sleep 0.5
    done
    die "no Docker daemon answers on /var/run/docker.sock after 30 s" \
        "(see $logfile, or journalctl -u docker under systemd)"
}

# Identifies the image's recipe (applets and the busybox binary), kept as the image's comment: an image built by
# an older version of this script is rebuilt, a current one is reused without re-importing.
recipe() { { printf '%s\n' "${applets[@]}"; sha256sum <"$busybox"; } | sha256sum | cut -c1-16; }

# Imports the busybox root filesystem, with the files given as PATH CONTENT pairs added, as REFERENCE.
import_rootfs() {
    local reference="$1" message="$2" root
    shift 2
    root=$(mktemp -d)
    temporary+=("$root")
    mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/www"
    chmod 1777 "$root/tmp"
    cp "$busybox" "$root/bin/busybox"
    for applet in "${applets[@]}"; do ln -s busybox "$root/bin/$applet"; done
    # Users for `docker run --user` and `id`; the daemon adds /etc/hosts, /etc/resolv.conf and /etc/hostname.
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
    # `httpd -f -p 8080 -h /www` answers GET /health with "ok" (no newline).
    printf ok >"$root/www/health"
    while [ $# -gt 0 ]; do
        printf '%s' "$2" >"$root/$1"
        shift 2
    done
    # No --change: no CMD or ENTRYPOINT, every test gives its command.
    tar -C "$root" --owner=0 --group=0 --numeric-owner -c . \
        | "$docker_cli" import --message "$message" - "$reference" >/dev/null
}

image_is_current() {
    [ "$("$docker_cli" image inspect --format '{{.Comment}}' "$image" 2>/dev/null)" = "nunet-fixture $1" ]
}

build_image() {
    [ -x "$busybox" ] || die "$busybox is missing (apt install busybox-static)"
    local want old
    want=$(recipe)
    image_is_current "$want" && return 0
    # Tests run in parallel and each asks for the image: one builds, the others wait and reuse it.
    exec 9>>/tmp/nunet-test-image.lock
    flock 9
    if ! image_is_current "$want"; then
        old=$("$docker_cli" image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
        import_rootfs "$image" "nunet-fixture $want"
        # The stale image, if nothing else uses it.
        [ -z "$old" ] || "$docker_cli" image rm "$old" >/dev/null 2>&1 || true
        log "built $image ($want)"
    fi
    flock -u 9
}

# Stops the registry whose pid DIR/registry.pid holds, if that process is still a docker-registry.
stop_registry() {
    local pidfile="$1/registry.pid" pid
    [ -f "$pidfile" ] || return 0
    pid=$(cat "$pidfile")
    if [ -n "$pid" ] && grep -qa docker-registry "/proc/$pid/cmdline" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        # Wait for it (about 1.5 s after SIGTERM) so its port and storage are free when this returns.
        for _ in $(seq 1 50); do
            alive "$pid" || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
}

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# GET http://127.0.0.1:PORT/v2/ answers 200. Plain bash: curl is not on every fresh machine, and the host's
# static busybox wget can crash loading the host's NSS modules.
registry_answers() {
    (
        exec 3<>"/dev/tcp/127.0.0.1/$1"
        printf 'GET /v2/ HTTP/1.0\r\nHost: 127.0.0.1:%s\r\n\r\n' "$1" >&3
        read -r -t 2 status <&3
        [[ $status == "HTTP/1."?" 200 "* ]]
    ) 2>/dev/null
}

# Pushes the test image's content to the registry at ADDRESS, then deletes it locally. The pushed layer carries
# the registry's address in /etc/nunet-registry: were it nunet-test/busybox:1's own layer, still present here,
# the daemon would skip the download and a pull would report no layer progress at all.
push_image() {
    local remote="$1/$image"
    import_rootfs "$remote" "nunet-fixture registry copy" etc/nunet-registry "$1"
    # Plain http: the daemon treats registries on 127.0.0.0/8 as insecure by default.
    if ! "$docker_cli" push "$remote" >&2; then
        "$docker_cli" image rm "$remote" >/dev/null 2>&1 || true
        return 1
    fi
    echo >&2
    "$docker_cli" image rm "$remote" >/dev/null
}

start_registry() {
    local dir="$1" port pid
    command -v docker-registry >/dev/null || die "docker-registry is missing (apt install docker-registry)"
    [ -x "$busybox" ] || die "$busybox is missing (apt install busybox-static)"
    mkdir -p "$dir/storage"
    dir=$(cd "$dir" && pwd)
    stop_registry "$dir"
    : >"$dir/registry.log"
    # A random free port; another process may take it between the check and the bind, so retry a few times.
    for _ in $(seq 1 10); do
        port=$((20000 + RANDOM % 40000))
        port_is_free "$port" || continue
        cat >"$dir/config.yml" <<CONFIG
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
CONFIG
        pid=$(detach "$dir/registry.log" docker-registry serve "$dir/config.yml")
        echo "$pid" >"$dir/registry.pid"
        for _ in $(seq 1 100); do
            alive "$pid" || break
            if registry_answers "$port"; then
                push_image "127.0.0.1:$port" || {
                    stop_registry "$dir"
                    die "push to 127.0.0.1:$port failed (registry log: $dir/registry.log)"
                }
                echo "127.0.0.1:$port"
                return 0
            fi
            sleep 0.1
        done
        stop_registry "$dir"
        log "registry on port $port did not answer; retrying"
    done
    die "docker-registry did not start; last log lines: $(tail -n 5 "$dir/registry.log")"
}

case "${1:-}" in
daemon) start_daemon ;;
image)
    build_image
    echo "$image"
    ;;
registry) start_registry "${2:?usage: fixtures.sh registry DIR}" ;;
stop-registry) stop_registry "${2:?usage: fixtures.sh stop-registry DIR}" ;;
*)
    echo "usage: fixtures.sh daemon | image | registry DIR | stop-registry DIR" >&2
    exit 2
    ;;
esac
