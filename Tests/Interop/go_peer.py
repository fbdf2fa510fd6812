#!/usr/bin/env python3
"""Interop test peer backed by real go-libp2p v0.24.2 (PyPI `libp2p-go`, a cgo
shared library driven through ctypes + asyncio).

Contract: see README.md in this folder. Stdout carries one JSON object per
line (flushed); all logging goes to stderr.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import concurrent.futures
import json
import logging
import os
import random
import sys
import time

from libp2p import (
    DefaultMuxers,
    DisableRelay,
    Host,
    Identity,
    LibP2PError,
    ListenAddrStrings,
    Ping,
    SecurityNoise,
    SecurityTls,
)
from libp2p.crypto import KeyType, PrivKey, crypto_generate_keypair
from libp2p.peer import Peer, addr_info_from_p2p_addr
from libp2p.ping import PingService
from libp2p.pubsub import PubSub

MESSAGES_PROTO = "actor/root/messages/0.0.1"
ECHO_PROTO = "/nunet-test/echo/1.0.0"
CHUNK = 64 * 1024

log = logging.getLogger("go_peer")


def emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def echo_payload(size: int, index: int) -> bytes:
    """Deterministic pseudo-random payload for echo stream `index` (same as py_peer)."""
    return random.Random(0x6E756E6574 + index).randbytes(size)


def privkey_from_seed(seed: bytes) -> PrivKey:
    """Build a go-libp2p Ed25519 private key from a 32-byte seed.

    go-libp2p's protobuf PrivateKey{Type=Ed25519(1), Data=seed||pubkey}; the Go
    side does not derive the public half itself, so compute it here.
    """
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives import serialization

    pub = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    data = seed + pub
    pb = b"\x08\x01\x12" + bytes([len(data)]) + data
    return PrivKey.unmarshal(pb)


# --key-type: the identity key go-libp2p generates (RSA at 2048 bits, go-libp2p's minimum; the others have
# one size).
KEY_TYPES = {
    "ed25519": (KeyType.Ed25519, 0),
    "rsa": (KeyType.RSA, 2048),
    "ecdsa": (KeyType.ECDSA, 0),
    "secp256k1": (KeyType.Secp256k1, 0),
}


def is_eof(e: Exception) -> bool:
    s = str(e)
    return "EOF" in s or "stream closed" in s.lower()


class GoPeer:
    def __init__(self, seed: bytes | None, key_type: str, timeout: float, loop: asyncio.AbstractEventLoop):
        self.timeout = timeout
        self.pubsub = None
        self.topics: dict = {}
        self.subscriptions: list = []
        self.loop = loop
        if seed:
            self.priv = privkey_from_seed(seed)
        else:
            self.priv, _ = crypto_generate_keypair(*KEY_TYPES[key_type])
        # Order matters: go-libp2p proposes security transports in option order,
        # so a dialer sees /tls/1.0.0 first, then /noise (as the Go DMS does).
        self.host = Host(
            ListenAddrStrings("/ip4/127.0.0.1/tcp/0"),
            Identity(self.priv),
            SecurityTls(),
            SecurityNoise(),
            DefaultMuxers(),
            Ping(True),
            DisableRelay(),
            loop=loop,
        )
        self.peer_id = self.host.id.string
        self.ping_service = PingService(self.host)

    # ---------------------------------------------------------------- helpers
    async def read_until_eof(self, stream) -> bytes:
        buf = bytearray()
        while True:
            try:
                n, chunk = await stream.read_bytes(CHUNK)
            except LibP2PError as e:
                if is_eof(e):
                    break
                raise
            if not n and not chunk:
                break
            buf += chunk or b""
        return bytes(buf)

    def guess_remote(self) -> str | None:
        """The binding does not expose a stream's remote peer. Best effort: if
        the peerstore knows exactly one other peer, that is the sender."""
        try:
            others = [p for p in self.host.peer_store.peer_with_addrs() if p != self.peer_id]
        except Exception:
            return None
        return others[0] if len(others) == 1 else None

    # ---------------------------------------------------------------- handlers
    async def handle_message(self, stream) -> None:
        try:
            data = await self.read_until_eof(stream)
            emit({
                "event": "message",
                "protocol": MESSAGES_PROTO,
                "from": self.guess_remote(),
                "from_inferred": True,
                "data_b64": base64.b64encode(data).decode(),
            })
        except Exception as e:
            log.warning("message handler error: %r", e)
            emit({"event": "handler_error", "protocol": MESSAGES_PROTO, "error": repr(e)})
        finally:
            try:
                await stream.close()
            except Exception:
                pass

    async def handle_echo(self, stream) -> None:
        try:
            while True:
                try:
                    n, chunk = await stream.read_bytes(CHUNK)
                except LibP2PError as e:
                    if is_eof(e):
                        break
                    raise
                if not n and not chunk:
                    break
                await stream.write(chunk)
        except Exception as e:
            log.warning("echo handler error: %r", e)
        finally:
            try:
                await stream.close()
            except Exception:
                pass

    # ---------------------------------------------------------------- commands
    async def cmd_dial(self, req: dict) -> dict:
        ai = addr_info_from_p2p_addr(req["addr"])
        await self.host.connect(ai)
        return {"peer": ai.id.string}

    async def cmd_send(self, req: dict) -> dict:
        peer = Peer.decode(req["peer"])
        data = base64.b64decode(req.get("data_b64", ""))
        stream = await self.host.new_stream(peer, req["protocol"])
        try:
            if data:
                await stream.write(data)
        finally:
            # The binding has no CloseWrite: Close() = CloseWrite (FIN) + CloseRead,
            # so we cannot wait for the remote's end of stream here.
            await stream.close()
        return {"bytes": len(data)}

    async def _echo_one(self, peer: Peer, protocol: str, size: int, index: int) -> None:
        payload = echo_payload(size, index)
        stream = await self.host.new_stream(peer, protocol)
        received = bytearray()

        async def writer() -> None:
            for off in range(0, size, CHUNK):
                await stream.write(payload[off:off + CHUNK])

        async def reader() -> None:
            while len(received) < size:
                try:
                    n, chunk = await stream.read_bytes(min(CHUNK, size - len(received)))
                except LibP2PError as e:
                    if is_eof(e):
                        break
                    raise
                if not n and not chunk:
                    break
                received.extend(chunk)

        try:
            await asyncio.gather(writer(), reader())
        finally:
            try:
                await stream.close()
            except Exception:
                pass
        if bytes(received) != payload:
            raise RuntimeError(
                f"echo mismatch on stream {index}: sent {size} bytes, got {len(received)}"
            )

    async def cmd_echo(self, req: dict) -> dict:
        peer = Peer.decode(req["peer"])
        size = int(req.get("size", 1024))
        streams = int(req.get("streams", 1))
        protocol = req.get("protocol", ECHO_PROTO)
        t0 = time.monotonic()
        res = await asyncio.gather(
            *(self._echo_one(peer, protocol, size, i) for i in range(streams)),
            return_exceptions=True,
        )
        secs = time.monotonic() - t0
        errors = [f"stream {i}: {type(e).__name__}: {e}" for i, e in enumerate(res) if e is not None]
        if errors:
            raise RuntimeError(f"{len(errors)}/{streams} echo streams failed; first: {errors[0]}")
        return {"bytes": size * streams, "streams": streams, "seconds": round(secs, 4)}

    async def cmd_ping(self, req: dict) -> dict:
        t0 = time.monotonic()
        # ping_ping converts its GoString argument with peer.ID(s): it wants the
        # raw peer-ID bytes, NOT the base58 text (that gives "no addresses").
        chan = self.ping_service.ping(Peer.decode(req["peer"]).bytes)
        try:
            res = await chan.__anext__()
        finally:
            del chan  # frees the Go channel (cancels the ping loop)
        wall = (time.monotonic() - t0) * 1000
        if res.error:
            raise RuntimeError(res.error)
        # go: ping.Result.RTT is a time.Duration (nanoseconds)
        return {"rtt_ms": round(res.rtt / 1e6, 3), "wall_ms": round(wall, 3)}

    async def cmd_identify(self, req: dict) -> dict:
        # The libp2p-go binding exposes no identify / protocol-book / agent API:
        # the only identify-derived datum reachable is the peerstore address book
        # (go-libp2p's identify service fills it with the remote's listen addrs).
        addrs = list(self.host.peer_store.addrs(req["peer"]))
        return {
            "source": "peerstore",
            "protocols": None,
            "agent_version": None,
            "listen_addrs": addrs,
            "observed_addr": None,
            "note": "libp2p-go binding exposes only peerstore addrs; protocols/agent/observed unavailable",
        }

    # ---------------------------------------------------------------- pubsub (go-libp2p-pubsub v0.8.2 GossipSub)
    async def read_subscription(self, topic: str, sub) -> None:
        while True:
            try:
                msg = await sub.next()
            except Exception as e:
                log.debug("subscription %s ended: %r", topic, e)
                return
            emit({
                "event": "pubsub",
                "topic": msg.topic,
                "from": msg.from_peer.string,
                "seqno": msg.seq_no,
                "data_b64": base64.b64encode(msg.data).decode(),
            })

    async def cmd_pubsub_join(self, req: dict) -> dict:
        topic_name = req["topic"]
        if self.pubsub is None:
            # Started on first use; join before dialing so the router sees the connection.
            self.pubsub = await PubSub.new_gossip(self.host)
        if topic_name not in self.topics:
            topic = await self.pubsub.join(topic_name)
            self.topics[topic_name] = topic
            sub = await topic.subscription()
            self.subscriptions.append(sub)
            task = asyncio.ensure_future(self.read_subscription(topic_name, sub))
            self.subscriptions.append(task)
        return {"topic": topic_name}

    async def cmd_pubsub_publish(self, req: dict) -> dict:
        topic = self.topics[req["topic"]]
        data = base64.b64decode(req.get("data_b64", ""))
        await topic.publish(data)
        return {"bytes": len(data)}

    async def cmd_pubsub_peers(self, req: dict) -> dict:
        peers = await self.pubsub.list_peers(req["topic"])
        return {"peers": [str(p) for p in peers]}

    # ---------------------------------------------------------------- main loop
    async def dispatch(self, req: dict) -> None:
        rid = req.get("id")
        cmd = req.get("cmd")
        fn = getattr(self, f"cmd_{cmd}", None) if isinstance(cmd, str) else None
        if fn is None:
            emit({"id": rid, "error": f"unknown command {cmd!r}"})
            return
        timeout = float(req.get("timeout", self.timeout))
        try:
            res = await asyncio.wait_for(fn(req), timeout)
            out = {"id": rid, "ok": True}
            out.update(res)
            emit(out)
        except asyncio.TimeoutError:
            emit({"id": rid, "error": f"timeout after {timeout}s"})
        except Exception as e:
            log.debug("command %s failed", cmd, exc_info=True)
            emit({"id": rid, "error": f"{type(e).__name__}: {e}"})

    async def run(self) -> int:
        self.host.set_stream_handler(MESSAGES_PROTO, self.handle_message)
        self.host.set_stream_handler(ECHO_PROTO, self.handle_echo)
        addrs = [a for a in self.host.addrs if "/p2p/" not in a] or list(self.host.addrs)
        emit({"event": "ready", "impl": "go-libp2p", "peer_id": self.peer_id, "addrs": addrs})

        reader = asyncio.StreamReader(limit=64 * 1024 * 1024)
        await self.loop.connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(os.dup(0), "rb", 0)
        )
        tasks: set[asyncio.Task] = set()
        quit_req = None
        while True:
            line = await reader.readline()
            if not line:
                log.info("stdin closed, exiting")
                break
            line = line.strip()
            if not line:
                continue
            try:
                req = json.loads(line)
            except ValueError as e:
                emit({"id": None, "error": f"bad json: {e}"})
                continue
            if req.get("cmd") == "quit":
                quit_req = req
                break
            t = asyncio.ensure_future(self.dispatch(req))
            tasks.add(t)
            t.add_done_callback(tasks.discard)
        for t in list(tasks):
            t.cancel()
        try:
            await asyncio.wait_for(self.host.close(), 5)
        except Exception as e:
            log.debug("close error: %r", e)
        if quit_req is not None:
            emit({"id": quit_req.get("id"), "ok": True})
        return 0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", help="32-byte Ed25519 private seed, hex")
    ap.add_argument(
        "--key-type", choices=list(KEY_TYPES), default="ed25519",
        help="identity key type, generated at random (RSA: 2048 bits); --seed needs ed25519",
    )
    ap.add_argument("--timeout", type=float, default=30.0, help="per-command timeout (s)")
    ap.add_argument("--log-level", default=os.environ.get("INTEROP_LOG", "WARNING"))
    args = ap.parse_args()
    logging.basicConfig(
        stream=sys.stderr,
        level=getattr(logging, args.log_level.upper(), logging.WARNING),
        format="%(asctime)s go_peer %(levelname)s %(name)s: %(message)s",
    )
    seed = bytes.fromhex(args.seed) if args.seed else None
    if seed is not None and len(seed) != 32:
        sys.exit("--seed must be 32 bytes (64 hex chars)")
    if seed is not None and args.key_type != "ed25519":
        sys.exit(f"--seed is an Ed25519 seed; it cannot be combined with --key-type {args.key_type}")
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    # Every binding call blocks an executor thread (Go Read/Write/NewStream);
    # concurrent streams need many threads, the default pool (cpu+4) deadlocks.
    loop.set_default_executor(concurrent.futures.ThreadPoolExecutor(max_workers=1024))
    rc = 0
    try:
        rc = loop.run_until_complete(GoPeer(seed, args.key_type, args.timeout, loop).run())
    except Exception:
        log.exception("fatal")
        rc = 1
    sys.stdout.flush()
    sys.stderr.flush()
    # Blocked executor threads inside Go calls cannot be joined; leave hard.
    os._exit(rc)


if __name__ == "__main__":
    main()
