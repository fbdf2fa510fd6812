import ArgumentParser
import DMSEnsemble
import Foundation

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check an ensemble file offline (schema, references, constraints).",
        discussion: """
            Reports every problem at once, each naming its path, value and rule, and exits 1 if there is \
            any; WASM module files named by path must exist and be WASM; fields this node does not act on \
            yet (keys, provision scripts, glusterfs volumes, subnets, redundancy, ...) are refused. Needs no \
            daemon.

            Example:
              nunet validate examples/hello-wasm.yaml
            """)

    @Argument(help: "The ensemble YAML file.") var file: String

    func run() throws {
        let ensemble = try EnsembleFile.load(file)
        if let unsupported = UnsupportedFields.report(ensemble) { throw CLIError("\(file): \(unsupported)") }
        let nodes = ensemble.nodeNames.map {
            "\($0) (\(ensemble.nodes[$0]!.allocations.sorted().joined(separator: ", ")))"
        }
        print("\(file): valid — \(ensemble.allocations.count) allocation(s), nodes: \(nodes.joined(separator: "; "))")
    }
}

/// Reading an ensemble file for the CLI: parsed, validated, and WASM module paths (relative to the file)
/// inlined, so what leaves this machine is self-contained.
enum EnsembleFile {
    static func load(_ path: String) throws -> Ensemble {
        let url = URL(fileURLWithPath: path)
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw CLIError("cannot read \(path): \(error.localizedDescription)")
        }
        do {
            let ensemble = try EnsembleParser.parse(yaml: text)
            return try EnsembleParser.resolveModulePaths(ensemble, relativeTo: url.deletingLastPathComponent())
        } catch {
            throw CLIError("\(path): invalid ensemble:\n\(error)")
        }
    }
}
