import DMSEnsemble
import Foundation
import NunetTestSupport
import Testing

/// `resolveModulePaths`: the CLI inlines WASM modules given by path before an ensemble leaves the machine.
@Suite struct ModulePathTests {
    static let wasm: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]

    func ensemble(module: String) throws -> Ensemble {
        try EnsembleParser.parse(
            yaml: ensembleYAML(allocation: [("executor", "wasm"), ("execution", "{type: wasm, module: \"\(module)\"}")])
        )
    }

    func module(_ ensemble: Ensemble) -> WasmModuleSource? {
        guard case .wasm(let wasm) = ensemble.allocations["api"]?.execution else { return nil }
        return wasm.module
    }

    @Test func relativeAndAbsolutePathsBecomeInlineBytes() throws {
        let directory = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.file("mods"), withIntermediateDirectories: true)
        try Data(Self.wasm).write(to: URL(fileURLWithPath: directory.file("mods/app.wasm")))
        let base = URL(fileURLWithPath: directory.path)
        let relative = try EnsembleParser.resolveModulePaths(try ensemble(module: "mods/app.wasm"), relativeTo: base)
        #expect(module(relative) == .inline(Self.wasm))
        let absolute = try EnsembleParser.resolveModulePaths(
            try ensemble(module: directory.file("mods/app.wasm")), relativeTo: URL(fileURLWithPath: "/nonexistent"))
        #expect(module(absolute) == .inline(Self.wasm))
    }

    @Test func otherExecutionsAreUntouched() throws {
        let docker = try EnsembleParser.parse(yaml: ensembleYAML())
        #expect(try EnsembleParser.resolveModulePaths(docker, relativeTo: URL(fileURLWithPath: "/")) == docker)
    }

    @Test func aMissingOrForeignFileIsAnError() throws {
        let directory = TemporaryDirectory()
        directory.write("notes.txt", "not wasm")
        let base = URL(fileURLWithPath: directory.path)
        #expect {
            try EnsembleParser.resolveModulePaths(try ensemble(module: "missing.wasm"), relativeTo: base)
        } throws: { error in
            let errors = (error as? EnsembleValidationErrors)?.errors ?? []
            return errors.map { "\($0.path) | \($0.value) | \($0.rule)" } == [
                "allocations.api.execution.module | \(directory.file("missing.wasm")) | cannot read the WASM module file"
            ]
        }
        #expect {
            try EnsembleParser.resolveModulePaths(try ensemble(module: "notes.txt"), relativeTo: base)
        } throws: { error in
            let errors = (error as? EnsembleValidationErrors)?.errors ?? []
            return errors.map(\.rule) == [#"is not a WASM module (its bytes must start with \0asm)"#]
        }
    }
}
