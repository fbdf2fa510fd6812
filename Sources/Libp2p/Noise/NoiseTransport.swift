import Foundation
import NIOCore

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
    public mutating func seal(_ plaintext: [UInt8]) throws(NoiseError) -> [UInt8] {
        var buffer = ByteBuffer()
        try seal(plaintext[...], into: &buffer)
        return Array(buffer.readableBytesView)
    }

    /// Appends the framed messages carrying `plaintext` to `buffer`.
    public mutating func seal(_ plaintext: ArraySlice<UInt8>, into buffer: inout ByteBuffer) throws(NoiseError) {
        var start = plaintext.startIndex
        repeat {
            let end = min(start + Noise.maxPlaintextLength, plaintext.endIndex)
            buffer.writeInteger(UInt16(end - start + Noise.tagLength))
            try sender.encrypt(plaintext[start..<end], into: &buffer)
            start = end
        } while start != plaintext.endIndex
    }

    /// Decrypts the complete frames at the start of `buffer`, removing them; a partial frame stays.
    public mutating func open(_ buffer: inout [UInt8]) throws(NoiseError) -> [UInt8] {
        var framed = ByteBuffer(bytes: buffer)
        var plaintext: [UInt8] = []
        try open(&framed) { plaintext += $0 }
        buffer = Array(framed.readableBytesView)
        return plaintext
    }

    /// Decrypts each complete frame at the reader index of `buffer`, handing its plaintext to `body`.
    public mutating func open(_ buffer: inout ByteBuffer, _ body: (Data) throws(NoiseError) -> Void) throws(NoiseError)
    {
        while let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
            buffer.readableBytes >= 2 + Int(length)
        {
            let plaintext = try buffer.withUnsafeReadableBytes { bytes throws(NoiseError) in
                try receiver.decrypt(UnsafeRawBufferPointer(rebasing: bytes[2..<(2 + Int(length))]))
            }
            buffer.moveReaderIndex(forwardBy: 2 + Int(length))
            try body(plaintext)
        }
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
