import Foundation

/// The machine's CPU: logical cores from `/proc/cpuinfo`, model and vendor, the maximum clock from
/// cpufreq (falling back to the current MHz in cpuinfo), and the cgroup CPU quota when the node runs in
/// a container (v2 `cpu.max`, v1 `cpu.cfs_quota_us`/`cpu.cfs_period_us`).
public struct CPUInfo: Sendable, Equatable {
    public var logicalCores: Int
    public var model: String
    public var vendor: String
    /// Hz per core.
    public var clockSpeed: Double
    /// Cores allowed by the container's quota, if limited.
    public var quotaCores: Double?

    /// Cores the node may actually use.
    public var usableCores: Double { min(Double(logicalCores), quotaCores ?? .infinity) }
}

public enum CPUProbe {
    public static func read(_ files: SystemFiles) throws(ProbeError) -> CPUInfo {
        guard let cpuinfo = files.read("/proc/cpuinfo") else {
            throw ProbeError(probe: "cpu", reason: "cannot read \(files.path("/proc/cpuinfo"))")
        }
        var cores = 0
        var model = ""
        var vendor = ""
        var currentMHz = 0.0
        for line in cpuinfo.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "processor": cores += 1
            case "model name" where model.isEmpty: model = parts[1]
            case "vendor_id" where vendor.isEmpty: vendor = parts[1]
            case "cpu MHz" where currentMHz == 0: currentMHz = Double(parts[1]) ?? 0
            default: break
            }
        }
        guard cores > 0 else { throw ProbeError(probe: "cpu", reason: "no processor entries in /proc/cpuinfo") }
        var clock = currentMHz * 1e6
        if let maxKHz = files.read("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq").flatMap({
            Double($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }) {
            clock = maxKHz * 1e3
        }
        return CPUInfo(logicalCores: cores, model: model, vendor: vendor, clockSpeed: clock, quotaCores: quota(files))
    }

    /// The CPU quota of the node's cgroup in cores, if any.
    static func quota(_ files: SystemFiles) -> Double? {
        if let line = files.read("/sys/fs/cgroup/cpu.max")?.trimmingCharacters(in: .whitespacesAndNewlines) {
            let fields = line.split(separator: " ")
            if fields.count == 2, fields[0] != "max", let limit = Double(fields[0]), let period = Double(fields[1]),
                period > 0
            {
                return limit / period
            }
            return nil
        }
        if let quota = files.read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us").flatMap({
            Double($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }),
            let period = files.read("/sys/fs/cgroup/cpu/cpu.cfs_period_us").flatMap({
                Double($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }),
            quota > 0, period > 0
        {
            return quota / period
        }
        return nil
    }
}
