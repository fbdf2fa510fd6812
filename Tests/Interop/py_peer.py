#!/usr/bin/env python3
"""Interop test peer backed by py-libp2p (PyPI `libp2p`, trio based).

Contract: see README.md in this folder. Stdout carries one JSON object per
line (flushed); all logging goes to stderr.
"""
from __future__ import annotations

import argparse
import base64
import json
import logging
import os
import random
import sys
import time

import trio
import multiaddr

from libp2p import new_host
from libp2p.crypto.ed25519 import create_new_key_pair
from libp2p.crypto.x25519 import create_new_key_pair as create_new_x25519_key_pair
from libp2p.custom_types import TProtocol
from libp2p.host.ping import PingService
from libp2p.identity.identify.identify import ID as IDENTIFY_ID, parse_identify_response
from libp2p.network.stream.exceptions import StreamEOF
from libp2p.peer.id import ID
from libp2p.peer.peerinfo import info_from_p2p_addr
from libp2p.security.noise.transport import (
    PROTOCOL_ID as NOISE_PROTOCOL_ID,
    Transport as NoiseTransport,
)
from libp2p.stream_muxer.yamux.yamux import PROTOCOL_ID as YAMUX_PROTOCOL_ID, Yamux

MESSAGES_PROTO = "actor/root/messages/0.0.1"
ECHO_PROTO = "/nunet-test/echo/1.0.0"
CHUNK = 64 * 1024

log = logging.getLogger("py_peer")


def emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def echo_payload(size: int, index: int) -> bytes:
    """Deterministic pseudo-random payload for echo stream `index`."""
    return random.Random(0x6E756E6574 + index).randbytes(size)


def strip_p2p(addr: multiaddr.Multiaddr) -> str:
    s = str(addr)
    i = s.find("/p2p/")
    return s if i < 0 else s[:i]


async def read_until_eof(stream) -> bytes:
    buf = bytearray()
    while True:
        try:
            chunk = await stream.read(CHUNK)
        except StreamEOF:
            break
        if not chunk:
            break
        buf += chunk
    return bytes(buf)


def remote_peer(stream) -> str | None:
    try:
        return stream.muxed_conn.peer_id.to_base58()
    except Exception:  # pragma: no cover - defensive
        return None


class PyPeer:
    def __init__(self, seed: bytes | None, timeout: float):
        self.timeout = timeout
        self.pubsub = None
        self.gossipsub = None
        self.nursery = None
        self.subscriptions: dict = {}
        self.key_pair = create_new_key_pair(seed) if seed else create_new_key_pair()
        noise = NoiseTransport(
            self.key_pair, noise_privkey=create_new_x25519_key_pair().private_key
        )
        self.listen = [multiaddr.Multiaddr("/ip4/127.0.0.1/tcp/0")]
        self.host = new_host(
            key_pair=self.key_pair,
            sec_opt={TProtocol(NOISE_PROTOCOL_ID): noise},
            muxer_opt={TProtocol(YAMUX_PROTOCOL_ID): Yamux},
            listen_addrs=self.listen,
        )
        self.ping_service = PingService(self.host)

    # ---------------------------------------------------------------- handlers
    async def handle_message(self, stream) -> None:
        try:
            data = await read_until_eof(stream)
            emit({
                "event": "message",
                "protocol": MESSAGES_PROTO,
                "from": remote_peer(stream),
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
                    chunk = await stream.read(CHUNK)
                except StreamEOF:
                    break
                if not chunk:
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
        info = info_from_p2p_addr(multiaddr.Multiaddr(req["addr"]))
        await self.host.connect(info)
        return {"peer": info.peer_id.to_base58()}

    async def cmd_send(self, req: dict) -> dict:
        peer = ID.from_base58(req["peer"])
        data = base64.b64decode(req.get("data_b64", ""))
        stream = await self.host.new_stream(peer, [TProtocol(req["protocol"])])
        try:
            await stream.write(data)
            await stream.close_write()
            # wait for the remote to finish (it closes after reading to EOF)
            rest = await read_until_eof(stream)
        finally:
            try:
                await stream.close()
            except Exception:
                pass
        return {"bytes": len(data), "reply_bytes": len(rest)}

    async def _echo_one(self, peer: ID, protocol: str, size: int, index: int) -> None:
        payload = echo_payload(size, index)
        stream = await self.host.new_stream(peer, [TProtocol(protocol)])
        received = bytearray()

        async def writer() -> None:
            for off in range(0, size, CHUNK):
                await stream.write(payload[off:off + CHUNK])
            await stream.close_write()

        async def reader() -> None:
            while len(received) < size:
                try:
                    chunk = await stream.read(CHUNK)
                except StreamEOF:
                    break
                if not chunk:
                    break
                received.extend(chunk)
            # drain to EOF so the remote close is observed
            if len(received) >= size:
                tail = await read_until_eof(stream)
                received.extend(tail)

        try:
            async with trio.open_nursery() as n:
                n.start_soon(writer)
                n.start_soon(reader)
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
        peer = ID.from_base58(req["peer"])
        size = int(req.get("size", 1024))
        streams = int(req.get("streams", 1))
        protocol = req.get("protocol", ECHO_PROTO)
        t0 = time.monotonic()
        errors: list[str] = []

        async def one(i: int) -> None:
            # isolate failures: cancelling sibling streams mid-write can leave a
            # half-written yamux frame and kill the whole connection
            try:
                await self._echo_one(peer, protocol, size, i)
            except Exception as e:
                errors.append(f"stream {i}: {type(e).__name__}: {e}")

        async with trio.open_nursery() as n:
            for i in range(streams):
                n.start_soon(one, i)
        secs = time.monotonic() - t0
        if errors:
            raise RuntimeError(f"{len(errors)}/{streams} echo streams failed; first: {errors[0]}")
        return {"bytes": size * streams, "streams": streams, "seconds": round(secs, 4)}

    async def cmd_ping(self, req: dict) -> dict:
        peer = ID.from_base58(req["peer"])
        t0 = time.monotonic()
        rtts = await self.ping_service.ping(peer, 1)
        wall = (time.monotonic() - t0) * 1000
        if not rtts:
            raise RuntimeError("ping returned no result")
        # PingService reports milliseconds (integer, go-libp2p convention); also
        # give the wall-clock time around the call for sub-ms resolution.
        return {"rtt_ms": rtts[0], "wall_ms": round(wall, 3)}

    async def cmd_identify(self, req: dict) -> dict:
        """Run an explicit /ipfs/id/1.0.0 request and return the remote's answer.

        Also reports what the background identify put in the peerstore.
        """
        peer = ID.from_base58(req["peer"])
        stream = await self.host.new_stream(peer, [IDENTIFY_ID])
        try:
            raw = await read_until_eof(stream)
        finally:
            try:
                await stream.close()
            except Exception:
                pass
        msg = parse_identify_response(raw)

        def ma(b: bytes) -> str:
            try:
                return str(multiaddr.Multiaddr(b))
            except Exception:
                return "0x" + b.hex()

        ps = self.host.get_peerstore()
        try:
            ps_protocols = sorted(str(p) for p in ps.get_protocols(peer))
        except Exception:
            ps_protocols = None
        try:
            ps_addrs = [str(a) for a in ps.addrs(peer)]
        except Exception:
            ps_addrs = None
        return {
            "source": "identify-request",
            "protocols": list(msg.protocols),
            "agent_version": msg.agent_version,
            "protocol_version": msg.protocol_version,
            "listen_addrs": [ma(a) for a in msg.listen_addrs],
            "observed_addr": ma(msg.observed_addr) if msg.observed_addr else None,
            "public_key_b64": base64.b64encode(msg.public_key).decode(),
            "has_signed_peer_record": bool(msg.signedPeerRecord),
            "peerstore_protocols": ps_protocols,
            "peerstore_addrs": ps_addrs,
        }

    # ---------------------------------------------------------------- main loop
    # ---------------------------------------------------------------- pubsub (py-libp2p GossipSub)
    def make_pubsub(self) -> None:
        from libp2p.pubsub.gossipsub import GossipSub, PROTOCOL_ID, PROTOCOL_ID_V11
        from libp2p.pubsub.pubsub import Pubsub

        # Spec parameters with a 1 s heartbeat (py-libp2p's default heartbeat is 120 s).
        self.gossipsub = GossipSub(
            protocols=[PROTOCOL_ID_V11, PROTOCOL_ID],
            degree=6,
            degree_low=4,
            degree_high=12,
            heartbeat_initial_delay=0.1,
            heartbeat_interval=1,
        )
        self.pubsub = Pubsub(self.host, self.gossipsub, strict_signing=True)

    async def run_pubsub(self, task_status=trio.TASK_STATUS_IGNORED) -> None:
        from libp2p.tools.anyio_service import background_trio_service

        self.make_pubsub()
        async with background_trio_service(self.pubsub), background_trio_service(self.gossipsub):
            await self.pubsub.wait_until_ready()
            task_status.started()
            await trio.sleep_forever()

    async def read_subscription(self, topic: str, sub) -> None:
        while True:
            msg = await sub.get()
            emit({
                "event": "pubsub",
                "topic": topic,
                "from": ID(msg.from_id).to_base58(),
                "seqno": int.from_bytes(msg.seqno, "big"),
                "data_b64": base64.b64encode(msg.data).decode(),
            })

    async def cmd_pubsub_join(self, req: dict) -> dict:
        topic = req["topic"]
        if self.pubsub is None:
            # Started on first use; join before dialing so the router sees the connection.
            await self.nursery.start(self.run_pubsub)
        if topic not in self.subscriptions:
            sub = await self.pubsub.subscribe(topic)
            self.subscriptions[topic] = sub
            self.nursery.start_soon(self.read_subscription, topic, sub)
        return {"topic": topic}

    async def cmd_pubsub_publish(self, req: dict) -> dict:
        data = base64.b64decode(req.get("data_b64", ""))
        await self.pubsub.publish(req["topic"], data)
        return {"bytes": len(data)}

    async def cmd_pubsub_peers(self, req: dict) -> dict:
        peers = self.pubsub.peer_topics.get(req["topic"], set())
        return {"peers": [p.to_base58() for p in peers]}

    async def dispatch(self, req: dict, nursery: trio.Nursery) -> None:
        rid = req.get("id")
        cmd = req.get("cmd")
        fn = getattr(self, f"cmd_{cmd}", None) if isinstance(cmd, str) else None
        if fn is None:
            emit({"id": rid, "error": f"unknown command {cmd!r}"})
            return
        timeout = float(req.get("timeout", self.timeout))
        try:
            with trio.fail_after(timeout):
                res = await fn(req)
            out = {"id": rid, "ok": True}
            out.update(res)
            emit(out)
        except trio.TooSlowError:
            emit({"id": rid, "error": f"timeout after {timeout}s"})
        except Exception as e:
            log.debug("command %s failed", cmd, exc_info=True)
            emit({"id": rid, "error": f"{type(e).__name__}: {e}"})

    async def run(self) -> None:
        async with self.host.run(listen_addrs=self.listen):
            self.host.set_stream_handler(TProtocol(MESSAGES_PROTO), self.handle_message)
            self.host.set_stream_handler(TProtocol(ECHO_PROTO), self.handle_echo)
            addrs = []
            for a in self.host.get_addrs():
                s = strip_p2p(a)
                if s not in addrs:
                    addrs.append(s)
            emit({
                "event": "ready",
                "impl": "py-libp2p",
                "peer_id": self.host.get_id().to_base58(),
                "addrs": addrs,
            })
            stdin = trio.lowlevel.FdStream(os.dup(sys.stdin.fileno()))
            buf = b""
            async with trio.open_nursery() as nursery:
                self.nursery = nursery
                quit_requested = None
                while quit_requested is None:
                    data = await stdin.receive_some(65536)
                    if not data:
                        log.info("stdin closed, exiting")
                        break
                    buf += data
                    while b"\n" in buf:
                        line, buf = buf.split(b"\n", 1)
                        line = line.strip()
                        if not line:
                            continue
                        try:
                            req = json.loads(line)
                        except ValueError as e:
                            emit({"id": None, "error": f"bad json: {e}"})
                            continue
                        if req.get("cmd") == "quit":
                            quit_requested = req
                            break
                        nursery.start_soon(self.dispatch, req, nursery)
                nursery.cancel_scope.cancel()
            try:
                with trio.move_on_after(5):
                    await self.host.close()
            except Exception as e:
                log.debug("close error: %r", e)
            if quit_requested is not None:
                emit({"id": quit_requested.get("id"), "ok": True})


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", help="32-byte Ed25519 private seed, hex")
    ap.add_argument("--timeout", type=float, default=30.0, help="per-command timeout (s)")
    ap.add_argument("--log-level", default=os.environ.get("INTEROP_LOG", "WARNING"))
    args = ap.parse_args()
    logging.basicConfig(
        stream=sys.stderr,
        level=getattr(logging, args.log_level.upper(), logging.WARNING),
        format="%(asctime)s py_peer %(levelname)s %(name)s: %(message)s",
    )
    seed = bytes.fromhex(args.seed) if args.seed else None
    if seed is not None and len(seed) != 32:
        sys.exit("--seed must be 32 bytes (64 hex chars)")
    trio.run(PyPeer(seed, args.timeout).run)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
