import DMSCore
import Foundation

/// The onboarding rules, as pure functions of the request and the machine, so every rule is testable
/// without a machine. Capacity rules (what the machine has) and usage rules (what is free now) are kept
/// apart: at start a node that no longer has the capacity is offboarded, one that is merely busy is not.
public enum OnboardingRules {
    /// Violations of the capacity rules: cores between 1 and the machine's; RAM and each GPU's VRAM
    /// between 10% and 90% of the machine's; disk positive and within the free space of the data
    /// directory's filesystem (`diskAvailable`, which includes what is already onboarded).
    public static func capacityViolations(_ request: OnboardingRequest, machine: Resources, diskAvailable: UInt64)
        -> [String]
    {
        var violations: [String] = []
        if request.cores < 1 {
            violations.append("cpu \(Units.formatCores(request.cores)) is below the minimum of 1 core")
        } else if request.cores > machine.cpu.cores {
            violations.append(
                "cpu \(Units.formatCores(request.cores)) exceeds the \(Units.formatCores(machine.cpu.cores)) of this machine"
            )
        }
        violations += range("ram", request.ram, of: machine.ram)
        if request.disk == 0 {
            violations.append("disk must be more than 0")
        } else if request.disk > diskAvailable {
            violations.append(
                "disk \(Units.formatBytes(request.disk)) exceeds the \(Units.formatBytes(diskAvailable)) the data directory's filesystem can hold"
            )
        }
        var seen = Set<Int>()
        for share in request.gpus {
            guard seen.insert(share.index).inserted else {
                violations.append("gpu \(share.index) is listed twice")
                continue
            }
            guard let card = machine.gpus.first(where: { $0.index == share.index }) else {
                let available =
                    machine.gpus.isEmpty
                    ? "this machine has no GPUs"
                    : "this machine has GPUs \(machine.gpus.map { String($0.index) }.joined(separator: ", "))"
                violations.append("gpu index \(share.index) does not exist (\(available))")
                continue
            }
            violations += range("gpu \(share.index) vram", share.vram, of: card.vram, what: "\(card.model) VRAM")
        }
        return violations
    }

    /// Violations of the usage rules: memory that is requested must be free on the machine now. CPU is
    /// not checked: it is time-shared, and a momentary load says nothing about the long-term offer (the
    /// Go DMS's one-second CPU sample makes onboarding fail at random on a busy machine).
    public static func usageViolations(_ request: OnboardingRequest, free: Resources) -> [String] {
        var violations: [String] = []
        if request.ram > free.ram {
            violations.append(
                "ram \(Units.formatBytes(request.ram)) requested but only \(Units.formatBytes(free.ram)) is free")
        }
        for share in request.gpus {
            if let card = free.gpus.first(where: { $0.index == share.index }), share.vram > card.vram {
                violations.append(
                    "gpu \(share.index) vram \(Units.formatBytes(share.vram)) requested but only \(Units.formatBytes(card.vram)) is free"
                )
            }
        }
        return violations
    }

    /// The resources to record for an accepted request, with the machine's clock and the chosen cards.
    public static func resources(for request: OnboardingRequest, machine: Resources) -> Resources {
        Resources(
            cpu: CPUResources(cores: request.cores, clockSpeed: machine.cpu.clockSpeed), ram: request.ram,
            disk: request.disk,
            gpus: request.gpus.compactMap { share in
                machine.gpus.first { $0.index == share.index }.map { card in
                    var offered = card
                    offered.vram = share.vram
                    return offered
                }
            })
    }

    /// The 10%–90% rule; `what` names the device when it is not the machine's RAM.
    private static func range(_ name: String, _ value: UInt64, of total: UInt64, what: String? = nil) -> [String] {
        let device = what.map { " (\($0))" } ?? ""
        if value < total / 10 {
            return ["\(name) \(Units.formatBytes(value)) is below 10% of \(Units.formatBytes(total))\(device)"]
        }
        if value > total / 10 * 9 {
            return ["\(name) \(Units.formatBytes(value)) exceeds 90% of \(Units.formatBytes(total))\(device)"]
        }
        return []
    }
}
