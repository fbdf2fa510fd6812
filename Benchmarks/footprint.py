#!/usr/bin/env python3
"""Footprint and hostile load against one running daemon (started by footprint.sh).

Measures the daemon's memory from /proc/<pid>/smaps_rollup (RSS, PSS, private = Private_Clean +
Private_Dirty; dirty alone is the heap and stacks, what a load can leave behind) idle, while 2,000 half-open REST connections (unfinished headers), 200 silent libp2p
connections and 50 concurrent clients (40 authorised `nunet actor cmd`, 10 malformed or unauthorised)
hit it, and after the daemon has cut the half-open ones. Prints a table and the libraries mapped.
CONTROL=1 runs the same timeline with no load at all. With WARM_UP=1, the 50 clients first run alone, and the daemon's memory 65 s later is a second idle
figure: what a daemon in service rests at, so that the load's residue is told apart from first-use growth.

Usage: footprint.py PID REST_PORT LIBP2P_PORT USER_HOME STRANGER_HOME NUNET
"""
import os
import resource
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

pid, rest, libp2p = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
user_home, stranger_home, nunet = sys.argv[4], sys.argv[5], sys.argv[6]
HALF_OPEN_REST, SILENT_LIBP2P = 2000, 200


def memory():
    fields = {}
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        for line in rollup:
            parts = line.split()
            if len(parts) >= 2 and parts[0].endswith(":") and parts[1].isdigit():
                fields[parts[0][:-1]] = int(parts[1])
    return fields["Rss"], fields["Pss"], fields["Private_Clean"] + fields["Private_Dirty"], fields["Private_Dirty"]


def connections():
    return len([f for f in os.listdir(f"/proc/{pid}/fd") if os.readlink(f"/proc/{pid}/fd/{f}").startswith("socket:")])


def nunet_cmd(home, *arguments):
    environment = dict(os.environ, HOME=home, NUNET_HOME=home, DMS_REST_PORT=str(rest))
    return subprocess.run([nunet, *arguments], env=environment, cwd=home, capture_output=True, text=True)


def authorised(_):
    result = nunet_cmd(user_home, "actor", "cmd", "/dms/node/peers/self")
    return result.returncode == 0 and '"id"' in result.stdout


def stranger(_):
    result = nunet_cmd(stranger_home, "actor", "cmd", "/dms/node/peers/self")
    return result.returncode != 0 and "not authorised" in result.stderr


def malformed(_):
    body = b'{"not": "an envelope'
    try:
        with socket.create_connection(("127.0.0.1", rest), timeout=30) as connection:
            connection.sendall(b"POST /api/v1/actor/invoke HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
            answer = connection.recv(4096)
    except (ConnectionResetError, BrokenPipeError):
        return True  # refused over the connection limit: not accepted either
    return answer == b"" or answer.startswith(b"HTTP/1.1 400")


def open_half(port, payload):
    held = []
    for _ in range(HALF_OPEN_REST if payload else SILENT_LIBP2P):
        try:
            connection = socket.create_connection(("127.0.0.1", port), timeout=30)
            if payload:
                connection.sendall(payload)
            held.append(connection)
        except OSError:
            pass
    return held


def closed_by_server(connection):
    try:
        while connection.recv(4096):
            pass
        return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


def dirty_by_region():
    """Private_Dirty KiB of each mapping, keyed by its address range and name, to show where a load's leftovers sit."""
    regions, key = {}, None
    with open(f"/proc/{pid}/smaps") as smaps:
        for line in smaps:
            parts = line.split()
            if "-" in parts[0] and not parts[0].endswith(":"):
                key = (parts[0], parts[5] if len(parts) > 5 else "[anonymous]")
            elif parts[0] == "Private_Dirty:":
                regions[key] = int(parts[1])
    return regions


def clients():
    """The 50 concurrent clients: 40 authorised, 5 unauthorised, 5 malformed."""
    kinds = [authorised] * 40 + [stranger] * 5 + [malformed] * 5
    with ThreadPoolExecutor(max_workers=50) as pool:
        return list(pool.map(lambda kind: (kind.__name__, kind(None)), kinds))


resource.setrlimit(resource.RLIMIT_NOFILE, (8192, 8192))
fresh = ("idle",) + memory() + (connections(),)
rows = [fresh]
in_service = None
if os.environ.get("WARM_UP", "0") == "1":
    normal = clients()
    time.sleep(65)
    in_service = ("idle after the 50 clients alone (+65 s)",) + memory() + (connections(),)
    rows.append(in_service)
idle_regions = dirty_by_region()

def hostile_load(label):
    """The load, then memory 5, 30 and 65 s after it (the daemon trims the heap every 30 s)."""
    started = time.monotonic()
    if os.environ.get("CONTROL") == "1":
        # The same timeline with no load: what the idle daemon's memory does by itself meanwhile.
        time.sleep(11)
        half_rest, silent, results = [], [], []
    else:
        half_rest = open_half(rest, b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        silent = open_half(libp2p, None)
        results = clients()
    rows.append((f"under {label}",) + memory() + (connections(),))
    cut = sum(closed_by_server(c) for c in half_rest + silent)
    for connection in half_rest + silent:
        connection.close()
    load_seconds = time.monotonic() - started
    for wait, total in [(5, 5), (25, 30), (35, 65)]:
        time.sleep(wait)
        rows.append((f"after {label} (+{total} s)",) + memory() + (connections(),))
    return results, half_rest, silent, cut, load_seconds


results, half_rest, silent, cut, load_seconds = hostile_load("load")
after_first_row = rows[-1]
after_first = dict(dirty_by_region())
for repeat in range(2, int(os.environ.get("LOADS", "2")) + 1):
    hostile_load(f"load {repeat}")
if in_service:
    print(f"clients alone: {sum(handled for _, handled in normal)} of {len(normal)} handled as expected")
failed = [name for name, handled in results if not handled]
print(f"clients: {len(results)} ({len(failed)} not handled as expected: {failed})")
print(f"half-open: {len(half_rest)} REST + {len(silent)} libp2p opened, {cut} cut by the daemon; load took {load_seconds:.1f} s")
print()
print("| state | RSS MiB | PSS MiB | private MiB | of which dirty (heap, stacks) MiB | sockets |")
print("|---|---|---|---|---|---|")
for name, rss, pss, private, dirty, sockets in rows:
    print(f"| {name} | {rss / 1024:.1f} | {pss / 1024:.1f} | {private / 1024:.1f} | {dirty / 1024:.1f} | {sockets} |")
print()
print(f"private after / idle: {after_first_row[3] / fresh[3]:.2f}; dirty after / idle: {after_first_row[4] / fresh[4]:.2f}; dirty after the last load / after the first: {rows[-1][4] / after_first_row[4]:.2f}")
if in_service:
    print(f"dirty after / idle after the clients alone: {after_first_row[4] / in_service[4]:.2f}")
resident = {}
with open(f"/proc/{pid}/smaps") as smaps:
    mapping = "[anonymous]"
    for line in smaps:
        parts = line.split()
        if "-" in parts[0] and not parts[0].endswith(":"):
            mapping = parts[5].rsplit("/", 1)[-1] if len(parts) > 5 else "[anonymous]"
        elif parts[0] == "Rss:":
            resident[mapping] = resident.get(mapping, 0) + int(parts[1])
print("resident by mapping (MiB):", ", ".join(f"{name} {kib / 1024:.1f}" for name, kib in sorted(resident.items(), key=lambda item: -item[1])[:12]))
after_regions = after_first
grown = sorted(
    ((after_regions.get(key, 0) - idle_regions.get(key, 0), key) for key in set(after_regions) | set(idle_regions)),
    reverse=True)
print("dirty KiB grown since the last idle row, by mapping:", ", ".join(f"{key[1]} {key[0]} {delta:+d}" for delta, key in grown[:8] if delta))
new_regions = [key for key in after_regions if key not in idle_regions]
print(f"mappings made since the last idle row: {len(new_regions)}, dirty {sum(after_regions[k] for k in new_regions)} KiB")
