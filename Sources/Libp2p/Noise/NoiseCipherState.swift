import Crypto
import Foundation
import NIOCore

/// A Noise CipherState for ChaChaPoly: a key and a 64-bit counter used as the nonce
/// (4 zero bytes ‖ little-endian counter). Each message uses the next nonce; reuse is impossible.
struct NoiseCipherState: Sendable {
    private let key: SymmetricKey
    private(set) var counter: UInt64 = 0

    init(key: [UInt8]) { self.key = SymmetricKey(data: key) }

    private mutating func nextNonce() throws(NoiseError) -> ChaChaPoly.Nonce {
        guard counter < UInt64.max else { throw .nonceExhausted }
        var bytes = [UInt8](repeating: 0, count: 12)
        withUnsafeBytes(of: counter.littleEndian) { bytes.replaceSubrange(4..<12, with: $0) }
        counter += 1
        // 12 bytes is always a valid ChaChaPoly nonce.
        return try! ChaChaPoly.Nonce(data: bytes)
    }

    /// Ciphertext ‖ 16-byte tag.
    mutating func encrypt(_ plaintext: some DataProtocol, associatedData: some DataProtocol) throws(NoiseError)
        -> [UInt8]
    {
        let nonce = try nextNonce()
        guard let box = try? ChaChaPoly.seal(plaintext, using: key, nonce: nonce, authenticating: associatedData) else {
            throw .decryptionFailed
        }
        return Array(box.ciphertext) + Array(box.tag)
    }

    /// Ciphertext ‖ tag written straight into `buffer` (the transport's hot path).
    mutating func encrypt(_ plaintext: some DataProtocol, into buffer: inout ByteBuffer) throws(NoiseError) {
        let nonce = try nextNonce()
        guard let box = try? ChaChaPoly.seal(plaintext, using: key, nonce: nonce) else { throw .decryptionFailed }
        box.ciphertext.withUnsafeBytes { _ = buffer.writeBytes($0) }
        box.tag.withUnsafeBytes { _ = buffer.writeBytes($0) }
    }

    /// The plaintext of a transport message (ciphertext ‖ tag, no associated data).
    mutating func decrypt(_ message: UnsafeRawBufferPointer) throws(NoiseError) -> Data {
        guard message.count >= Noise.tagLength else { throw .decryptionFailed }
        let nonce = try nextNonce()
        guard
            let box = try? ChaChaPoly.SealedBox(
                nonce: nonce, ciphertext: UnsafeRawBufferPointer(rebasing: message.dropLast(Noise.tagLength)),
                tag: UnsafeRawBufferPointer(rebasing: message.suffix(Noise.tagLength))),
            let plaintext = try? ChaChaPoly.open(box, using: key)
        else { throw .decryptionFailed }
        return plaintext
    }

    mutating func decrypt(_ message: some DataProtocol, associatedData: some DataProtocol) throws(NoiseError) -> [UInt8]
    {
        guard message.count >= Noise.tagLength else { throw .decryptionFailed }
        let nonce = try nextNonce()
        let bytes = Array(message)
        guard
            let box = try? ChaChaPoly.SealedBox(
                nonce: nonce, ciphertext: bytes.dropLast(Noise.tagLength), tag: bytes.suffix(Noise.tagLength)),
            let plaintext = try? ChaChaPoly.open(box, using: key, authenticating: associatedData)
        else { throw .decryptionFailed }
        return Array(plaintext)
    }
}
