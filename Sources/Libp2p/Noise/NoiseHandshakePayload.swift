import Multiformats

/// The libp2p payload carried in Noise handshake messages 2 and 3: the identity key, its signature over
/// the Noise static key, and optional extensions (the stream muxers the sender supports).
package struct NoiseHandshakePayload: Sendable, Equatable {
    package var identityKey: [UInt8]
    package var identitySignature: [UInt8]
    package var streamMuxers: [String] = []

    package var bytes: [UInt8] {
        var writer = ProtobufWriter()
        writer.bytes(field: 1, identityKey)
        writer.bytes(field: 2, identitySignature)
        if !streamMuxers.isEmpty {
            var extensions = ProtobufWriter()
            for muxer in streamMuxers { extensions.bytes(field: 2, Array(muxer.utf8)) }
            writer.bytes(field: 4, extensions.bytes)
        }
        return writer.bytes
    }

    /// Unknown fields (older `data`, py-libp2p's early data, WebTransport hashes) are ignored.
    package init(bytes: [UInt8]) throws(NoiseError) {
        guard let fields = try? ProtobufReader.fields(bytes) else { throw .invalidPayload("not a protobuf message") }
        var key: [UInt8]?
        var signature: [UInt8]?
        for field in fields {
            switch (field.field, field.value) {
            case (1, .bytes(let value)): key = value
            case (2, .bytes(let value)): signature = value
            case (4, .bytes(let value)):
                guard let extensions = try? ProtobufReader.fields(value) else {
                    throw .invalidPayload("extensions are not a protobuf message")
                }
                for case (2, .bytes(let muxer)) in extensions.map({ ($0.field, $0.value) }) {
                    guard let name = String(validating: muxer, as: UTF8.self) else {
                        throw .invalidPayload("a stream muxer name is not UTF-8")
                    }
                    streamMuxers.append(name)
                }
            default: continue
            }
        }
        guard let key, let signature else { throw .invalidPayload("identity key or signature missing") }
        identityKey = key
        identitySignature = signature
    }

    package init(identityKey: [UInt8], identitySignature: [UInt8], streamMuxers: [String]) {
        self.identityKey = identityKey
        self.identitySignature = identitySignature
        self.streamMuxers = streamMuxers
    }
}
