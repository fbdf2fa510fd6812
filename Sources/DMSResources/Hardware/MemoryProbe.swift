import Foundation

/// RAM from `/proc/meminfo`, capped by the cgroup memory limit (v2 `memory.max`, v1
/// `memory.limit_in_bytes`) when the node runs in a container.
public struct MemoryInfo: Sendable, Equatable {
    public var total: UInt64
    public var available: UInt64
    public var cgroupLimit: UInt64?
    public var cgroupUsage: UInt64?

    /// RAM the node may use.
    public var usableTotal: UInt64 { min(total, cgroupLimit ?? .max) }
    /// RAM in use, within the container when limited.
    public var used: UInt64 {
        if cgroupLimit != nil, let cgroupUsage { return cgroupUsage }
        return total > available ? total - available : 0
    }
}

public enum MemoryProbe {
    public static func read(_ files: SystemFiles) throws(ProbeError) -> MemoryInfo {
        guard let meminfo = files.read("/proc/meminfo") else {
            throw ProbeError(probe: "ram", reason: "cannot read \(files.path("/proc/meminfo"))")
        }
        var values: [String: UInt64] = [:]
        for line in meminfo.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let fields = parts[1].split(separator: " ")
            guard let number = fields.first.flatMap({ UInt64($0) }) else { continue }
            values[String(parts[0])] = fields.count > 1 && fields[1] == "kB" ? number * 1024 : number
        }
        guard let total = values["MemTotal"] else {
            throw ProbeError(probe: "ram", reason: "no MemTotal in /proc/meminfo")
        }
        let available = values["MemAvailable"] ?? (values["MemFree"] ?? 0) + (values["Cached"] ?? 0)
        let limit =
            number(files, "/sys/fs/cgroup/memory.max") ?? number(files, "/sys/fs/cgroup/memory/memory.limit_in_bytes")
        let usage =
            number(files, "/sys/fs/cgroup/memory.current")
            ?? number(files, "/sys/fs/cgroup/memory/memory.usage_in_bytes")
        // cgroup v1 reports "no limit" as a huge number.
        let effectiveLimit = limit.flatMap { $0 < total ? $0 : nil }
        return MemoryInfo(total: total, available: available, cgroupLimit: effectiveLimit, cgroupUsage: usage)
    }

    private static func number(_ files: SystemFiles, _ path: String) -> UInt64? {
        files.read(path).flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}
