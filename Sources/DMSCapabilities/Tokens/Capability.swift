/// A capability: a slash-separated path naming what may be done (`/dms/node/peers/list`). Capabilities
/// are hierarchical: `/dms/node` implies everything below it, `/` implies everything. Broadcast topics
/// use the same type and rule.
public struct Capability: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let path: String

    public static let root = Capability(unchecked: "/")

    /// Validates user input: an absolute path without empty segments, whitespace or a trailing slash.
    public init(_ path: String) throws(CapabilityError) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard
            path == "/"
                || (path.hasPrefix("/") && segments.dropFirst().allSatisfy { !$0.isEmpty }
                    && !path.contains(where: \.isWhitespace))
        else {
            throw .invalidCapability(path)
        }
        self.path = path
    }

    /// For values decoded from signed tokens, which are taken as they are.
    public init(unchecked path: String) { self.path = path }

    public init(stringLiteral value: String) { self.init(unchecked: value) }

    public var description: String { path }

    public static func < (lhs: Capability, rhs: Capability) -> Bool { lhs.path < rhs.path }

    /// `self` grants `other` when they are equal, `self` is the root, or `other` lies below `self`.
    public func implies(_ other: Capability) -> Bool {
        let mine = path.utf8
        let theirs = other.path.utf8
        if path == "/" || mine.elementsEqual(theirs) { return true }
        guard theirs.count > mine.count, theirs.starts(with: mine) else { return false }
        return theirs[theirs.index(theirs.startIndex, offsetBy: mine.count)] == UInt8(ascii: "/")
    }
}

extension Sequence<Capability> {
    /// Some capability of this sequence implies `capability`.
    func anyImplies(_ capability: Capability) -> Bool { contains { $0.implies(capability) } }
}
