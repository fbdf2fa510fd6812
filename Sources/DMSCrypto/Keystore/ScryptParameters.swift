/// scrypt cost parameters for new key files. Existing files are always opened with the parameters
/// recorded in them.
public struct ScryptParameters: Sendable, Equatable {
    public var n: Int
    public var r: Int
    public var p: Int

    public init(n: Int, r: Int, p: Int) {
        self.n = n
        self.r = r
        self.p = p
    }

    /// The Go DMS's parameters: N = 2^18, r = 8, p = 1 (256 MiB, about a second per unlock).
    public static let standard = ScryptParameters(n: 1 << 18, r: 8, p: 1)

    /// Memory scrypt needs for these parameters, with headroom.
    var memoryBytes: Int { 128 * n * r * p + 128 * r * p + (1 << 20) }
}
