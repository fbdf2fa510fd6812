"""Writes peer_keys.json: one peer key of each libp2p type, as real go-libp2p makes, marshals and signs it.

go-libp2p v0.24.2 (PyPI libp2p-go, the interop venv from Tests/Interop/setup.sh) generates each key, marshals
its PublicKey protobuf, derives the peer ID and signs the message; `cryptography` then checks every signature
independently (RSASSA-PKCS1-v1_5 / ECDSA over SHA-256, DER PKIX keys) before anything is written. The refused
keys (RSA under 2048 or over 8192 bits, ECDSA off P-256, RSA in PKCS#1 instead of PKIX) are made with `cryptography`.
Keys are random, so each run gives new vectors:

    .build/interop/go-peer/bin/python Tests/Libp2pCryptoTests/Vectors/generate_peer_keys.py \
        > Tests/Libp2pCryptoTests/Vectors/peer_keys.json
"""
import json
import secrets

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from libp2p.crypto import KeyType, crypto_generate_keypair
from libp2p.peer import Peer

# What a Noise handshake signs: the prefix and a 32-byte X25519 static key.
MESSAGE = b"noise-libp2p-static-key:" + bytes(range(32))


def protobuf(key_type: int, data: bytes) -> bytes:
    """The libp2p PublicKey protobuf {1: type, 2: data} (data is under 16 KiB here: 2-byte varint at most)."""
    length = len(data)
    varint = bytes([length]) if length < 0x80 else bytes([length & 0x7F | 0x80, length >> 7])
    return bytes([0x08, key_type, 0x12]) + varint + data


def data_of(marshalled: bytes) -> bytes:
    """The data field of a PublicKey protobuf this script's keys produce (type varint, then length-delimited)."""
    assert marshalled[0] == 0x08 and marshalled[2] == 0x12
    rest = marshalled[3:]
    length, used = rest[0] & 0x7F, 1
    if rest[0] & 0x80:
        length, used = length | rest[1] << 7, 2
    assert len(rest) == used + length
    return rest[used:]


def check(key_type: KeyType, data: bytes, signature: bytes, message: bytes) -> bool:
    """Whether `cryptography` accepts the signature (the binding's own verify is not reliable)."""
    try:
        if key_type == KeyType.RSA:
            key = serialization.load_der_public_key(data)
            assert isinstance(key, rsa.RSAPublicKey)
            key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
        elif key_type == KeyType.ECDSA:
            key = serialization.load_der_public_key(data)
            assert isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1"
            key.verify(signature, message, ec.ECDSA(hashes.SHA256()))
        elif key_type == KeyType.Secp256k1:
            key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256K1(), data)
            key.verify(signature, message, ec.ECDSA(hashes.SHA256()))
        else:
            ed25519.Ed25519PublicKey.from_public_bytes(data).verify(signature, message)
        return True
    except InvalidSignature:
        return False


def vector(key_type: KeyType, bits: int) -> dict:
    private, public = crypto_generate_keypair(key_type, bits)
    marshalled = public.marshal()
    data = data_of(marshalled)
    signature = private.sign(MESSAGE)
    tampered = bytearray(signature)
    tampered[len(tampered) // 2] ^= 0x01
    assert check(key_type, data, signature, MESSAGE), f"{key_type}: go's signature does not verify"
    assert not check(key_type, data, bytes(tampered), MESSAGE), f"{key_type}: a tampered signature verifies"
    assert not check(key_type, data, signature, MESSAGE + b"\0"), f"{key_type}: verifies for other data"
    return {
        "private_key_protobuf": private.marshal().hex(),
        "public_key_protobuf": marshalled.hex(),
        "peer_id": Peer.from_public_key(public).string,
        "signature": signature.hex(),
        "tampered_signature": bytes(tampered).hex(),
    }


def spki(key) -> bytes:
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


rsa_1024 = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()
rsa_2048 = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
# Only the size matters for the refusal, so the modulus of the 8200-bit key is an odd random number.
rsa_8200 = rsa.RSAPublicNumbers(65537, secrets.randbits(8199) | 1 << 8199 | 1).public_key()
p384 = ec.generate_private_key(ec.SECP384R1()).public_key()

print(json.dumps({
    "message": MESSAGE.hex(),
    "rsa": vector(KeyType.RSA, 2048),
    "ecdsa": vector(KeyType.ECDSA, 0),
    "secp256k1": vector(KeyType.Secp256k1, 0),
    "ed25519": vector(KeyType.Ed25519, 0),
    "refused": {
        "rsa_1024_public_key_protobuf": protobuf(0, spki(rsa_1024)).hex(),
        "rsa_8200_public_key_protobuf": protobuf(0, spki(rsa_8200)).hex(),
        "rsa_pkcs1_public_key_protobuf": protobuf(
            0, rsa_2048.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)).hex(),
        "ecdsa_p384_public_key_protobuf": protobuf(3, spki(p384)).hex(),
    },
}, indent=2))
