/// Host names as RFC 1123 allows them: labels of 1–63 letters, digits and inner hyphens (neither first
/// nor last), joined by dots, 253 characters at most. Allocation names are single labels, because they
/// become DNS names (`<name>.internal`) and manifest keys (`<node>.<allocation>`).
enum DNSName {
    static let labelRule = "must be a DNS label: 1–63 letters, digits or hyphens, not starting or ending with a hyphen"
    static let nameRule =
        "must be a DNS name: dot-separated labels of 1–63 letters, digits or hyphens (not at a label's ends), "
        + "253 characters at most"

    static func isValidLabel(_ text: some StringProtocol) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...63).contains(bytes.count), let first = bytes.first, let last = bytes.last else { return false }
        return first != UInt8(ascii: "-") && last != UInt8(ascii: "-")
            && bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    static func isValidName(_ text: String) -> Bool {
        text.utf8.count <= 253
            && text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isValidLabel($0) }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
