#if NUNET_LIBFUZZER
    import Foundation
    import NunetFuzz

    /// The entry point `NUNET_FUZZ_TARGET` names, looked up once (libFuzzer calls in for every input).
    let libFuzzerTarget: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["NUNET_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTargets.named(name) else {
            FileHandle.standardError.write(
                Data("set NUNET_FUZZ_TARGET to one of: \(FuzzTargets.all.map(\.name).joined(separator: " "))\n".utf8))
            exit(2)
        }
        return target
    }()

    /// libFuzzer's per-input hook (`scripts/fuzz` builds this file with `-sanitize=fuzzer,address`): a broken
    /// check aborts, so libFuzzer saves the input as a crash like any trap or sanitizer report.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        do {
            try libFuzzerTarget.run(bytes)
        } catch {
            FileHandle.standardError.write(Data("\(libFuzzerTarget.name): \(error)\n".utf8))
            abort()
        }
        return 0
    }

    /// libFuzzer's driver, from the toolchain's libclang_rt.fuzzer: it parses libFuzzer's options and runs
    /// the inputs through `callback`.
    @_silgen_name("LLVMFuzzerRunDriver")
    func runLibFuzzer(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32

    /// SwiftPM gives every executable a `main` of its own, which shadows libFuzzer's, so this one hands the
    /// command line to libFuzzer's driver.
    @main
    enum LibFuzzerDriver {
        static func main() {
            _ = libFuzzerTarget
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            exit(runLibFuzzer(&argc, &argv, fuzzOneInput))
        }
    }
#endif
