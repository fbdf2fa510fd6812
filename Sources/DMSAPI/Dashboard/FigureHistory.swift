import DMSNode
import Synchronization

/// The node's figures over the last hour, for the dashboard's charts: a fixed ring of samples, so memory
/// stays the same however long the daemon runs. Filled by `FigureSampler`, read by the REST routes.
public final class FigureHistory: Sendable {
    /// One sample every 10 s for an hour.
    public static let standardCapacity = 360

    private struct Ring {
        var samples: [NodeFigures] = []
        var next = 0
    }

    public let capacity: Int
    private let ring = Mutex(Ring())

    public init(capacity: Int = FigureHistory.standardCapacity) {
        precondition(capacity > 0, "a history holds at least one sample")
        self.capacity = capacity
    }

    /// Adds `figures`, dropping the oldest sample once the ring is full.
    public func record(_ figures: NodeFigures) {
        ring.withLock { ring in
            if ring.samples.count < capacity {
                ring.samples.append(figures)
            } else {
                ring.samples[ring.next] = figures
            }
            ring.next = (ring.next + 1) % capacity
        }
    }

    /// The samples, oldest first.
    public var samples: [NodeFigures] {
        ring.withLock { ring in
            guard ring.samples.count == capacity else { return ring.samples }
            return Array(ring.samples[ring.next...] + ring.samples[..<ring.next])
        }
    }

    /// The newest sample, if any.
    public var latest: NodeFigures? {
        ring.withLock { ring in
            ring.samples.isEmpty ? nil : ring.samples[(ring.next + capacity - 1) % capacity]
        }
    }
}
