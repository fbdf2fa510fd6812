/// Standard padded base64 (RFC 4648 §4), the encoding Go's `encoding/json` uses for byte slices. Works on
/// contiguous bytes without generic dispatch: envelopes carry kilobytes of it on every message.
public enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, character) in alphabet.enumerated() { table[Int(character)] = UInt8(index) }
        return table
    }()

    public static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        append(bytes, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the encoding of `bytes` to `output`.
    public static func append(_ bytes: [UInt8], to output: inout [UInt8]) {
        let count = bytes.count
        let start = output.count
        let encodedCount = (count + 2) / 3 * 4
        output.append(contentsOf: repeatElement(0, count: encodedCount))
        alphabet.withUnsafeBufferPointer { table in
            bytes.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { buffer in
                    var out = start
                    var index = 0
                    while index + 3 <= count {
                        let value =
                            UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
                        buffer[out] = table[Int(value >> 18 & 63)]
                        buffer[out + 1] = table[Int(value >> 12 & 63)]
                        buffer[out + 2] = table[Int(value >> 6 & 63)]
                        buffer[out + 3] = table[Int(value & 63)]
                        index += 3
                        out += 4
                    }
                    let remaining = count - index
                    if remaining > 0 {
                        let second = remaining > 1 ? UInt32(input[index + 1]) : 0
                        let value = UInt32(input[index]) << 16 | second << 8
                        buffer[out] = table[Int(value >> 18 & 63)]
                        buffer[out + 1] = table[Int(value >> 12 & 63)]
                        buffer[out + 2] = remaining > 1 ? table[Int(value >> 6 & 63)] : UInt8(ascii: "=")
                        buffer[out + 3] = UInt8(ascii: "=")
                    }
                }
            }
        }
    }

    /// Decodes padded standard base64; nil on any malformed input (wrong length, foreign characters,
    /// misplaced padding or stray bits after the last character).
    public static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decode(utf8: $0) }
    }

    public static func decode(utf8 input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let count = input.count
        guard count % 4 == 0 else { return nil }
        guard count > 0 else { return [] }
        var padding = 0
        if input[count - 1] == UInt8(ascii: "=") { padding = input[count - 2] == UInt8(ascii: "=") ? 2 : 1 }
        var output = [UInt8](repeating: 0, count: count / 4 * 3 - padding)
        let valid = decodeTable.withUnsafeBufferPointer { table in
            output.withUnsafeMutableBufferPointer { out -> Bool in
                var index = 0
                var written = 0
                while index < count {
                    let last = index + 4 == count
                    let a = table[Int(input[index])]
                    let b = table[Int(input[index + 1])]
                    let c = last && padding == 2 ? 0 : table[Int(input[index + 2])]
                    let d = last && padding >= 1 ? 0 : table[Int(input[index + 3])]
                    guard a | b | c | d != 0xFF, (a | b | c | d) & 0xC0 == 0 else { return false }
                    let value = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                    if last && padding > 0 {
                        if padding == 2 && value & 0xFFFF != 0 { return false }
                        if padding == 1 && value & 0xFF != 0 { return false }
                        out[written] = UInt8(value >> 16 & 0xFF)
                        if padding == 1 { out[written + 1] = UInt8(value >> 8 & 0xFF) }
                    } else {
                        out[written] = UInt8(value >> 16 & 0xFF)
                        out[written + 1] = UInt8(value >> 8 & 0xFF)
                        out[written + 2] = UInt8(value & 0xFF)
                        written += 3
                    }
                    index += 4
                }
                return true
            }
        }
        return valid ? output : nil
    }
}
