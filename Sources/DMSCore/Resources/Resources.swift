import Foundation

/// CPU capacity: cores (fractional, kept to two decimals as the Go DMS rounds them) at a clock speed.
public struct CPUResources: Sendable, Hashable, Codable {
    public var cores: Double
    /// Hz per core.
    public var clockSpeed: Double

    public init(cores: Double, clockSpeed: Double = 0) {
        self.cores = Self.round2(cores)
        self.clockSpeed = clockSpeed
    }

    enum CodingKeys: String, CodingKey {
        case cores
        case clockSpeed = "clock_speed"
    }

    /// Total compute in Hz (cores × clock).
    public var compute: Double { cores * clockSpeed }

    static func round2(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}

/// What a machine has, a provider onboards, a job needs or an allocation holds: CPU, RAM and disk in
/// bytes, GPUs. Arithmetic never mutates: it returns a new value or a `ResourceError` listing every
/// shortfall, so a failed operation leaves nothing half-changed.
public struct Resources: Sendable, Hashable, Codable {
    public var cpu: CPUResources
    public var ram: UInt64
    public var disk: UInt64
    public var gpus: [GPU]

    public init(cpu: CPUResources = CPUResources(cores: 0), ram: UInt64 = 0, disk: UInt64 = 0, gpus: [GPU] = []) {
        self.cpu = cpu
        self.ram = ram
        self.disk = disk
        self.gpus = gpus
    }

    public static let zero = Resources()

    public var isZero: Bool { cpu.cores == 0 && ram == 0 && disk == 0 && gpus.isEmpty }

    /// Go DMS wire shape: `{"cpu": {"cores", "clock_speed"}, "ram": {"size"}, "disk": {"size"}, "gpus": [...]}`.
    enum CodingKeys: String, CodingKey { case cpu, ram, disk, gpus }
    private struct Size: Codable { var size: UInt64 }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        cpu = try container.decodeIfPresent(CPUResources.self, forKey: .cpu) ?? CPUResources(cores: 0)
        ram = try container.decodeIfPresent(Size.self, forKey: .ram)?.size ?? 0
        disk = try container.decodeIfPresent(Size.self, forKey: .disk)?.size ?? 0
        gpus = try container.decodeIfPresent([GPU].self, forKey: .gpus) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(cpu, forKey: .cpu)
        try container.encode(Size(size: ram), forKey: .ram)
        try container.encode(Size(size: disk), forKey: .disk)
        try container.encode(gpus, forKey: .gpus)
    }

    // MARK: - Arithmetic

    /// The sum: cores, RAM and disk add up; the same card's VRAM adds up, other cards are appended.
    public func adding(_ other: Resources) throws(ResourceError) -> Resources {
        let (ram, ramOverflow) = ram.addingReportingOverflow(other.ram)
        let (disk, diskOverflow) = disk.addingReportingOverflow(other.disk)
        guard !ramOverflow, !diskOverflow else { throw ResourceError(["sum exceeds the representable size"]) }
        var gpus = self.gpus
        for gpu in other.gpus {
            if let index = gpus.firstIndex(where: { $0.isSameCard(as: gpu) }) {
                gpus[index].vram += gpu.vram
            } else {
                gpus.append(gpu)
            }
        }
        let clock = cpu.clockSpeed == 0 ? other.cpu.clockSpeed : cpu.clockSpeed
        return Resources(
            cpu: CPUResources(cores: cpu.cores + other.cpu.cores, clockSpeed: clock), ram: ram, disk: disk, gpus: gpus)
    }

    /// What is left after taking `other` (which names cards by index or UUID): fails, listing every
    /// shortfall, if any part would go below zero or a card is missing.
    public func subtracting(_ other: Resources) throws(ResourceError) -> Resources {
        var shortfalls: [String] = []
        let cores = CPUResources.round2(cpu.cores - other.cpu.cores)
        if cores < 0 {
            shortfalls.append(
                "cpu: need \(Units.formatCores(other.cpu.cores)), \(Units.formatNumber(cpu.cores)) available")
        }
        if other.ram > ram {
            shortfalls.append("ram: need \(Units.formatBytes(other.ram)), \(Units.formatBytes(ram)) available")
        }
        if other.disk > disk {
            shortfalls.append("disk: need \(Units.formatBytes(other.disk)), \(Units.formatBytes(disk)) available")
        }
        var gpus = self.gpus
        for gpu in other.gpus {
            guard let index = gpus.firstIndex(where: { $0.isSameCard(as: gpu) }) else {
                shortfalls.append("gpu \(gpu.index): not present")
                continue
            }
            if gpus[index].vram < gpu.vram {
                shortfalls.append(
                    "gpu \(gpu.index) vram: need \(Units.formatBytes(gpu.vram)), \(Units.formatBytes(gpus[index].vram)) available"
                )
            } else {
                gpus[index].vram -= gpu.vram
            }
        }
        guard shortfalls.isEmpty else { throw ResourceError(shortfalls) }
        return Resources(
            cpu: CPUResources(cores: cores, clockSpeed: cpu.clockSpeed), ram: ram - other.ram, disk: disk - other.disk,
            gpus: gpus)
    }

    /// Whether `demand` (GPUs given by vendor/model/VRAM, not by card) fits in these resources.
    public func fits(_ demand: Resources) -> Bool { (try? placement(of: demand)) != nil }

    /// Where `demand` goes: the demand with each required GPU assigned to a card of this machine (best
    /// fit, but any complete assignment that exists is found), ready to subtract. Throws the shortfalls.
    public func placement(of demand: Resources) throws(ResourceError) -> Resources {
        var shortfalls: [String] = []
        if CPUResources.round2(demand.cpu.cores - cpu.cores) > 0 {
            shortfalls.append("cpu: need \(Units.formatCores(demand.cpu.cores)), \(Units.formatNumber(cpu.cores)) free")
        }
        if demand.ram > ram {
            shortfalls.append("ram: need \(Units.formatBytes(demand.ram)), \(Units.formatBytes(ram)) free")
        }
        if demand.disk > disk {
            shortfalls.append("disk: need \(Units.formatBytes(demand.disk)), \(Units.formatBytes(disk)) free")
        }
        let assignment = GPUMatching.assign(demand.gpus, to: gpus)
        if assignment == nil {
            let wanted = demand.gpus.map {
                "\($0.vendor == .unknown ? "" : $0.vendor.rawValue + " ")\(Units.formatBytes($0.vram))"
            }
            shortfalls.append("gpus: need \(wanted.joined(separator: ", ")), no matching free cards")
        }
        guard shortfalls.isEmpty, let assignment else { throw ResourceError(shortfalls) }
        var placed = demand
        placed.gpus = zip(demand.gpus, assignment).map { wanted, card in
            GPU(
                index: gpus[card].index, vendor: gpus[card].vendor, model: gpus[card].model, vram: wanted.vram,
                pciAddress: gpus[card].pciAddress, uuid: gpus[card].uuid)
        }
        return placed
    }

    // MARK: - Comparison

    /// How these resources compare with `other` for matching and bidding (the Go DMS rules): CPU by total
    /// compute, RAM and disk by size, GPUs by VRAM with each of `other`'s cards matched to one of ours.
    public func compare(to other: Resources) -> Comparison {
        let cpuComparison = Comparison.numeric(cpu.compute, other.cpu.compute)
        let gpuComparison: Comparison
        if other.gpus.isEmpty {
            gpuComparison = .equal
        } else if let assignment = GPUMatching.assign(other.gpus, to: gpus) {
            gpuComparison = zip(other.gpus, assignment).map {
                Comparison.numeric(Double(gpus[$1].vram), Double($0.vram))
            }
            .reduce(.equal) { $0.and($1) }
        } else {
            gpuComparison = .worse
        }
        return cpuComparison.and(.numeric(Double(ram), Double(other.ram))).and(
            .numeric(Double(disk), Double(other.disk))
        )
        .and(gpuComparison)
    }
}

/// The result of comparing an offer with a requirement.
public enum Comparison: String, Sendable, Codable {
    case worse = "Worse"
    case equal = "Equal"
    case better = "Better"
    case none = "None"

    static func numeric(_ left: Double, _ right: Double) -> Comparison {
        left > right ? .better : left < right ? .worse : .equal
    }

    /// Combines two parts: any worse is worse, incomparable stays incomparable, all equal is equal.
    public func and(_ other: Comparison) -> Comparison {
        if self == .worse || other == .worse { return .worse }
        if self == .none || other == .none { return .none }
        if self == .equal && other == .equal { return .equal }
        return .better
    }
}

extension Resources: CustomStringConvertible {
    /// `2 cores, 4 GiB RAM, 20 GiB disk, gpu 0 8 GiB`.
    public var description: String {
        var text = "\(Units.formatCores(cpu.cores)), \(Units.formatBytes(ram)) RAM, \(Units.formatBytes(disk)) disk"
        for gpu in gpus { text += ", gpu \(gpu.index) \(Units.formatBytes(gpu.vram))" }
        return text
    }
}
