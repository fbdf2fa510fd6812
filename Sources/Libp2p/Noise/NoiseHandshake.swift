import Crypto
import Libp2pCrypto

/// The Noise XX handshake of libp2p, as a pure state machine over whole handshake messages (the caller
/// adds and strips the 2-byte length prefix):
///
///     initiator -> e
///     responder <- e, ee, s, es, payload
///     initiator -> s, se, payload
///
/// Each payload proves that the sender's libp2p identity key owns its Noise static key; a remote key may be
/// of any libp2p type (Ed25519, RSA, ECDSA, secp256k1), as Go peers have all four. The X25519 static key
/// lives as long as its `NoiseIdentity` (a host's lifetime) and is never stored.
public struct NoiseHandshake: Sendable {
    public enum Role: Sendable { case initiator, responder }

    /// What the handshake established.
    public struct Outcome: Sendable {
        public let remotePeer: PeerID
        public let remoteKey: PublicKey
        /// The muxers the peer listed in its payload, in its order of preference (empty if it sent none).
        public let remoteMuxers: [String]
        public let transport: NoiseTransport
    }

    public let role: Role
    private let local: NoiseIdentity
    private var staticKey: Curve25519.KeyAgreement.PrivateKey { local.staticKey }
    private let expectedPeer: PeerID?
    private let muxers: [String]
    private let ephemeralKey = Curve25519.KeyAgreement.PrivateKey()
    private var symmetric = NoiseSymmetricState()
    private var remoteEphemeral: Curve25519.KeyAgreement.PublicKey?
    private var remoteStatic: Curve25519.KeyAgreement.PublicKey?
    private var step = 0

    /// `expectedPeer` is the peer a dialer meant to reach; `muxers` are announced in the payload.
    public init(role: Role, identity: NoiseIdentity, expectedPeer: PeerID? = nil, muxers: [String] = []) {
        self.role = role
        local = identity
        self.expectedPeer = expectedPeer
        self.muxers = muxers
    }

    /// A handshake with a static key of its own.
    public init(role: Role, identity: PrivateKey, expectedPeer: PeerID? = nil, muxers: [String] = []) {
        self.init(role: role, identity: NoiseIdentity(identity), expectedPeer: expectedPeer, muxers: muxers)
    }

    /// Message 1 (initiator): the ephemeral key.
    public mutating func initiatorMessage1() throws(NoiseError) -> [UInt8] {
        precondition(role == .initiator && step == 0, "message 1 is the initiator's first step")
        step = 1
        let ephemeral = Array(ephemeralKey.publicKey.rawRepresentation)
        symmetric.mixHash(ephemeral)
        return ephemeral + (try symmetric.encryptAndHash([]))
    }

    /// Reads message 1 and answers with message 2 (responder).
    public mutating func responderMessage2(after message1: [UInt8]) throws(NoiseError) -> [UInt8] {
        precondition(role == .responder && step == 0, "message 2 answers message 1")
        step = 2
        guard message1.count >= Noise.keyLength else {
            throw .malformedMessage("message 1 has \(message1.count) bytes")
        }
        let remote = try Self.publicKey(message1.prefix(Noise.keyLength))
        remoteEphemeral = remote
        symmetric.mixHash(Array(message1.prefix(Noise.keyLength)))
        _ = try symmetric.decryptAndHash(Array(message1.dropFirst(Noise.keyLength)))

        let ephemeral = Array(ephemeralKey.publicKey.rawRepresentation)
        symmetric.mixHash(ephemeral)
        symmetric.mixKey(try Self.agree(ephemeralKey, remote))
        let encryptedStatic = try symmetric.encryptAndHash(Array(staticKey.publicKey.rawRepresentation))
        symmetric.mixKey(try Self.agree(staticKey, remote))
        return ephemeral + encryptedStatic + (try symmetric.encryptAndHash(payload()))
    }

    /// Reads message 2 and answers with message 3, completing the handshake (initiator).
    public mutating func initiatorMessage3(after message2: [UInt8]) throws(NoiseError) -> (
        message: [UInt8], outcome: Outcome
    ) {
        precondition(role == .initiator && step == 1, "message 3 answers message 2")
        step = 3
        let minimum = Noise.keyLength + Noise.keyLength + Noise.tagLength + Noise.tagLength
        guard message2.count >= minimum else { throw .malformedMessage("message 2 has \(message2.count) bytes") }
        let remote = try Self.publicKey(message2.prefix(Noise.keyLength))
        symmetric.mixHash(Array(message2.prefix(Noise.keyLength)))
        symmetric.mixKey(try Self.agree(ephemeralKey, remote))
        let staticEnd = 2 * Noise.keyLength + Noise.tagLength
        let remoteStaticBytes = try symmetric.decryptAndHash(Array(message2[Noise.keyLength..<staticEnd]))
        let remoteStatic = try Self.publicKey(remoteStaticBytes[...])
        symmetric.mixKey(try Self.agree(ephemeralKey, remoteStatic))
        let remotePayload = try symmetric.decryptAndHash(Array(message2[staticEnd...]))
        let (peer, key, remoteMuxers) = try verify(remotePayload, remoteStatic: remoteStaticBytes)

        let encryptedStatic = try symmetric.encryptAndHash(Array(staticKey.publicKey.rawRepresentation))
        symmetric.mixKey(try Self.agree(staticKey, remote))
        let message3 = encryptedStatic + (try symmetric.encryptAndHash(payload()))
        let (send, receive) = symmetric.split()
        return (
            message3,
            Outcome(
                remotePeer: peer, remoteKey: key, remoteMuxers: remoteMuxers,
                transport: NoiseTransport(sender: send, receiver: receive))
        )
    }

    /// Reads message 3, completing the handshake (responder).
    public mutating func responderFinish(after message3: [UInt8]) throws(NoiseError) -> Outcome {
        precondition(role == .responder && step == 2, "message 3 follows message 2")
        step = 3
        guard message3.count >= Noise.keyLength + 2 * Noise.tagLength, let remoteEphemeral else {
            throw .malformedMessage("message 3 has \(message3.count) bytes")
        }
        let staticEnd = Noise.keyLength + Noise.tagLength
        let remoteStaticBytes = try symmetric.decryptAndHash(Array(message3.prefix(staticEnd)))
        let remoteStatic = try Self.publicKey(remoteStaticBytes[...])
        _ = remoteEphemeral
        symmetric.mixKey(try Self.agree(ephemeralKey, remoteStatic))
        let remotePayload = try symmetric.decryptAndHash(Array(message3[staticEnd...]))
        let (peer, key, remoteMuxers) = try verify(remotePayload, remoteStatic: remoteStaticBytes)
        let (receive, send) = symmetric.split()
        return Outcome(
            remotePeer: peer, remoteKey: key, remoteMuxers: remoteMuxers,
            transport: NoiseTransport(sender: send, receiver: receive))
    }

    private func payload() -> [UInt8] {
        NoiseHandshakePayload(
            identityKey: local.publicKey.protobufBytes, identitySignature: local.signature,
            streamMuxers: muxers
        ).bytes
    }

    private func verify(_ bytes: [UInt8], remoteStatic: [UInt8]) throws(NoiseError) -> (PeerID, PublicKey, [String]) {
        let payload = try NoiseHandshakePayload(bytes: bytes)
        let key: PublicKey
        do {
            key = try PublicKey(protobufBytes: payload.identityKey)
        } catch {
            throw .unsupportedIdentityKey(error.description)
        }
        let signed = Noise.signaturePrefix + remoteStatic
        let valid: Bool
        do {
            valid = try key.isValidSignature(payload.identitySignature, for: signed)
        } catch {
            throw .unsupportedIdentityKey(error.description)
        }
        guard valid else { throw .invalidIdentitySignature }
        let peer = PeerID(publicKey: key)
        if let expectedPeer, expectedPeer != peer {
            throw .peerMismatch(expected: expectedPeer.description, actual: peer.description)
        }
        return (peer, key, payload.streamMuxers)
    }

    private static func publicKey(_ bytes: ArraySlice<UInt8>) throws(NoiseError) -> Curve25519.KeyAgreement.PublicKey {
        guard let key = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: bytes) else {
            throw .malformedMessage("not an X25519 public key")
        }
        return key
    }

    private static func agree(
        _ privateKey: Curve25519.KeyAgreement.PrivateKey, _ publicKey: Curve25519.KeyAgreement.PublicKey
    ) throws(NoiseError) -> [UInt8] {
        guard let secret = try? privateKey.sharedSecretFromKeyAgreement(with: publicKey) else {
            throw .malformedMessage("X25519 agreement failed (low-order point)")
        }
        return secret.withUnsafeBytes { Array($0) }
    }
}

/// The long-lived half of a host's handshakes: its identity key, an X25519 static key and the identity's
/// signature over that key, made once so each handshake skips a key generation and a signature.
public struct NoiseIdentity: Sendable {
    /// The identity key the handshake payload carries.
    public let publicKey: PublicKey
    let staticKey = Curve25519.KeyAgreement.PrivateKey()
    let signature: [UInt8]

    public init(_ identity: PrivateKey) {
        self.init(publicKey: identity.publicKey, sign: identity.sign)
    }

    /// An identity whose key signs elsewhere: how tests play peers with RSA or ECDSA keys, which the DMS
    /// itself never signs with.
    init(publicKey: PublicKey, sign: ([UInt8]) throws -> [UInt8]) rethrows {
        self.publicKey = publicKey
        signature = try sign(Noise.signaturePrefix + Array(staticKey.publicKey.rawRepresentation))
    }
}
