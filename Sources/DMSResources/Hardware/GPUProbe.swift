import DMSCore
import Foundation

/// GPUs: NVIDIA cards from `nvidia-smi` (CSV query) when it is installed, AMD and Intel cards from
/// `/sys/class/drm` (PCI vendor IDs 0x1002 and 0x8086; AMD VRAM from `mem_info_vram_*`). Indexes follow
/// the Go DMS order: NVIDIA, then AMD, then Intel. Each card comes with the VRAM in use.
public struct GPUInfo: Sendable, Equatable {
    public var gpu: GPU
    public var vramUsed: UInt64
}

public enum GPUProbe {
    public static let nvidiaQuery = [
        "--query-gpu=index,uuid,name,memory.total,memory.used,pci.bus_id", "--format=csv,noheader,nounits",
    ]

    public static func read(_ files: SystemFiles, nvidiaSMI: String? = locate("nvidia-smi")) -> (
        gpus: [GPUInfo], problems: [ProbeError]
    ) {
        var problems: [ProbeError] = []
        var cards: [GPUInfo] = []
        if let nvidiaSMI {
            do {
                cards += try parseNvidia(try run(nvidiaSMI, nvidiaQuery))
            } catch {
                problems.append(error)
            }
        }
        let drm = drmCards(files)
        cards += drm.filter { $0.gpu.vendor == .amd } + drm.filter { $0.gpu.vendor == .intel }
        for index in cards.indices { cards[index].gpu.index = index }
        return (cards, problems)
    }

    /// Parses `nvidia-smi --query-gpu=index,uuid,name,memory.total,memory.used,pci.bus_id` CSV (MiB).
    public static func parseNvidia(_ csv: String) throws(ProbeError) -> [GPUInfo] {
        var cards: [GPUInfo] = []
        for line in csv.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 6, let total = UInt64(fields[3]), let used = UInt64(fields[4]) else {
                throw ProbeError(probe: "gpu", reason: "unexpected nvidia-smi output: \(line)")
            }
            // nvidia-smi prints 8-digit PCI domains ("00000000:01:00.0"); the DMS uses 4.
            var bus = fields[5]
            if bus.count == 16, bus.hasPrefix("0000") { bus = String(bus.dropFirst(4)) }
            cards.append(
                GPUInfo(
                    gpu: GPU(
                        vendor: .nvidia, model: fields[2], vram: total * 1_048_576, pciAddress: bus, uuid: fields[1]),
                    vramUsed: used * 1_048_576))
        }
        return cards
    }

    /// AMD and Intel cards under `/sys/class/drm/cardN/device`.
    static func drmCards(_ files: SystemFiles) -> [GPUInfo] {
        var cards: [GPUInfo] = []
        for card in files.list("/sys/class/drm") where card.hasPrefix("card") && !card.contains("-") {
            let device = "/sys/class/drm/\(card)/device"
            let vendorID = files.read("\(device)/vendor")?.trimmingCharacters(in: .whitespacesAndNewlines)
            let vendor: GPUVendor
            switch vendorID {
            case "0x1002": vendor = .amd
            case "0x8086": vendor = .intel
            default: continue  // NVIDIA comes from nvidia-smi; others are not compute GPUs here.
            }
            var slot = ""
            for line in (files.read("\(device)/uevent") ?? "").split(separator: "\n")
            where line.hasPrefix("PCI_SLOT_NAME=") {
                slot = String(line.dropFirst("PCI_SLOT_NAME=".count))
            }
            let number = { (name: String) in
                files.read("\(device)/\(name)").flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
                    ?? 0
            }
            let deviceID = files.read("\(device)/device")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
            let model =
                files.read("\(device)/product_name")?.trimmingCharacters(in: .whitespacesAndNewlines)
                ?? "\(vendor.rawValue) \(deviceID)"
            cards.append(
                GPUInfo(
                    gpu: GPU(
                        vendor: vendor, model: model, vram: number("mem_info_vram_total"),
                        pciAddress: slot.uppercased(),
                        uuid: files.read("\(device)/unique_id")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""),
                    vramUsed: number("mem_info_vram_used")))
        }
        return cards
    }

    /// The path of an executable on `PATH`.
    public static func locate(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        for directory in (path ?? "").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func run(_ executable: String, _ arguments: [String]) throws(ProbeError) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw ProbeError(probe: "gpu", reason: "cannot run \(executable): \(error.localizedDescription)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ProbeError(probe: "gpu", reason: "\(executable) exited with status \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
