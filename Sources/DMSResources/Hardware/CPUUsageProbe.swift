import Synchronization

/// Whole-machine CPU use from `/proc/stat` deltas: busy time over total time between two samples, in
/// cores. Keeps the previous sample, so each reading covers the time since the last one.
public final class CPUUsageProbe: Sendable {
    private let files: SystemFiles
    private let previous = Mutex<(busy: UInt64, total: UInt64)?>(nil)

    public init(files: SystemFiles) { self.files = files }

    /// Cores busy since the previous reading (the first reading covers the time since boot).
    public func read(logicalCores: Int) throws(ProbeError) -> Double {
        guard let sample = Self.sample(files) else {
            throw ProbeError(probe: "cpu usage", reason: "cannot read \(files.path("/proc/stat"))")
        }
        let last = previous.withLock { state in
            defer { state = sample }
            return state
        }
        let busy = sample.busy - min(sample.busy, last?.busy ?? 0)
        let total = sample.total - min(sample.total, last?.total ?? 0)
        guard total > 0 else { return 0 }
        return Double(busy) / Double(total) * Double(logicalCores)
    }

    /// Busy and total jiffies of the aggregate `cpu` line.
    static func sample(_ files: SystemFiles) -> (busy: UInt64, total: UInt64)? {
        guard let stat = files.read("/proc/stat"),
            let line = stat.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") })
        else { return nil }
        let values = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard values.count >= 4 else { return nil }
        let idle = values[3] + (values.count > 4 ? values[4] : 0)  // idle + iowait
        let total = values.prefix(8).reduce(0, +)  // user..steal; guest time is already in user
        return (total - idle, total)
    }
}
