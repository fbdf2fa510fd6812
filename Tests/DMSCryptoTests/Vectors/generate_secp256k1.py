"""Writes secp256k1.json: signature vectors for the Swift secp256k1 verification path.

Independent implementations: python-ecdsa signs (deterministic RFC 6979, DER), pycryptodome provides
Keccak-256. Run with `pip install ecdsa pycryptodome` then `python generate_secp256k1.py > secp256k1.json`.
"""
import hashlib
import json

from Crypto.Hash import keccak
from ecdsa import SECP256k1, SigningKey
from ecdsa.util import sigencode_der

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, digit = divmod(number, 58)
        out = ALPHABET[digit] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def varint(value: int) -> bytes:
    out = b""
    while value >= 0x80:
        out += bytes([value & 0x7F | 0x80])
        value >>= 7
    return out + bytes([value])


def keccak256(data: bytes) -> bytes:
    return keccak.new(digest_bits=256, data=data).digest()


key = SigningKey.from_string(bytes(range(1, 33)), curve=SECP256k1)
public = key.get_verifying_key().to_string("compressed")
message = b"dms:token:{\"act\":\"delegate\"}"
eth_message = b"\x19Ethereum Signed Message:\n" + str(len(message)).encode() + message

sha_signature = key.sign_deterministic(message, hashfunc=hashlib.sha256, sigencode=sigencode_der)
eth_signature = key.sign_digest_deterministic(keccak256(eth_message), hashfunc=hashlib.sha256, sigencode=sigencode_der)

print(json.dumps({
    "public_key": public.hex(),
    "message": message.decode(),
    "sha256_der_signature": sha_signature.hex(),
    "eth_der_signature": eth_signature.hex(),
    "did_secp256k1": "did:key:z" + base58(varint(0xE7) + public),
    "did_eth": "did:key:z" + base58(varint(0xEF01) + public),
    "keccak256_empty": keccak256(b"").hex(),
    "keccak256_abc": keccak256(b"abc").hex(),
    "keccak256_200_bytes": keccak256(bytes(range(200))).hex(),
}, indent=2))
