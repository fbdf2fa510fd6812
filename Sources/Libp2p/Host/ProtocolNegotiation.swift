/// multistream-select on a new outbound stream, waiting for the peer's choice among several proposals
/// (inbound streams are answered on the connection's event loop; see `ConnectionHandler`).
enum ProtocolNegotiation {
    static func outbound(_ stream: Libp2pStream, protocols: [String]) async throws -> Libp2pStream {
        var initiator = MultistreamInitiator(proposals: protocols)
        try await stream.write(initiator.start())
        while let bytes = try await stream.read() {
            let step: MultistreamStep
            do {
                step = try initiator.receive(bytes)
            } catch .notSupported(let refused) {
                throw Libp2pError.protocolNotSupported(refused)
            }
            if !step.send.isEmpty { try await stream.write(step.send) }
            if let agreed = step.agreed { return stream.negotiated(agreed.protocolID, leftover: agreed.leftover) }
        }
        throw Libp2pError.connectionClosed
    }
}
