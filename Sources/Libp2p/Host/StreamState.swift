import NIOCore

/// One yamux stream's buffers and waiters, owned by its connection's event loop.
final class StreamState {
    var buffered: [[UInt8]] = []
    var bufferedCount = 0
    var remoteClosed = false
    var failure: (any Error)?
    var reader: CheckedContinuation<[UInt8]?, any Error>?
    /// A write waiting for window: the bytes still to send and who to resume.
    var pendingWrite: (bytes: [UInt8], offset: Int, continuation: CheckedContinuation<Void, any Error>)?
    var acknowledged: CheckedContinuation<Void, any Error>?
    /// Set on a stream opened with an optimistic proposal until the peer's echo has arrived.
    var awaitingEcho: OptimisticNegotiation?
    /// Set on an inbound stream until its opener and this host agree on a protocol.
    var responder: MultistreamResponder?
    var negotiationDeadline: Scheduled<Void>?

    /// Whether a read or write is waiting on this stream.
    var hasWaiters: Bool { reader != nil || pendingWrite != nil || acknowledged != nil }

    /// Wakes everyone waiting with `error`.
    func fail(_ error: any Error) {
        failure = failure ?? error
        negotiationDeadline?.cancel()
        negotiationDeadline = nil
        reader?.resume(throwing: error)
        reader = nil
        pendingWrite?.continuation.resume(throwing: error)
        pendingWrite = nil
        acknowledged?.resume(throwing: error)
        acknowledged = nil
    }
}

/// Stream and connection failures.
public enum Libp2pError: Error, Sendable, Equatable, CustomStringConvertible {
    case streamReset
    case connectionClosed
    case protocolNotSupported([String])
    case noAddresses(String)
    case dialFailed(String, String)
    case invalidAddress(String)
    case messageTooLarge(Int, limit: Int)
    case timedOut(String)
    /// The peer broke the protocol's framing.
    case malformed(String)

    public var description: String {
        switch self {
        case .streamReset: return "libp2p: the stream was reset"
        case .connectionClosed: return "libp2p: the connection is closed"
        case .protocolNotSupported(let protocols):
            return "libp2p: the peer supports none of \(protocols.joined(separator: ", "))"
        case .noAddresses(let peer): return "libp2p: no known addresses for \(peer)"
        case .dialFailed(let address, let reason): return "libp2p: dialing \(address) failed: \(reason)"
        case .invalidAddress(let reason): return "libp2p: \(reason)"
        case .messageTooLarge(let size, let limit): return "libp2p: message of \(size) bytes exceeds \(limit)"
        case .timedOut(let what): return "libp2p: \(what) timed out"
        case .malformed(let reason): return "libp2p: \(reason)"
        }
    }
}
