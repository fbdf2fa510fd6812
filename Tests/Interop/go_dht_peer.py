#!/usr/bin/env python3
"""go_peer.py plus a real go-libp2p-kad-dht (v0.20.0 in PyPI libp2p-go 0.1.4), set up as the Go DMS
sets up its DHT: ProtocolPrefix("/nunet") (so /nunet/kad/1.0.0), server mode, and a namespaced
validator for "nunet-dht-1" that checks Advertisement records (verified here in Python, independently
of the Swift code under test).

Extra commands (JSON lines, same contract as go_peer.py):
  dht_start        {"bootstrap": [multiaddr...]}        -> {}
  dht_bootstrap    {}                                    -> {}
  dht_put          {"key": str, "value_b64": str}        -> {}
  dht_get          {"key": str}                          -> {"value_b64": str|null}
  dht_advertise    {"namespace": str}                    -> {}   (RoutingDiscovery.advertise)
  dht_find_peers   {"namespace": str}                    -> {"peers": [peer id...]}
  dht_provide      {"cid_b64": str}                      -> {}
  dht_find_providers {"cid_b64": str}                    -> {"peers": [peer id...]}
"""
from __future__ import annotations

import asyncio
import base64

import go_peer
from go_peer import GoPeer
from libp2p.cid import Cid
from libp2p.dht import DHT, BootstrapPeers, DhtModeEnum, Mode, NamespacedValidator, ProtocolPrefix
from libp2p.peer import addr_info_from_p2p_addr
from libp2p.routing import RoutingDiscovery
from libp2p.validator import Validator


def protobuf_fields(data: bytes) -> dict[int, object]:
    """Minimal proto3 reader: varint and length-delimited fields only."""
    fields: dict[int, object] = {}
    i = 0

    def varint() -> int:
        nonlocal i
        shift = value = 0
        while True:
            b = data[i]
            i += 1
            value |= (b & 0x7F) << shift
            if not b & 0x80:
                return value
            shift += 7

    while i < len(data):
        key = varint()
        number, wire = key >> 3, key & 7
        if wire == 0:
            fields[number] = varint()
        elif wire == 2:
            length = varint()
            fields[number] = data[i:i + length]
            i += length
        else:
            raise ValueError(f"wire type {wire}")
    return fields


class NunetAdvertisementValidator(Validator):
    """The Go DMS's nunet-dht-1 validator: empty values pass; others must be an Advertisement whose
    Ed25519 signature covers peer_id || byte(timestamp & 0xff) || data || public_key."""

    def validate(self, key: bytes, value: bytes):
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        if not key.startswith(b"/nunet-dht-1/"):
            raise ValueError("wrong namespace")
        if not value:
            return
        f = protobuf_fields(value)
        peer_id = f.get(1, b"")
        timestamp = f.get(2, 0)
        data = f.get(3, b"")
        signature = f.get(4, b"")
        public_key = f.get(5, b"")
        if len(public_key) != 32:
            raise ValueError("public key is not raw Ed25519")
        Ed25519PublicKey.from_public_bytes(public_key).verify(
            signature, peer_id + bytes([timestamp & 0xFF]) + data + public_key)

    def select(self, key: bytes, values: list[bytes]) -> int:
        return 0


class GoDHTPeer(GoPeer):
    dht: DHT | None = None
    discovery: RoutingDiscovery | None = None

    async def cmd_dht_start(self, req: dict) -> dict:
        self.validator = NunetAdvertisementValidator()
        options = [
            ProtocolPrefix("/nunet"),
            NamespacedValidator("nunet-dht-1", self.validator),
            Mode(DhtModeEnum.ModeServer),
        ]
        peers = [addr_info_from_p2p_addr(a) for a in req.get("bootstrap", [])]
        if peers:
            options.append(BootstrapPeers(*peers))
        self.dht = await DHT.new(self.host, *options)
        self.discovery = RoutingDiscovery(self.dht)
        for peer in peers:
            await self.host.connect(peer)
        return {}

    async def cmd_dht_bootstrap(self, req: dict) -> dict:
        await self.dht.bootstrap()
        return {}

    async def cmd_dht_put(self, req: dict) -> dict:
        await self.dht.put_value(req["key"].encode(), base64.b64decode(req["value_b64"]))
        return {}

    async def cmd_dht_get(self, req: dict) -> dict:
        value = await self.dht.get_value(req["key"].encode())
        return {"value_b64": None if value is None else base64.b64encode(value).decode()}

    async def cmd_dht_advertise(self, req: dict) -> dict:
        self.discovery.advertise(req["namespace"])
        return {}

    async def cmd_dht_find_peers(self, req: dict) -> dict:
        found = []
        async for info in self.discovery.find_peers(req["namespace"]):
            found.append(info.id.string)
        return {"peers": found}

    async def cmd_dht_provide(self, req: dict) -> dict:
        await self.dht.provide(Cid.from_bytes(base64.b64decode(req["cid_b64"])), True)
        return {}

    async def cmd_dht_find_providers(self, req: dict) -> dict:
        infos = await self.dht.find_providers(Cid.from_bytes(base64.b64decode(req["cid_b64"])))
        return {"peers": [info.id.string for info in infos]}


if __name__ == "__main__":
    go_peer.GoPeer = GoDHTPeer
    go_peer.main()
