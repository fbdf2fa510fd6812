/// Unsigned LEB128 varints as used by multiformats and libp2p (at most 9 bytes, minimal encoding).
public enum Varint {
    public enum DecodingError: Error, Sendable, Equatable {
        case truncated
        case overflow
        case notMinimal
    }

    public static func encode(_ value: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        encode(value, into: &bytes)
        return bytes
    }

    public static func encode(_ value: UInt64, into bytes: inout [UInt8]) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    /// Decodes a varint at the start of `bytes`; returns the value and how many bytes it used.
    public static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws(DecodingError) -> (
        value: UInt64, length: Int
    ) {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var length = 0
        for byte in bytes {
            length += 1
            if length > 9 { throw .overflow }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                if byte == 0 && length > 1 { throw .notMinimal }
                return (value, length)
            }
            shift += 7
        }
        throw .truncated
    }
}
