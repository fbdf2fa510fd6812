import DMSCore
import Foundation

/// What the machine has (`spec`) and uses now (`usage`), from the probes. A probe that fails leaves its
/// part empty and says why in `problems`; the node starts regardless.
public struct HardwareSpec: Sendable, Equatable {
    public var resources: Resources
    public var cpu: CPUInfo?
    public var memory: MemoryInfo?
    public var problems: [String]
}

public struct HardwareUsage: Sendable, Equatable {
    /// Cores busy, RAM and disk in use, each GPU's VRAM in use.
    public var resources: Resources
    public var problems: [String]
}

public final class HardwareMonitor: Sendable {
    public let files: SystemFiles
    /// The filesystem to measure for disk: the data directory's.
    public let dataDirectory: String
    let nvidiaSMI: String?
    private let cpuUsage: CPUUsageProbe

    public init(
        files: SystemFiles = SystemFiles(), dataDirectory: String, nvidiaSMI: String? = GPUProbe.locate("nvidia-smi")
    ) {
        self.files = files
        self.dataDirectory = dataDirectory
        self.nvidiaSMI = nvidiaSMI
        cpuUsage = CPUUsageProbe(files: files)
    }

    public func spec() -> HardwareSpec {
        var problems: [String] = []
        var resources = Resources.zero
        let cpu = reading(into: &problems) { () throws(ProbeError) in try CPUProbe.read(files) }
        if let cpu { resources.cpu = CPUResources(cores: cpu.usableCores, clockSpeed: cpu.clockSpeed) }
        let memory = reading(into: &problems) { () throws(ProbeError) in try MemoryProbe.read(files) }
        resources.ram = memory?.usableTotal ?? 0
        resources.disk =
            reading(into: &problems) { () throws(ProbeError) in try DiskProbe.read(path: dataDirectory).total } ?? 0
        let gpus = GPUProbe.read(files, nvidiaSMI: nvidiaSMI)
        resources.gpus = gpus.gpus.map(\.gpu)
        problems += gpus.problems.map(\.description)
        return HardwareSpec(resources: resources, cpu: cpu, memory: memory, problems: problems)
    }

    public func usage() -> HardwareUsage {
        var problems: [String] = []
        var resources = Resources.zero
        resources.cpu =
            reading(into: &problems) { () throws(ProbeError) in
                let info = try CPUProbe.read(files)
                return CPUResources(
                    cores: try cpuUsage.read(logicalCores: info.logicalCores), clockSpeed: info.clockSpeed)
            } ?? resources.cpu
        resources.ram = reading(into: &problems) { () throws(ProbeError) in try MemoryProbe.read(files).used } ?? 0
        resources.disk =
            reading(into: &problems) { () throws(ProbeError) in try DiskProbe.read(path: dataDirectory).used } ?? 0
        let gpus = GPUProbe.read(files, nvidiaSMI: nvidiaSMI)
        resources.gpus = gpus.gpus.map { info in
            var used = info.gpu
            used.vram = info.vramUsed
            return used
        }
        problems += gpus.problems.map(\.description)
        return HardwareUsage(resources: resources, problems: problems)
    }

    /// Runs one probe; a failure becomes a listed problem instead of stopping the others.
    private func reading<T>(into problems: inout [String], _ probe: () throws(ProbeError) -> T) -> T? {
        do {
            return try probe()
        } catch {
            problems.append(error.description)
            return nil
        }
    }

    /// What is free on the machine now (spec − usage, never below zero), and the free space of the
    /// data directory's filesystem as the disk figure.
    public func free() -> (resources: Resources, problems: [String]) {
        let spec = spec()
        let usage = usage()
        var free = spec.resources
        free.cpu.cores = max(0, CPUResources(cores: spec.resources.cpu.cores - usage.resources.cpu.cores).cores)
        free.ram = spec.resources.ram > usage.resources.ram ? spec.resources.ram - usage.resources.ram : 0
        free.disk = (try? DiskProbe.read(path: dataDirectory).free) ?? 0
        free.gpus = spec.resources.gpus.map { gpu in
            var card = gpu
            let used = usage.resources.gpus.first { $0.isSameCard(as: gpu) }?.vram ?? 0
            card.vram = gpu.vram > used ? gpu.vram - used : 0
            return card
        }
        return (free, spec.problems + usage.problems)
    }
}
