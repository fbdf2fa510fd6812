import Foundation

/// Executables the package builds, found in the build products directory beside the test binary (test
/// targets depend on them, so they are built first).
public enum BuildProducts {
    public static func executable(_ name: String) -> URL {
        let binaries = [
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "",
            CommandLine.arguments[0],
        ]
        for binary in binaries where !binary.isEmpty {
            var directory = URL(fileURLWithPath: binary).deletingLastPathComponent()
            for _ in 0..<4 {
                let candidate = directory.appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                directory.deleteLastPathComponent()
            }
        }
        return Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent(name)
    }

    /// The `nunet-wasm` runner the WASM executor spawns.
    public static var wasmRunner: URL { executable("nunet-wasm") }
}
