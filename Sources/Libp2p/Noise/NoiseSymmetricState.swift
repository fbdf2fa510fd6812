import Crypto
import Foundation

/// The Noise SymmetricState: the chaining key, the handshake hash and the current cipher, for
/// `Noise_XX_25519_ChaChaPoly_SHA256`.
struct NoiseSymmetricState: Sendable {
    private var chainingKey: [UInt8]
    private(set) var handshakeHash: [UInt8]
    private var cipher: NoiseCipherState?

    init() {
        // The protocol name is exactly 32 bytes, so it is the initial hash as it is; the prologue is empty.
        let name = Array(Noise.protocolName.utf8)
        chainingKey = name
        handshakeHash = name
        mixHash([])
    }

    mutating func mixHash(_ data: [UInt8]) {
        var hasher = SHA256()
        hasher.update(data: handshakeHash)
        hasher.update(data: data)
        handshakeHash = Array(hasher.finalize())
    }

    mutating func mixKey(_ inputKeyMaterial: [UInt8]) {
        let (nextChainingKey, key) = Self.hkdf(chainingKey, inputKeyMaterial)
        chainingKey = nextChainingKey
        cipher = NoiseCipherState(key: key)
    }

    mutating func encryptAndHash(_ plaintext: [UInt8]) throws(NoiseError) -> [UInt8] {
        guard var current = cipher else {
            mixHash(plaintext)
            return plaintext
        }
        let ciphertext = try current.encrypt(plaintext, associatedData: handshakeHash)
        cipher = current
        mixHash(ciphertext)
        return ciphertext
    }

    mutating func decryptAndHash(_ ciphertext: [UInt8]) throws(NoiseError) -> [UInt8] {
        guard var current = cipher else {
            mixHash(ciphertext)
            return ciphertext
        }
        let plaintext = try current.decrypt(ciphertext, associatedData: handshakeHash)
        cipher = current
        mixHash(ciphertext)
        return plaintext
    }

    /// The two transport ciphers: initiator-to-responder, then responder-to-initiator.
    func split() -> (NoiseCipherState, NoiseCipherState) {
        let (first, second) = Self.hkdf(chainingKey, [])
        return (NoiseCipherState(key: first), NoiseCipherState(key: second))
    }

    /// Noise's HKDF with two outputs (RFC 5869 with salt = chaining key and empty info).
    static func hkdf(_ chainingKey: [UInt8], _ inputKeyMaterial: [UInt8]) -> ([UInt8], [UInt8]) {
        let temporary = SymmetricKey(
            data: Array(HMAC<SHA256>.authenticationCode(for: inputKeyMaterial, using: SymmetricKey(data: chainingKey))))
        let first = Array(HMAC<SHA256>.authenticationCode(for: [1], using: temporary))
        let second = Array(HMAC<SHA256>.authenticationCode(for: first + [2], using: temporary))
        return (first, second)
    }
}
