import ArgumentParser
import DMSCore
import DMSNode
import DMSResources
import Foundation

struct GPUCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gpu",
        abstract: "Inspect this machine's GPUs.",
        discussion: """
            Example:
              nunet gpu list
            """,
        subcommands: [List.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the GPUs this machine has (index, model, VRAM, vendor, PCI address).",
            discussion: """
                Reads nvidia-smi and /sys/class/drm on this machine; the index is what --gpus takes.

                Example:
                  nunet gpu list --json
                """)

        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let probe = GPUProbe.read(SystemFiles())
            for problem in probe.problems { FileHandle.standardError.write(Data("note: \(problem)\n".utf8)) }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                return print(String(decoding: try encoder.encode(probe.gpus.map(\.gpu)), as: UTF8.self))
            }
            guard !probe.gpus.isEmpty else { return print("no GPUs found") }
            var table = TextTable("INDEX", "MODEL", "VRAM", "USED", "VENDOR", "PCI")
            for card in probe.gpus {
                table.add(
                    String(card.gpu.index), card.gpu.model, Units.formatBytes(card.gpu.vram),
                    Units.formatBytes(card.vramUsed),
                    card.gpu.vendor.rawValue, card.gpu.pciAddress)
            }
            print(table.rendered)
        }
    }
}
