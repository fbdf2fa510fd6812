import Multiformats

extension Libp2pHost {
    /// Dials what a DNS address resolves to, in order, until one connects; a failure names the address as
    /// given, so a bootstrap peer's log line says which entry of the configuration is unreachable.
    func connect(resolving address: Multiaddr) async throws -> Libp2pConnection {
        let candidates: [Multiaddr]
        do {
            candidates = try await configuration.resolver.resolve(address)
        } catch {
            throw Libp2pError.dialFailed(address.description, error.reason.description)
        }
        var last: (candidate: Multiaddr, error: any Error)?
        // The resolver never returns a DNS address, so this does not come back here.
        for candidate in candidates where !MultiaddrResolver.needsResolution(candidate) {
            do {
                return try await connect(candidate)
            } catch {
                last = (candidate, error)
            }
        }
        guard let last else { throw Libp2pError.dialFailed(address.description, "it resolved to no address") }
        throw Libp2pError.dialFailed(
            address.description,
            "none of its \(candidates.count) resolved addresses connected; the last, \(last.candidate): \(last.error)")
    }
}
