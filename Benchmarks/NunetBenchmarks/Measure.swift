import Foundation
import Synchronization

/// Timing helpers: each figure is the median of several rounds, each round long enough to dwarf clock
/// resolution.
enum Measure {
    /// Median seconds per operation of `body` over `rounds` rounds of `iterations` calls.
    static func secondsPerOperation(rounds: Int = 7, iterations: Int, _ body: () throws -> Void) rethrows -> Double {
        var samples: [Double] = []
        for _ in 0..<rounds {
            let start = ContinuousClock.now
            for _ in 0..<iterations { try body() }
            samples.append(seconds(ContinuousClock.now - start) / Double(iterations))
        }
        return median(samples)
    }

    /// The middle value (the upper of the two middle ones for an even count).
    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    static func row(_ name: String, _ value: String, _ goal: String = "") {
        print("| \(name) | \(value) | \(goal) |")
    }

    static func microseconds(_ seconds: Double) -> String { String(format: "%.1f µs", seconds * 1e6) }
    static func milliseconds(_ seconds: Double) -> String { String(format: "%.2f ms", seconds * 1e3) }
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
    static func rate(_ seconds: Double) -> String { String(format: "%.0f /s", 1 / seconds) }
}

/// Samples gathered from concurrent tasks.
final class Samples: Sendable {
    private let values = Mutex<[Double]>([])
    func append(_ more: [Double]) { values.withLock { $0.append(contentsOf: more) } }
    var sorted: [Double] { values.withLock { $0 }.sorted() }
}
