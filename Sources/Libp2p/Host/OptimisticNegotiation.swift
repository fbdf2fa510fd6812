/// Lazy multistream-select for an opener that proposes a single protocol, as go-libp2p negotiates once it
/// knows the protocol: the header and the proposal go out with the stream's SYN and the stream is usable at
/// once, which saves a round trip per stream. The peer's answer is checked when it arrives, before any
/// protocol bytes reach the reader; an `na` fails the stream.
struct OptimisticNegotiation {
    private var initiator: MultistreamInitiator

    init(protocolID: String) {
        initiator = MultistreamInitiator(proposals: [protocolID])
    }

    /// The header and the proposal, to send before anything else on the stream.
    mutating func start() -> [UInt8] { initiator.start() }

    /// Feeds bytes from the peer. Once the echo is complete, returns the bytes after it (which belong to the
    /// protocol, possibly none); nil while it is incomplete.
    mutating func receive(_ bytes: [UInt8]) throws(Libp2pError) -> [UInt8]? {
        do {
            return try initiator.receive(bytes).agreed?.leftover
        } catch .notSupported(let refused) {
            throw .protocolNotSupported(refused)
        } catch {
            throw .malformed(error.description)
        }
    }
}
