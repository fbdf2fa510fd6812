import DMSCapabilities
import Foundation

/// The one writer of the node's capability context: anchors added through behaviors or learned from the
/// network, and changes `nunet cap` writes to the context file, pass through here one at a time, so the
/// file and the running context never drift apart and no change overwrites another.
public actor NodeTrust {
    public let identity: NodeIdentity
    /// Modification time of the context file when the node last read or wrote it.
    private var seen: Date?

    public init(identity: NodeIdentity) {
        self.identity = identity
        seen = identity.contexts.modificationTime(of: identity.contextName)
    }

    private var context: CapabilityContext { identity.capabilities }

    /// Picks up changes made to the context file by other processes. Returns nil when the file did not
    /// change, else the revocations that are new to the running node, so they can be broadcast.
    public func reloadIfChanged() throws -> [CapabilityToken]? {
        let before = context.anchors.revoke
        let modified = try identity.reloadAnchorsIfChanged(since: seen)
        guard modified != seen else { return nil }
        seen = modified
        let known = Set(before.map(\.revocationKey))
        return context.anchors.revoke.filter { !known.contains($0.revocationKey) }
    }

    /// Adds anchors (verified, all or nothing) and persists them; when the file cannot be written the
    /// running context is put back as it was. Returns the revocations that were new, those found in a
    /// changed context file on the way included.
    @discardableResult
    public func add(_ anchors: CapabilityAnchors) throws -> [CapabilityToken] {
        let fromFile = try reloadIfChanged() ?? []
        let before = context.anchors
        let fresh = anchors.revoke.filter { !context.knowsRevocation($0) }
        try context.addAnchors(anchors)
        do {
            try identity.contexts.save(context)
        } catch {
            try? context.replaceAnchors(with: before)
            throw error
        }
        seen = identity.contexts.modificationTime(of: identity.contextName)
        return fromFile + fresh
    }

    /// Takes in revocations heard from the network: each is verified on its own (a revoke token signed
    /// by its issuer, unexpired); valid new ones are anchored and persisted together, the others are
    /// returned with the reason so they can be logged. Returns what was applied and what was refused.
    public func learn(_ revocations: [CapabilityToken]) throws -> (
        applied: [CapabilityToken], refused: [(token: CapabilityToken, reason: String)]
    ) {
        var valid: [CapabilityToken] = []
        var refused: [(token: CapabilityToken, reason: String)] = []
        for revocation in revocations {
            do {
                try context.checkRevocation(revocation)
                if !context.knowsRevocation(revocation) { valid.append(revocation) }
            } catch {
                refused.append((revocation, "\(error)"))
            }
        }
        guard !valid.isEmpty else { return ([], refused) }
        return (try add(CapabilityAnchors(revoke: valid)), refused)
    }
}
