/// Multibase: a one-character prefix naming the encoding of the rest of the string.
public enum Multibase {
    public enum Encoding: Character, Sendable {
        case base58btc = "z"
        case base32 = "b"
    }

    public static func encode(_ bytes: [UInt8], as encoding: Encoding) -> String {
        switch encoding {
        case .base58btc: return "z" + Base58.encode(bytes)
        case .base32: return "b" + Base32.encode(bytes, lowercase: true, padded: false)
        }
    }

    public enum DecodingError: Error, Sendable, Equatable {
        case empty
        case unsupportedPrefix(Character)
        case invalidCharacters
    }

    public static func decode(_ text: String) throws(DecodingError) -> (encoding: Encoding, bytes: [UInt8]) {
        guard let prefix = text.first else { throw .empty }
        guard let encoding = Encoding(rawValue: prefix) else { throw .unsupportedPrefix(prefix) }
        let body = text.dropFirst()
        let bytes: [UInt8]?
        switch encoding {
        case .base58btc: bytes = Base58.decode(body)
        case .base32: bytes = Base32.decode(body)
        }
        guard let bytes else { throw .invalidCharacters }
        return (encoding, bytes)
    }
}
