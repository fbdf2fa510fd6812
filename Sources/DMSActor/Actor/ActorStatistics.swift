import DMSCore
import Synchronization

/// Counters an actor keeps about its traffic; a snapshot is what `/dms/node/stats` reports.
public final class ActorStatistics: Sendable {
    /// Upper bounds (µs) of the handler-latency histogram buckets; the last bucket is unbounded.
    public static let latencyBucketsMicroseconds: [UInt64] = [
        10, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 50_000, 100_000, 1_000_000,
    ]

    public struct Snapshot: Sendable, Equatable {
        public var received = 0
        public var sent = 0
        public var handled = 0
        public var rejected: [String: Int] = [:]
        public var latencyCounts = [Int](repeating: 0, count: ActorStatistics.latencyBucketsMicroseconds.count + 1)
        public var latencyTotalMicroseconds: UInt64 = 0
        public var restarts = 0

        /// Latency below which `fraction` of handled messages completed (bucket upper bound, µs).
        public func latencyPercentile(_ fraction: Double) -> UInt64? {
            let total = latencyCounts.reduce(0, +)
            guard total > 0 else { return nil }
            var seen = 0
            for (index, count) in latencyCounts.enumerated() {
                seen += count
                if Double(seen) >= fraction * Double(total) {
                    return index < ActorStatistics.latencyBucketsMicroseconds.count
                        ? ActorStatistics.latencyBucketsMicroseconds[index] : .max
                }
            }
            return .max
        }

        public var json: JSONValue {
            var members: [(key: String, value: JSONValue)] = [
                ("received", .integer(received)), ("sent", .integer(sent)), ("handled", .integer(handled)),
                (
                    "rejected",
                    .object(rejected.sorted { $0.key < $1.key }.map { (key: $0.key, value: .integer($0.value)) })
                ),
                ("restarts", .integer(restarts)),
            ]
            let handledTotal = latencyCounts.reduce(0, +)
            var latency: [(key: String, value: JSONValue)] = [("count", .integer(handledTotal))]
            if handledTotal > 0 {
                latency.append(("mean_us", .number(String(latencyTotalMicroseconds / UInt64(handledTotal)))))
                for (name, fraction) in [("p50_us", 0.5), ("p99_us", 0.99)] {
                    if let value = latencyPercentile(fraction), value != .max {
                        latency.append((name, .number(String(value))))
                    }
                }
            }
            members.append(("handler_latency", .object(latency)))
            return .object(members)
        }
    }

    private let state = Mutex(Snapshot())

    public init() {}

    public var snapshot: Snapshot { state.withLock { $0 } }

    func recordReceived() { state.withLock { $0.received += 1 } }
    func recordSent() { state.withLock { $0.sent += 1 } }
    func recordRejected(_ error: ActorError) { state.withLock { $0.rejected[error.code, default: 0] += 1 } }
    func recordRestart() { state.withLock { $0.restarts += 1 } }

    func recordHandled(microseconds: UInt64) {
        let bucket =
            Self.latencyBucketsMicroseconds.firstIndex { microseconds <= $0 } ?? Self.latencyBucketsMicroseconds.count
        state.withLock { state in
            state.handled += 1
            state.latencyCounts[bucket] += 1
            state.latencyTotalMicroseconds += microseconds
        }
    }
}
