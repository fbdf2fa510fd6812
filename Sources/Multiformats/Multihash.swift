/// Multihash: `varint(code) ‖ varint(length) ‖ digest`. Only the codes libp2p peer IDs use.
public struct Multihash: Sendable, Hashable {
    public enum Code: UInt64, Sendable {
        case identity = 0x00
        case sha256 = 0x12
    }

    public enum DecodingError: Error, Sendable, Equatable {
        case truncated
        case unsupportedCode(UInt64)
        case lengthMismatch
    }

    public let code: Code
    public let digest: [UInt8]

    public init(code: Code, digest: [UInt8]) {
        self.code = code
        self.digest = digest
    }

    public var bytes: [UInt8] {
        var output = Varint.encode(code.rawValue)
        Varint.encode(UInt64(digest.count), into: &output)
        output.append(contentsOf: digest)
        return output
    }

    public init(decoding bytes: [UInt8]) throws(DecodingError) {
        guard let (rawCode, codeLength) = try? Varint.decode(bytes) else { throw .truncated }
        guard let code = Code(rawValue: rawCode) else { throw .unsupportedCode(rawCode) }
        guard let (length, lengthLength) = try? Varint.decode(bytes.dropFirst(codeLength)) else { throw .truncated }
        let start = codeLength + lengthLength
        guard bytes.count - start == Int(length) else { throw .lengthMismatch }
        self.code = code
        self.digest = Array(bytes[start...])
    }
}
