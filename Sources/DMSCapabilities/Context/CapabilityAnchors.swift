import DMSCrypto

/// The trust a capability context is configured with (and persists): root DIDs trusted for everything,
/// require tokens admitting chains anchored in their subjects, provide tokens proving our own authority,
/// and revocations.
public struct CapabilityAnchors: Sendable, Equatable {
    public var roots: [DID]
    public var require: [CapabilityToken]
    public var provide: [CapabilityToken]
    public var revoke: [CapabilityToken]

    public init(
        roots: [DID] = [], require: [CapabilityToken] = [], provide: [CapabilityToken] = [],
        revoke: [CapabilityToken] = []
    ) {
        self.roots = roots
        self.require = require
        self.provide = provide
        self.revoke = revoke
    }

    public var isEmpty: Bool { roots.isEmpty && require.isEmpty && provide.isEmpty && revoke.isEmpty }
}
