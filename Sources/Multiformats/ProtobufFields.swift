/// Just enough protobuf for the small libp2p messages built by hand (keys, handshake payloads,
/// identify): varint and length-delimited fields, with strict decoding.
public struct ProtobufWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func varint(field: UInt64, _ value: UInt64) {
        Varint.encode(field << 3, into: &bytes)
        Varint.encode(value, into: &bytes)
    }

    public mutating func bytes<Bytes: Collection<UInt8>>(field: UInt64, _ value: Bytes) {
        Varint.encode(field << 3 | 2, into: &bytes)
        Varint.encode(UInt64(value.count), into: &bytes)
        bytes.append(contentsOf: value)
    }
}

/// One decoded protobuf field.
public enum ProtobufValue: Sendable, Equatable {
    case varint(UInt64)
    case bytes([UInt8])
}

public enum ProtobufDecodingError: Error, Sendable, Equatable {
    case truncated
    case unsupportedWireType(UInt64)
    case invalidVarint
}

public enum ProtobufReader {
    /// All fields of a message in order, as (field number, value). Fixed-width wire types are rejected:
    /// none of the messages read this way uses them.
    public static func fields(_ bytes: [UInt8]) throws(ProtobufDecodingError) -> [(field: UInt64, value: ProtobufValue)]
    {
        var fields: [(UInt64, ProtobufValue)] = []
        var index = 0
        while index < bytes.count {
            guard let (key, keyLength) = try? Varint.decode(bytes[index...]) else { throw .invalidVarint }
            index += keyLength
            switch key & 7 {
            case 0:
                guard let (value, length) = try? Varint.decode(bytes[index...]) else { throw .invalidVarint }
                index += length
                fields.append((key >> 3, .varint(value)))
            case 2:
                guard let (length, lengthLength) = try? Varint.decode(bytes[index...]) else { throw .invalidVarint }
                index += lengthLength
                guard length <= UInt64(bytes.count - index) else { throw .truncated }
                fields.append((key >> 3, .bytes(Array(bytes[index..<index + Int(length)]))))
                index += Int(length)
            default:
                throw .unsupportedWireType(key & 7)
            }
        }
        return fields
    }
}
