import Multiformats

/// The libp2p `PublicKey`/`PrivateKey` protobuf: `{1: KeyType, 2: data}`, nothing else.
enum KeyProtobuf {
    static func encode(type: KeyType, data: [UInt8]) -> [UInt8] {
        var writer = ProtobufWriter()
        writer.varint(field: 1, type.rawValue)
        writer.bytes(field: 2, data)
        return writer.bytes
    }

    /// The key type number and data; `message` names the message in errors.
    static func decode(_ bytes: [UInt8], message: String) throws(CryptoError) -> (type: UInt64, data: [UInt8]) {
        guard let fields = try? ProtobufReader.fields(bytes) else { throw .invalidKey("malformed \(message) protobuf") }
        var type: UInt64?
        var data: [UInt8]?
        for field in fields {
            switch (field.field, field.value) {
            case (1, .varint(let value)): type = value
            case (2, .bytes(let value)): data = value
            default: throw .invalidKey("unexpected field \(field.field) in \(message) protobuf")
            }
        }
        guard let type, let data else { throw .invalidKey("\(message) protobuf lacks its type or data") }
        return (type, data)
    }
}
