import Foundation

/// The encrypted channel after the handshake: plaintext is cut into chunks of at most 65519 bytes, each
/// sent as `u16 big-endian length ‖ ciphertext ‖ tag`.
public struct NoiseTransport: Sendable {
    private var sender: NoiseCipherState
    private var receiver: NoiseCipherState

    init(sender: NoiseCipherState, receiver: NoiseCipherState) {
        self.sender = sender
        self.receiver = receiver
    }

    /// The framed messages carrying `plaintext`.
    public mutating func seal(_ plaintext: some Collection<UInt8>) throws(NoiseError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(
            plaintext.count + (plaintext.count / Noise.maxPlaintextLength + 1) * (2 + Noise.tagLength))
        var start = plaintext.startIndex
        repeat {
            let end =
                plaintext.index(start, offsetBy: Noise.maxPlaintextLength, limitedBy: plaintext.endIndex)
                ?? plaintext.endIndex
            let ciphertext = try sender.encrypt(Array(plaintext[start..<end]), associatedData: [UInt8]())
            output.append(UInt8(ciphertext.count >> 8))
            output.append(UInt8(ciphertext.count & 0xFF))
            output += ciphertext
            start = end
        } while start != plaintext.endIndex
        return output
    }

    /// Decrypts the complete frames at the start of `buffer`, removing them; a partial frame stays.
    public mutating func open(_ buffer: inout [UInt8]) throws(NoiseError) -> [UInt8] {
        var plaintext: [UInt8] = []
        var index = 0
        while buffer.count - index >= 2 {
            let length = Int(buffer[index]) << 8 | Int(buffer[index + 1])
            guard buffer.count - index - 2 >= length else { break }
            plaintext += try receiver.decrypt(buffer[(index + 2)..<(index + 2 + length)], associatedData: [UInt8]())
            index += 2 + length
        }
        buffer.removeFirst(index)
        return plaintext
    }
}

/// Splits `u16 big-endian length ‖ message` frames off a byte buffer (handshake messages).
public enum NoiseFraming {
    public static func frame(_ message: [UInt8]) throws(NoiseError) -> [UInt8] {
        guard message.count <= Noise.maxMessageLength else { throw .frameTooLarge(message.count) }
        return [UInt8(message.count >> 8), UInt8(message.count & 0xFF)] + message
    }

    /// The first complete frame's message, removed from `buffer`; nil until it is complete.
    public static func next(_ buffer: inout [UInt8]) -> [UInt8]? {
        guard buffer.count >= 2 else { return nil }
        let length = Int(buffer[0]) << 8 | Int(buffer[1])
        guard buffer.count >= 2 + length else { return nil }
        let message = Array(buffer[2..<(2 + length)])
        buffer.removeFirst(2 + length)
        return message
    }
}
