import Libp2pCrypto
import NIOConcurrencyHelpers

/// What happens to a host's connections, for whoever watches (`Libp2pHost.events`).
public enum HostEvent: Sendable, Equatable {
    case connected(PeerID)
    case disconnected(PeerID)
    /// Identify answered: the peer store has the peer's protocols and addresses.
    case identified(PeerID)
}

/// Fans events out to every subscriber.
final class HostEventHub: Sendable {
    private let subscribers = NIOLockedValueBox<[Int: AsyncStream<HostEvent>.Continuation]>([:])
    private let nextID = NIOLockedValueBox(0)

    func subscribe() -> AsyncStream<HostEvent> {
        let (stream, continuation) = AsyncStream<HostEvent>.makeStream(bufferingPolicy: .bufferingNewest(1024))
        let id = nextID.withLockedValue { value in
            value += 1
            return value
        }
        subscribers.withLockedValue { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            self?.subscribers.withLockedValue { _ = $0.removeValue(forKey: id) }
        }
        return stream
    }

    func emit(_ event: HostEvent) {
        for continuation in subscribers.withLockedValue({ Array($0.values) }) { continuation.yield(event) }
    }

    func finish() {
        for continuation in subscribers.withLockedValue({ Array($0.values) }) { continuation.finish() }
    }
}
