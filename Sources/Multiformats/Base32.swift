/// RFC 4648 base32: lowercase unpadded for multibase `b` (CIDs, peer IDs), uppercase padded for the
/// Go DMS actor ID JSON (`{"pub": "..."}`).
public enum Base32 {
    static let upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    public static func encode(_ bytes: [UInt8], lowercase: Bool = false, padded: Bool = true)
        -> String
    {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 4) / 5 * 8)
        var buffer: UInt64 = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt64(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                output.append(symbol(Int((buffer >> UInt64(bits)) & 31), lowercase))
            }
        }
        if bits > 0 { output.append(symbol(Int((buffer << UInt64(5 - bits)) & 31), lowercase)) }
        if padded {
            while output.count % 8 != 0 { output.append(UInt8(ascii: "=")) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func symbol(_ value: Int, _ lowercase: Bool) -> UInt8 {
        let character = upper[value]
        return lowercase && character >= UInt8(ascii: "A") ? character + 32 : character
    }

    /// Decodes either case, with or without padding; nil on any other character or on bits left over.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var output: [UInt8] = []
        var buffer: UInt64 = 0
        var bits = 0
        var sawPadding = false
        for character in text.utf8 {
            if character == UInt8(ascii: "=") {
                sawPadding = true
                continue
            }
            guard !sawPadding else { return nil }
            let value: UInt8
            switch character {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = character - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = character - UInt8(ascii: "a")
            case UInt8(ascii: "2")...UInt8(ascii: "7"): value = character - UInt8(ascii: "2") + 26
            default: return nil
            }
            buffer = buffer << 5 | UInt64(value)
            bits += 5
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt64(bits)))
            }
        }
        guard bits < 5, buffer & ((1 << UInt64(bits)) - 1) == 0 else { return nil }
        return output
    }
}
