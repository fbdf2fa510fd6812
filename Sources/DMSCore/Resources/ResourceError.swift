/// Why resource arithmetic or a fit failed, with the numbers, e.g. "ram: need 16 GiB, 4 GiB free".
public struct ResourceError: Error, Sendable, Equatable, CustomStringConvertible {
    public let shortfalls: [String]

    public init(_ shortfalls: [String]) { self.shortfalls = shortfalls }

    public var description: String { shortfalls.joined(separator: "; ") }
}
